/**
 * The one place that picks adapters. The local build uses files and, for large runs, worker
 * threads; the Lambda handlers compose the AWS adapters (see the other files of `compose/`).
 */

import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpHubNotifier } from '../adapters/http/websub-hub.js';
import { FileBlobStore } from '../adapters/local/file-blob-store.js';
import { FileSiteSink } from '../adapters/local/file-sink.js';
import { FileArticleSource } from '../adapters/local/file-source.js';
import { describeFsError } from '../adapters/local/folders.js';
import { cachedTemplates, TEMPLATE_CACHE_DIR } from '../adapters/local/template-cache.js';
import { readTemplates } from '../adapters/local/templates.js';
import { bundleWorker, WorkerPool } from '../adapters/local/worker-pool.js';
import { ConfigError, resolveConfig } from '../core/config.js';
import type { BuildDeps, BuildOptions } from '../core/local/build.js';
import { sequentialPageWriter } from '../core/local/render.js';
import type { LocalWebSub } from '../core/local/site-extras.js';
import type { SiteConfig } from '../core/model.js';
import type { Clock, Progress } from '../core/ports.js';
import { silentProgress } from '../core/ports.js';
import { DigestRenderer } from '../core/render/digest.js';
import { LOCALE_CATALOGS } from '../core/render/locale-catalog.js';
import { SiteRenderer } from '../core/render/site.js';
import type { PagesWritten } from '../core/stories/page-reads.js';
import { type PrepareOutcome, prepareEntries } from '../core/stories/prepare.js';
import type { PageJob } from '../core/stories/story-pages.js';
import { renderKeyOf, systemClock } from './shared.js';
import { siteLocaleOf } from './site-locale.js';

export interface LocalOptions {
  articlesDir: string;
  outDir: string;
  stateDir: string;
  /** A JSON config file; when absent, `site.config.json` in the working folder is used if it exists. */
  configPath?: string;
  templatesDir?: string;
  /** Worker threads for large runs; 1 keeps everything in this thread. */
  workers?: number;
  clock?: Clock;
  progress?: Progress;
  /** How the WebSub hub is told (default: HTTP, failures on stderr); only used when the config names a hub. */
  websub?: LocalWebSub;
  /** Where compiled templates are kept between runs (default `node_modules/.cache/newsfeed-generator/`). */
  templateCacheDir?: string;
}

export const DEFAULT_CONFIG_FILE = 'site.config.json';
/** Below this many files a run stays in one thread: starting workers costs more than it saves. */
const PARALLEL_THRESHOLD = 400;
const CHUNK = 200;

export async function loadConfig(configPath: string | undefined): Promise<SiteConfig> {
  const path = configPath ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!configPath && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolveConfig({});
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'does not exist: check the path given to --config'
        : `cannot be read: ${describeFsError(error) ?? (error as Error).message}: ` +
          (code === 'EACCES' || code === 'EPERM'
            ? 'fix its permissions, or pass --config FILE'
            : 'pass --config FILE');
    throw new ConfigError(`config file ${path} ${problem}`, path);
  }
  if (text.trim() === '')
    throw new ConfigError(`config file ${path} is empty: write a JSON object in it, {} at the least`, path);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid JSON: ${jsonProblem(text, error as Error)}`,
      path,
    );
  }
  try {
    return resolveConfig(raw);
  } catch (error) {
    // Every broken rule at once, each on its own line naming the file.
    if (error instanceof ConfigError) {
      const lines = error.problems.map((problem) => `${path}: ${problem.message}`);
      throw new ConfigError(lines.join('\n'), error.key, error.problems);
    }
    throw error;
  }
}

/** V8's JSON error with the offset it gives as a line and column, which an editor can go to. */
function jsonProblem(text: string, error: Error): string {
  const match = /^(.*?)\s+in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/s.exec(error.message);
  if (!match) return error.message;
  const before = text.slice(0, Number(match[2]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${match[1]} at line ${line}, column ${column}`;
}

export interface LocalBuild {
  deps: BuildDeps;
  options: BuildOptions;
  close(): Promise<void>;
}

export async function composeLocal(local: LocalOptions): Promise<LocalBuild> {
  const articlesDir = resolve(local.articlesDir);
  const outDir = resolve(local.outDir);
  const { config, locale } = siteLocaleOf(await loadConfig(local.configPath));
  // MJML compiled by the function the Lambda bundling step runs (`writeBuiltTemplates`), once per
  // template change: the result is cached between runs.
  const templates = await cachedTemplates(
    await readTemplates(resolve(local.templatesDir ?? 'templates')),
    local.templateCacheDir ?? fileURLToPath(TEMPLATE_CACHE_DIR),
  );
  const source = new FileArticleSource(articlesDir);
  const sink = new FileSiteSink(outDir);
  const site = SiteRenderer.create(templates, config, locale);
  const digest = DigestRenderer.create(templates, config, locale);
  const workers = Math.max(1, local.workers ?? availableParallelism());
  const renderKey = renderKeyOf(config, templates, LOCALE_CATALOGS);

  let pool: Promise<WorkerPool> | undefined;
  let script: Promise<string> | undefined;
  const getPool = () => {
    // Bundled once per run; the pool itself is restarted between phases (see `prepare`).
    script ??= bundleWorker(new URL('../adapters/local/build-worker.ts', import.meta.url));
    pool ??= script.then((code) => new WorkerPool(workers, code, { articlesDir, outDir, config, templates }));
    return pool;
  };
  const parallel = (count: number) => workers > 1 && count >= PARALLEL_THRESHOLD;
  const chunks = <T>(items: T[]) => {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
    return out;
  };
  const progress = local.progress ?? silentProgress;

  const deps: BuildDeps = {
    source,
    sink,
    state: new FileBlobStore(resolve(local.stateDir)),
    clock: local.clock ?? systemClock(),
    progress,
    renderers: { site, digest },
    ...(config.websub
      ? {
          websub: local.websub ?? {
            notifier: new HttpHubNotifier(),
            warn: (line: string) => process.stderr.write(`${line}\n`),
          },
        }
      : {}),
    async prepare(entries, options) {
      if (!parallel(entries.length))
        return prepareEntries((key, version) => source.read(key, version), entries, options);
      let done = 0;
      const results = await Promise.all(
        chunks(entries).map(async (chunk) => {
          const outcomes = await (await getPool()).run<PrepareOutcome[]>({
            kind: 'prepare',
            entries: chunk,
            options,
          });
          done += chunk.length;
          progress.update('reading', done, entries.length);
          return outcomes;
        }),
      );
      // Workers are stopped between phases: the memory their heaps grew to while parsing goes back
      // to the system before deduplication, the phase that holds every article's features.
      await (await pool)?.close();
      pool = undefined;
      return results.flat();
    },
  };
  const now = () => deps.clock.now().toISOString();
  deps.writePages = async (jobs: PageJob[]) => {
    if (!parallel(jobs.length)) {
      return sequentialPageWriter(source, sink, site, config, deps.clock.now())(jobs);
    }
    let done = 0;
    const parts = await Promise.all(
      chunks(jobs).map(async (chunk) => {
        const pages = await (await getPool()).run<PagesWritten>({ kind: 'pages', jobs: chunk, now: now() });
        done += chunk.length;
        progress.update('writing pages', done, jobs.length);
        return pages;
      }),
    );
    return {
      written: parts.reduce((sum, part) => sum + part.written, 0),
      skipped: parts.flatMap((part) => part.skipped),
    };
  };
  return {
    deps,
    options: { config, renderKey },
    close: async () => {
      await (await pool)?.close();
    },
  };
}
