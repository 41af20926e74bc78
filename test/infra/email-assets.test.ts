/**
 * The function assets as `cdk synth` stages them, bundled for real (local esbuild): the functions
 * that render pages or mail carry the built `templates/` beside their code (`BUILD_TEMPLATES`: MJML compiled to HTML), the others do
 * not. Slower than the template tests (one real bundling of the eight functions).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { cdkJsonContext } from './synth.js';
import { logicalIdOf, props } from './template-queries.js';

const outdir = mkdtempSync(join(tmpdir(), 'newsfeed-assets-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

process.env.CDK_VALIDATION = 'false';
const context = cdkJsonContext();
const app = new App({
  outdir,
  context: {
    ...context,
    newsfeed: { ...(context.newsfeed as Record<string, unknown>), email: { domain: 'example.com' } },
  },
});
const { stack } = buildApp(app, { ruleChecks: false });
app.synth();
const template = Template.fromStack(stack as Stack);

/** The staged asset folder of a function: `asset.<hash>`, the hash being its S3 key. */
function assetDirOf(construct: { node: { defaultChild?: unknown } }): string {
  const code = props(template, logicalIdOf(stack, construct)).Code as { S3Key: string };
  return join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
}

const email = stack.email!;
const functions = {
  publish: stack.publisher.function,
  'confirm-mailer': email.delivery.confirmations.function,
  edition: email.delivery.editions.function,
  sender: email.delivery.sender.function,
  ingest: stack.intake.function,
  reconcile: stack.reconciler.function,
  'subscribe-api': email.subscriptions.api.function,
  bounces: email.delivery.bounces.function,
};
const RENDERING = ['publish', 'confirm-mailer', 'edition'];

describe('function assets', () => {
  it.each(Object.keys(functions) as (keyof typeof functions)[])(
    '%s is bundled, with templates exactly when it renders',
    (name) => {
      const dir = assetDirOf(functions[name]);
      expect(existsSync(join(dir, 'index.mjs')), dir).toBe(true);
      expect(existsSync(join(dir, 'templates', 'digest.html.hbs'))).toBe(RENDERING.includes(name));
      if (name === 'confirm-mailer')
        expect(existsSync(join(dir, 'templates', 'confirm.html.hbs'))).toBe(true);
      // The sources stay in the repository: the functions get the compiled HTML only.
      expect(existsSync(join(dir, 'templates', 'digest.mjml'))).toBe(false);
    },
  );
});
