/**
 * The local build run in this process, as the CLI composes it (real folders, one thread, the fixed
 * test clock), with a hook to wrap its ports: the local fault suites inject crashes and races through
 * it. Much cheaper than a child process per build, so a suite can afford one build per crash point.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { composeLocal, type LocalOptions } from '../../functions/compose/local.js';
import { type BuildDeps, build } from '../../functions/core/local/build.js';
import { LoadedRecords } from '../../functions/core/local/records-tail.js';
import { sequentialPageWriter } from '../../functions/core/local/render.js';
import type { BuildReport } from '../../functions/core/local/report.js';
import { FIXED_EPOCH, REPO, type Workspace, workspace } from './cli.js';

export type PortWrapper = (
  deps: Pick<BuildDeps, 'source' | 'sink' | 'state'>,
) => Partial<Pick<BuildDeps, 'source' | 'sink' | 'state'>>;

export async function buildHere(
  ws: Workspace,
  wrap?: PortWrapper,
  /** More options, e.g. a config file or a WebSub notifier. */
  extra: Partial<LocalOptions> = {},
): Promise<BuildReport> {
  const now = new Date(FIXED_EPOCH * 1000);
  const local = await composeLocal({
    articlesDir: ws.articles,
    outDir: ws.out,
    stateDir: ws.state,
    templatesDir: join(REPO, 'templates'),
    workers: 1,
    clock: { now: () => now },
    ...extra,
  });
  try {
    const { deps, options } = local;
    if (wrap) {
      Object.assign(deps, wrap(deps));
      // Pages through the wrapped ports too (the composed writer holds the unwrapped ones).
      deps.writePages = sequentialPageWriter(
        deps.source,
        deps.sink,
        deps.renderers.site,
        options.config,
        now,
      );
    }
    return await build(deps, options);
  } finally {
    await local.close();
  }
}

/** A workspace whose articles are a copy of `articles` (no output, no state). */
export function workspaceWith(articles: string): Workspace {
  return workspace(articles);
}

/** Every file under `dir` with its bytes (no times), keyed by relative path: what must be byte-identical. */
export function siteBytes(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'latin1'));
    }
  };
  walk(dir);
  return files;
}

/** Paths that differ between two sites: missing from `got`, extra in it, or with other bytes. */
export function siteDiff(
  want: Map<string, string>,
  got: Map<string, string>,
): { missing: string[]; extra: string[]; changed: string[] } {
  const missing = [...want.keys()].filter((path) => !got.has(path));
  const extra = [...got.keys()].filter((path) => !want.has(path));
  const changed = [...want.keys()].filter((path) => got.has(path) && got.get(path) !== want.get(path));
  return { missing, extra, changed };
}

/**
 * The state a build wrote in `stateDir`, head and maps as one object (no checks): the head is
 * `state.json`, the maps the `records.bin` blob it names with its tail applied.
 */
// biome-ignore lint/suspicious/noExplicitAny: a test's view of whatever the file holds.
export function storedState(stateDir: string): Record<string, any> {
  const head = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
  const blob = (name: string) =>
    head.blobs[name] ? readFileSync(join(stateDir, head.blobs[name].file)) : undefined;
  const { records } = LoadedRecords.decode(blob('records.bin')!, blob('records-tail.bin'));
  return { ...head, ...records };
}
