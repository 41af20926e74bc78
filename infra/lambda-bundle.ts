/**
 * How the Lambda functions are bundled, in one place: `ProjectFunction` hands these options to
 * esbuild's CLI through `NodejsFunction`, and the bundle test and benchmark pass the same ones to
 * esbuild's JS API, so the bundles they check are the bundles that ship. esbuild itself is imported
 * lazily: the CDK app loads this file, and reports a missing esbuild with its own error.
 */

import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { FUNCTIONS } from '../functions/handlers/contracts.js';

/** The repository root: entries and assets are resolved from here, not from the cwd. */
export const BUNDLE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Defines `require` inside the ESM bundle, for CommonJS dependencies that call it at run time. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * esbuild options of every function. The AWS SDK is bundled rather than taken from the runtime,
 * whose copy lags behind the version the code is tested with. No externals: MJML (which reached
 * `typescript` through cosmiconfig) runs at bundle time now, not in a function.
 */
export const LAMBDA_BUNDLING = {
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourcemap: true,
  external: [] as string[],
  /**
   * The SDK's default credential chain replaced by the execution role's environment credentials
   * (`functions/adapters/aws/lambda-credentials.ts` says why): 109 KiB less in every bundle.
   */
  alias: { '@aws-sdk/credential-provider-node': './functions/adapters/aws/lambda-credentials.ts' },
} as const;

/** Where `NodejsFunction` writes an ESM bundle, and so the module Lambda loads. */
export const BUNDLE_FILE = 'index.mjs';

export interface LambdaHandler {
  name: string;
  /** Relative to the repository root. */
  entry: string;
  /** Ships the built templates in `templates/`, as the construct's `BUILD_TEMPLATES` hook does. */
  templates: boolean;
}

/**
 * The deployed functions (see `infra/constructs/`); those that render pages or mail ship the built
 * templates (`BUILD_TEMPLATES`). The email functions only deploy with `newsfeed.email`.
 */
export const LAMBDA_HANDLERS: readonly LambdaHandler[] = Object.values(FUNCTIONS).map((fn) => ({
  name: fn.name,
  entry: fn.entry,
  templates: fn.templates,
}));

export interface BuiltBundle {
  /** The entry as the metafile names it (relative to the repository root). */
  entry: string;
  file: string;
  /** Size of the minified JavaScript, without its source map. */
  bytes: number;
  mapBytes: number;
  metafile: Metafile;
  /** Input paths, relative to the repository root (e.g. `node_modules/mjml/lib/index.js`). */
  inputs: string[];
}

/** Bundles one handler into `outDir` exactly as the stack does, then writes its templates beside it. */
export async function bundleLambda(handler: LambdaHandler, outDir: string): Promise<BuiltBundle> {
  const { build } = await import('esbuild');
  const file = join(outDir, BUNDLE_FILE);
  const { format, platform, target, mainFields, banner, minify, sourcemap, external, alias } =
    LAMBDA_BUNDLING;
  const result = await build({
    entryPoints: [join(BUNDLE_ROOT, handler.entry)],
    absWorkingDir: BUNDLE_ROOT,
    bundle: true,
    outfile: file,
    format,
    platform,
    target,
    mainFields: [...mainFields],
    banner: { js: banner },
    minify,
    sourcemap,
    external: [...external],
    alias: { ...alias },
    metafile: true,
    logLevel: 'silent',
  });
  if (handler.templates) {
    // Loaded here only: it brings MJML, which the CDK app itself never needs.
    const { writeBuiltTemplates } = await import('../functions/adapters/local/template-build.js');
    await writeBuiltTemplates(join(BUNDLE_ROOT, 'templates'), join(outDir, 'templates'));
  }
  return {
    entry: handler.entry,
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    metafile: result.metafile,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/** How the entry reaches the first input that `matches` (breadth-first, so a shortest chain), if any. */
export function importChain(bundle: BuiltBundle, matches: (input: string) => boolean): string[] | undefined {
  const { inputs } = bundle.metafile;
  const cameFrom = new Map<string, string | undefined>([[bundle.entry, undefined]]);
  const queue = [bundle.entry];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (matches(path)) {
      const chain: string[] = [];
      for (let at: string | undefined = path; at !== undefined; at = cameFrom.get(at)) chain.unshift(at);
      return chain;
    }
    for (const { path: next } of inputs[path]?.imports ?? []) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, path);
      queue.push(next);
    }
  }
  return undefined;
}

export interface FreshImport {
  /** 0 when the module loaded and exports a `handler` function; 3 when it has none. */
  status: number;
  stderr: string;
  /** From the start of `import()` to its resolution, inside the child. */
  importMs?: number;
  /** From the child's process start (`performance.timeOrigin`) to the import resolved. */
  sinceStartMs?: number;
  /** The child's whole life as the parent sees it: spawn, start-up, import, exit. */
  wallMs: number;
}

/**
 * Imports a bundle in a new `node` whose working folder is the bundle's own, with no NODE_PATH and a
 * HOME there too (so no global module folder): whatever the bundle did not include cannot be found.
 * `nodeFlags` go before the script, e.g. the `--enable-source-maps` the functions run with.
 */
export function importInFreshNode(bundleFile: string, nodeFlags: readonly string[] = []): FreshImport {
  const script = [
    'const start = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});`,
    'const end = performance.now();',
    "if (typeof m.handler !== 'function') process.exit(3);",
    'process.stdout.write(JSON.stringify({ importMs: end - start, sinceStartMs: end }));',
  ].join('\n');
  const cwd = dirname(bundleFile);
  const began = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd },
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - began) / 1e6;
  const probe: FreshImport = { status: child.status ?? -1, stderr: child.stderr ?? '', wallMs };
  if (probe.status === 0) {
    const timing = JSON.parse(child.stdout) as { importMs: number; sinceStartMs: number };
    probe.importMs = timing.importMs;
    probe.sinceStartMs = timing.sinceStartMs;
  }
  return probe;
}
