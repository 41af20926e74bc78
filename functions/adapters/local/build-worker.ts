/**
 * Worker thread side of the local build: reads and prepares articles, and renders article pages,
 * so that a large build uses every core. It runs the same core functions as the single-thread path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../../core/model.js';
import type { SourceEntry } from '../../core/ports.js';
import { SiteRenderer } from '../../core/render/site.js';
import type { BuiltTemplates } from '../../core/render/templates.js';
import { writeArticlePages } from '../../core/stories/page-reads.js';
import { type PrepareOptions, packOutcomes, prepareEntries } from '../../core/stories/prepare.js';
import { articlePage, loadStory, type PageJob } from '../../core/stories/story-pages.js';
import { FileSiteSink } from './file-sink.js';
import { FileArticleSource } from './file-source.js';

export interface BuildWorkerData {
  articlesDir: string;
  outDir: string;
  config: SiteConfig;
  templates: BuiltTemplates;
}

export type BuildTask =
  | { kind: 'prepare'; entries: SourceEntry[]; options: PrepareOptions }
  | { kind: 'pages'; jobs: PageJob[]; now: string };

const data = workerData as BuildWorkerData;
const source = new FileArticleSource(data.articlesDir);
const sink = new FileSiteSink(data.outDir);
const site = SiteRenderer.create(data.templates, data.config);

async function handle(task: BuildTask): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  if (task.kind === 'prepare') {
    const outcomes = await prepareEntries(
      (key, version) => source.read(key, version),
      task.entries,
      task.options,
    );
    const buffer = packOutcomes(outcomes);
    return { value: outcomes, transfer: buffer ? [buffer] : [] };
  }
  const now = new Date(task.now);
  const pages = await writeArticlePages(
    task.jobs,
    (job: PageJob) => loadStory(source, data.config, now, job.id, job.record, job.related ?? [], sink),
    sink,
    (story) => articlePage(site, story),
  );
  return { value: pages, transfer: [] };
}

parentPort?.on('message', (task: BuildTask) => {
  handle(task).then(
    ({ value, transfer }) => parentPort!.postMessage({ ok: true, value }, transfer),
    (error: Error) => parentPort!.postMessage({ ok: false, error: error.stack ?? error.message }),
  );
});
