/**
 * The Lambda bundles, built with the stack's own esbuild options (`infra/lambda-bundle.ts`) into a
 * temporary folder outside the repository, then imported by a fresh `node` that can reach no
 * node_modules: a dependency the bundle left out fails here rather than at the first cold start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_ROOT,
  type BuiltBundle,
  bundleLambda,
  importChain,
  importInFreshNode,
  LAMBDA_HANDLERS,
} from '../../infra/lambda-bundle.js';

/**
 * Budgets: the minified size measured on 2026-12-06, plus about 5 % for noise between dependency patch
 * releases. Raise one only for a reason you can name, and say it here.
 * - 2026-12-05: the MJML templates moved to bundle time (`scripts/build-templates.ts`): confirm-mailer
 *   3728 -> 686 KiB, edition 4231 -> 1359 KiB (MJML, juice, parse5, undici and iconv-lite left).
 * - 2026-12-06: the SDK's default credential chain was replaced by the environment credentials Lambda
 *   gives (`functions/adapters/aws/lambda-credentials.ts`): 109 KiB less in every bundle.
 * - ingest 991 KiB: the AWS SDK (~280 KiB with @smithy/core), yaml 113 KiB (front matter), markdown-it
 *   with entities 172 KiB, sanitize-html with htmlparser2 and postcss (+ source-map-js) 175 KiB.
 * - publish 1258 KiB: ingest's parser (it re-reads articles to render pages) plus Handlebars and the
 *   CloudFront client (139 KiB: its schema is bundled whole for one CreateInvalidation call).
 * - edition 1284 KiB: the same parser (a digest's summaries), Handlebars and the CloudFront client.
 * - reconcile 423, subscribe-api 435, bounces 361, sender 473, confirm-mailer 607 KiB: the AWS SDK
 *   clients each one uses (and Handlebars for the mail).
 * - Every function that renders text (publish, edition, confirm-mailer, subscribe-api) also carries the
 *   four locale files (en, fr, de, es: about 26 KiB of JSON), imported so that its pages and mails speak
 *   the site's language without a templates folder.
 */
const SIZE_BUDGET_KIB: Record<string, number> = {
  ingest: 1024,
  publish: 1320,
  reconcile: 445,
  'subscribe-api': 460,
  bounces: 380,
  'confirm-mailer': 640,
  edition: 1350,
  sender: 500,
};

/**
 * Issue 11 asks for every bundle under 1 MiB. These are still over it (see the budgets above for
 * what they carry); the test fails when one of them comes under, so the list only shrinks.
 */
const OVER_ONE_MIB = ['publish', 'edition'];

/** Functions that render pages or mail, and so ship the built `templates/` (as `BUILD_TEMPLATES` does in the stack). */
const WITH_TEMPLATES = ['publish', 'confirm-mailer', 'edition'];

/** Packages that belong to the build, the tests or the deployment, never to a function. */
const NEVER_BUNDLED = [
  'aws-cdk-lib',
  'constructs',
  'esbuild',
  's3rver',
  'dynalite',
  'vitest',
  'tsx',
  'typescript',
];

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

