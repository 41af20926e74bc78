/**
 * Pages are rendered from the article each story shows, read again at render time (the build keeps
 * only features in memory). That read can fail for reasons that are about the one article (deleted,
 * edited, swapped for a link since it was deduplicated): the story is then left out of this build's
 * pages and feeds with a warning naming the file, the other stories are published, and the next build
 * picks the change up. Any other failure still stops the build.
 */
import { ArticleRejectedError } from '../article/parse-article.js';
import type { Diagnostic, OutputFile, Story, StoryRecord } from '../model.js';
import {
  ArticleChangedError,
  ArticleNotFoundError,
  ArticleUnreadableError,
  type SiteSink,
} from '../ports.js';
import { shownKey } from './prepare.js';

/** What a page writer did: pages written, and stories skipped because their article could not be read. */
export interface PagesWritten {
  written: number;
  skipped: Diagnostic[];
}

/** The warning for a story whose article failed to read with `error`; undefined when `error` is not about the article. */
export function skippedStory(id: string, record: StoryRecord, error: unknown): Diagnostic | undefined {
  let problem: string;
  if (error instanceof ArticleNotFoundError) problem = 'vanished during the build';
  else if (error instanceof ArticleChangedError || error instanceof ArticleUnreadableError)
    problem = error.reason;
  else if (error instanceof ArticleRejectedError)
    problem = `changed during the build and no longer reads (${error.message})`;
  else return undefined;
  return {
    source: record.canonical,
    severity: 'warning',
    code: 'skipped',
    message: `${shownKey(record.canonical)}: ${problem}; its story ${id} is left out of this build's pages`,
  };
}

/** `load(id, record)`, or undefined with the warning added to `skipped` when the article cannot be read now. */
export async function loadOrSkip(
  load: () => Promise<Story>,
  id: string,
  record: StoryRecord,
  skipped: Diagnostic[],
): Promise<Story | undefined> {
  try {
    return await load();
  } catch (error) {
    const warning = skippedStory(id, record, error);
    if (!warning) throw error;
    if (!skipped.some((w) => w.source === warning.source)) skipped.push(warning);
    return undefined;
  }
}

/** Renders and writes each job's page; a story whose article cannot be read is skipped, not fatal. */
export async function writeArticlePages(
  jobs: readonly { id: string; record: StoryRecord }[],
  load: (job: { id: string; record: StoryRecord }) => Promise<Story>,
  sink: SiteSink,
  page: (story: Story) => OutputFile,
): Promise<PagesWritten> {
  const skipped: Diagnostic[] = [];
  let written = 0;
  for (const job of jobs) {
    const story = await loadOrSkip(() => load(job), job.id, job.record, skipped);
    if (story && (await sink.write(page(story)))) written++;
  }
  return { written, skipped };
}
