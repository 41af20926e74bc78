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

/** An app with cdk.json's context, `newsfeed` overrides, and asset bundling skipped (~20 s per synth otherwise). */
export function testApp(newsfeed: Record<string, unknown> = {}): App {
  // CDK's built-in template validation is slow and not what these tests are about.
  process.env.CDK_VALIDATION = 'false';
  const context = cdkJsonContext();
  return new App({
    context: {
      ...context,
      newsfeed: { ...(context.newsfeed as Record<string, unknown>), ...newsfeed },
      'aws:cdk:bundling-stacks': [],
    },
  });
}

/**
 * Synthesizes the app as `cdk synth` would, minus bundling and cdk-nag: the rule packs are run
 * by nag.test.ts, where their findings are listed instead of aborting the synthesis.
 */
export function synthesize(newsfeed: Record<string, unknown> = {}): Synthesized {
  const app = testApp(newsfeed);
  const { stack } = buildApp(app, { ruleChecks: false });
  return { app, stack, template: Template.fromStack(stack as Stack) };
}
