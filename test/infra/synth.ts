import { readFileSync } from 'node:fs';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app.js';
import type { NewsfeedStack } from '../../infra/newsfeed-stack.js';

/** The context `cdk synth` runs with (feature flags and the `newsfeed` settings) from cdk.json. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export interface Synthesized {
  app: App;
  stack: NewsfeedStack;
  template: Template;
}

/**
 * Synthesizes the app as `cdk synth` would, minus asset bundling (which takes ~20 s per run)
 * and CDK's built-in template validation; `newsfeed` overrides the cdk.json settings.
 */
export function synthesize(newsfeed: Record<string, unknown> = {}): Synthesized {
  process.env.CDK_VALIDATION = 'false';
  const context = cdkJsonContext();
  const app = new App({
    context: {
      ...context,
      newsfeed: { ...(context.newsfeed as Record<string, unknown>), ...newsfeed },
      'aws:cdk:bundling-stacks': [],
    },
  });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack as Stack) };
}
