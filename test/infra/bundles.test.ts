/**
 * The Lambda bundles, built with the stack's own esbuild options (`infra/lambda-bundle.ts`) into a
 * temporary folder outside the repository, then imported by a fresh `node` that can reach no
 * node_modules: a dependency the bundle left out fails here rather than at the first cold start.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
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
 * Minified sizes measured on 2026-11 (ingest 938 KiB, publish 935 KiB, reconcile 786 KiB: mostly the
 * AWS SDK, bundled on purpose) plus about 20 % headroom. Raise one only for a reason you can name.
 */
const SIZE_BUDGET_KIB: Record<string, number> = { ingest: 800, publish: 1050, reconcile: 650 };

/** Packages that belong to the build, the tests or the deployment, never to a function. */
const NEVER_BUNDLED = ['aws-cdk-lib', 'constructs', 'esbuild', 's3rver', 'dynalite', 'vitest', 'tsx'];

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

  it('ships the templates next to the publish bundle, as the stack does', () => {
    expect(existsSync(join(root, 'publish', 'templates', 'layout.hbs'))).toBe(true);
    expect(existsSync(join(root, 'ingest', 'templates'))).toBe(false);
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

  it('keeps each bundle within its size budget', () => {
    for (const [name, bundle] of built) {
      const budget = SIZE_BUDGET_KIB[name];
      expect(budget, `no size budget for ${name}`).toBeDefined();
      expect(bundle.bytes / 1024, name).toBeLessThan(budget!);
    }
  });
});
