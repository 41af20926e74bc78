import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CONFIG_CONTEXT_KEY, parseNewsfeedConfig } from './config.js';
import { EDGE_REGION, EdgeStack } from './edge-stack.js';
import { NewsfeedStack } from './newsfeed-stack.js';
import { applyRemovalSetting } from './removal-policy.js';

/** The deployed stack's name; also its construct id. */
export const STACK_NAME = 'Newsfeed';

/** The us-east-1 stack with the site certificate and the WAF web ACL, when either is configured. */
export const EDGE_STACK_NAME = 'NewsfeedEdge';

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
): { app: App; stack: NewsfeedStack; edge?: EdgeStack } {
  const config = parseNewsfeedConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY));
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const domain = config.customDomain;
  const needsEdge = config.waf || (domain?.hostedZone !== undefined && domain.certificateArn === undefined);
  const edge = needsEdge ? edgeStack(app, env, config) : undefined;
  const stack = new NewsfeedStack(app, STACK_NAME, {
    description:
      'Newsfeed: articles in S3 become deduplicated RSS/Atom/JSON feeds and a static site on CloudFront',
    env,
    config,
    ...(edge && {
      crossRegionReferences: true,
      edge: {
        ...(edge.certificate && { certificate: edge.certificate }),
        ...(edge.webAclArn && { webAclArn: edge.webAclArn }),
      },
    }),
  });
  if (edge) stack.addStackDependency(edge, 'CloudFront needs the certificate and web ACL first');
  applyRemovalSetting(stack, config.removalPolicy);
  if (options.ruleChecks ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  }
  return { app, stack, ...(edge && { edge }) };
}

/**
 * Cross-region references need both regions at synth time: `cdk deploy` sets CDK_DEFAULT_REGION
 * from the profile, so only a bare `cdk synth` without a region meets this error.
 */
function edgeStack(
  app: App,
  env: { account: string | undefined; region: string | undefined },
  config: ReturnType<typeof parseNewsfeedConfig>,
): EdgeStack {
  if (env.region === undefined) {
    throw new Error(
      `${CONFIG_CONTEXT_KEY}.waf or a customDomain without certificateArn needs the deploy region: ` +
        'set AWS_REGION (or a profile region) so CDK_DEFAULT_REGION is known',
    );
  }
  return new EdgeStack(app, EDGE_STACK_NAME, {
    description: 'Newsfeed: the site certificate and WAF web ACL, which CloudFront reads from us-east-1',
    env: { account: env.account, region: EDGE_REGION },
    crossRegionReferences: true,
    waf: config.waf,
    ...(config.customDomain && { customDomain: config.customDomain }),
  });
}
