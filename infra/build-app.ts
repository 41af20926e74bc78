import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CONFIG_CONTEXT_KEY, parseNewsfeedConfig } from './config.js';
import { NewsfeedStack } from './newsfeed-stack.js';

/** The deployed stack's name; also its construct id. */
export const STACK_NAME = 'Newsfeed';

export interface BuildAppOptions {
  /**
   * Registers the cdk-nag AwsSolutions and Serverless rule packs, which fail synthesis on any
   * unacknowledged finding. Tests of the template's shape turn them off so that one finding
   * does not hide every other failure; the rule-pack tests run them directly.
   * @default true
   */
  ruleChecks?: boolean;
}

/** Builds the app: the stack, configured from the `newsfeed` context, checked by cdk-nag. */
export function buildApp(
  app: App = new App(),
  options: BuildAppOptions = {},
): { app: App; stack: NewsfeedStack } {
  const config = parseNewsfeedConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY));
  const stack = new NewsfeedStack(app, STACK_NAME, {
    description:
      'Newsfeed: articles in S3 become deduplicated RSS/Atom/JSON feeds and a static site on CloudFront',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    config,
  });
  if (options.ruleChecks ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  }
  return { app, stack };
}