let root: string;
const built = new Map<string, BuiltBundle>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
  await Promise.all(
    LAMBDA_HANDLERS.map(async (handler) =>
      built.set(handler.name, await bundleLambda(handler, join(root, handler.name))),
    ),
  );
  console.log(
    LAMBDA_HANDLERS.map((handler) => {
      const bundle = built.get(handler.name)!;
      return `${handler.name}: ${(bundle.bytes / 1024).toFixed(0)} KiB minified (+ ${(bundle.mapBytes / 1024).toFixed(0)} KiB source map)`;
    }).join('\n'),
  );
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('are built where no node_modules folder can be found', () => {
    expect(root.startsWith(BUNDLE_ROOT)).toBe(false);
    for (let dir = root; dir !== parse(dir).root; dir = dirname(dir))
      expect(existsSync(join(dir, 'node_modules')), `${dir}/node_modules`).toBe(false);
  });

  it('would catch a module the bundle leaves out: a bare import fails in the fresh node', () => {
    const dir = join(root, 'control');
    mkdirSync(dir);
    const file = join(dir, 'index.mjs');
    writeFileSync(file, "import { parse } from 'yaml';\nexport const handler = () => parse('a: 1');\n");
    const probe = importInFreshNode(file);
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain('ERR_MODULE_NOT_FOUND');
  });

  it.each(LAMBDA_HANDLERS.map((handler) => handler.name))(
    '%s loads in plain Node and exports a handler function',
    (name) => {
      const bundle = built.get(name)!;
      const probe = importInFreshNode(bundle.file);
      expect(probe.stderr).toBe('');
      expect(probe.status).toBe(0);
    },
  );

  it('ships the built templates next to the bundles that render, as the stack does', () => {
    for (const handler of LAMBDA_HANDLERS) {
      const shipped = existsSync(join(root, handler.name, 'templates', 'layout.hbs'));
      expect(shipped, handler.name).toBe(WITH_TEMPLATES.includes(handler.name));
    }
    for (const name of WITH_TEMPLATES) {
      const files = readdirSync(join(root, name, 'templates'));
      expect(files, name).toEqual(expect.arrayContaining(['digest.html.hbs', 'confirm.html.hbs']));
      expect(
        files.filter((file) => file.endsWith('.mjml')),
        name,
      ).toEqual([]);
    }
  });

  it('carries no MJML, juice or parse5 in any function: mail templates are compiled at bundle time', () => {
    const compilers = (input: string) => /node_modules\/(mjml[^/]*|juice|parse5[^/]*)\//.test(input);
    for (const [name, bundle] of built) {
      // On failure, the import chain says which module drags the compiler in.
      expect(importChain(bundle, compilers)?.join(' → '), name).toBeUndefined();
      expect(bundle.inputs.filter(compilers), name).toEqual([]);
    }
  });

  it('would catch MJML in a bundle: the check finds it in one that imports the compiler', async () => {
    const probe = await bundleLambda(
      { name: 'mjml-probe', entry: 'functions/core/render/mjml.ts', templates: false },
      join(root, 'mjml-probe'),
    );
    expect(probe.inputs.some((input) => /node_modules\/mjml-core\//.test(input))).toBe(true);
    expect(probe.inputs.some((input) => /node_modules\/juice\//.test(input))).toBe(true);
  });

  it("signs with the execution role's environment credentials, without the SDK's default chain", async () => {
    const probe = await bundleLambda(
      { name: 'credential-probe', entry: 'test/fixtures/credential-probe.ts', templates: false },
      join(root, 'credential-probe'),
    );
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(probe.file).href)}); console.log(await handler());`;
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dirname(probe.file),
        env: { PATH: process.env.PATH ?? '', HOME: dirname(probe.file), ...env },
        encoding: 'utf8',
      });
    // What Lambda puts in a function's environment.
    const lambda = run({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEROLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    expect(lambda.status, lambda.stderr).toBe(0);
    expect(lambda.stdout.trim()).toBe('ASIAEXAMPLEROLE');
    // Without them the error is the SDK's own, not a missing module.
    expect(run({}).stderr).toContain('Unable to find environment variable credentials');
    // The providers the chain would bring (and the STS, SSO and sign-in clients behind them) are gone from every bundle.
    const chain = (input: string) =>
      /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|login)|nested-clients)\//.test(
        input,
      );
    for (const [name, bundle] of [...built, ['credential-probe', probe] as const])
      expect(bundle.inputs.filter(chain), name).toEqual([]);
  });

  it('keeps rendering out of the ingest bundle: no MJML, no Handlebars', () => {
    const ingest = built.get('ingest')!;
    const rendering = (input: string) => /node_modules\/(mjml|handlebars)/.test(input);
    // On failure, the import chain says which module drags the renderer in.
    expect(importChain(ingest, rendering)?.join(' → ')).toBeUndefined();
    expect(ingest.inputs.filter((input) => /mjml|handlebars/i.test(input))).toEqual([]);
  });

  it('bundles no build, test or deployment package into any function', () => {
    for (const [name, bundle] of built) {
      const packages = new Set(bundle.inputs.map(packageOf));
      expect(
        NEVER_BUNDLED.filter((pkg) => packages.has(pkg)),
        name,
      ).toEqual([]);
    }
  });

  it('carries the locale files in every function that renders text, and not in ingest', () => {
    for (const name of ['publish', 'edition', 'confirm-mailer', 'subscribe-api']) {
      const locales = built.get(name)!.inputs.filter((input) => /templates\/locales\/\w+\.json$/.test(input));
      expect(locales.map((input) => input.replace(/.*\//, '')).sort(), name).toEqual([
        'de.json',
        'en.json',
        'es.json',
        'fr.json',
      ]);
    }
    expect(built.get('ingest')!.inputs.filter((input) => input.includes('templates/locales'))).toEqual([]);
  });

  it('keeps every other bundle within 1 MiB, and lists exactly those over it', () => {
    const over = [...built].filter(([, bundle]) => bundle.bytes > 1024 * 1024).map(([name]) => name);
    expect(over.sort()).toEqual([...OVER_ONE_MIB].sort());
  });

  it('keeps each bundle within its size budget', () => {
    for (const [name, bundle] of built) {
      const budget = SIZE_BUDGET_KIB[name];
      expect(budget, `no size budget for ${name}`).toBeDefined();
      expect(bundle.bytes / 1024, name).toBeLessThan(budget!);
    }
  });
});
