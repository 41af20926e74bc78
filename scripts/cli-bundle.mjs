// The CLI as one JavaScript file, so that `npm start` does not compile TypeScript on every run
// (measured: the tsx loader cost about a second of a build's start-up on this machine). Made by
// `npm run build` and `npm install`'s `prepare` step, and again by `npm start` whenever a source file
// is newer than it. Packages stay external (loaded from node_modules as usual): MJML and its
// dependencies load files by computed paths that a bundle cannot follow.
//
// The bundle sits in `functions/.build/`, one folder below `functions/` like the modules it is made
// from, so their paths relative to `import.meta.url` (the package.json, the worker module) still hold.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
export const BUNDLE = join(REPO, 'functions', '.build', 'cli.mjs');

/** The newest modification time of the bundle's inputs: every source file, and the package files. */
function newestInput() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(REPO, 'functions'));
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json'])
    newest = Math.max(newest, statSync(join(REPO, file), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

/** Whether the bundle is missing or older than a source file. */
export function bundleStale() {
  const made = statSync(BUNDLE, { throwIfNoEntry: false });
  return !made || made.mtimeMs < newestInput();
}

/**
 * Writes the bundle: the entry and one chunk per lazily loaded command or step (code splitting keeps
 * `import()` lazy, so `--help` does not load MJML or the AWS SDK), each to a file of its own first and
 * then renamed, the entry last, so a run started meanwhile never reads half of one. Chunks are named
 * by their content; those no current entry uses are deleted after an hour (a run may still load them).
 */
export async function buildBundle() {
  const { build } = await import('esbuild');
  const dir = dirname(BUNDLE);
  mkdirSync(dir, { recursive: true });
  const result = await build({
    entryPoints: { cli: join(REPO, 'functions', 'cli', 'main.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    write: false,
    logLevel: 'warning',
  });
  // The build's worker, bundled the way `bundleWorker` (functions/adapters/local/worker-pool.ts) bundles
  // it when run from the sources: read from here by the bundled CLI instead of bundled on every run.
  const worker = await build({
    entryPoints: [join(REPO, 'functions', 'adapters', 'local', 'build-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(dir, 'build-worker.cjs'),
    write: false,
    logLevel: 'warning',
  });
  const files = [...worker.outputFiles, ...result.outputFiles].sort(
    (a, b) => (a.path === BUNDLE) - (b.path === BUNDLE),
  );
  for (const file of files) {
    const partial = `${file.path}.${process.pid}.tmp`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
  const current = new Set(files.map((file) => basename(file.path)));
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!current.has(name) && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await buildBundle();
