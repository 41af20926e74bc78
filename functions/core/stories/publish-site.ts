import type { Diagnostic, RelatedLink, SiteConfig, Story, StoryRecord } from '../model.js';
import type { SiteSink } from '../ports.js';
import { renderAtom, renderJsonFeed, renderRss } from '../render/feeds.js';
import type { SiteRenderer } from '../render/site.js';
import type { PageJob, PageWriter } from './story-pages.js';
import { listingStory } from './story-view.js';

/** How many stories the home page lists; older ones are in the month archives. */
export const INDEX_STORIES = 100;

export interface CatalogEntry {
  id: string;
  record: StoryRecord;
}

/** Read access to the published stories, newest first; the local state and DynamoDB both provide it. */
export interface StoryCatalog {
  newest(limit: number): Promise<CatalogEntry[]>;
  month(month: string): Promise<CatalogEntry[]>;
  /** Every month that has stories, with its count. */
  months(): Promise<Array<{ month: string; count: number }>>;
}

export interface SiteChanges {
  /** Stories whose record is new or changed. */
  changed: CatalogEntry[];
  /** Stories that no longer exist, or whose slug or month changed, as they were. */
  removed: CatalogEntry[];
  /** Render every page (templates or config changed, or the site is missing). */
  rerenderAll: boolean;
}

export interface PublishSiteDeps {
  sink: SiteSink;
  site: SiteRenderer;
  config: SiteConfig;
  writePages: PageWriter;
  /**
   * Loads a story's full content (by re-reading its canonical member); undefined when none of its
   * articles can be read any more, and the story is left out of the feeds and the home page.
   */
  loadStory(id: string, record: StoryRecord): Promise<Story | undefined>;
  /** The related stories an article page links: those of `ids` that exist. */
  relatedLinks?(ids: readonly string[]): Promise<RelatedLink[]>;
  latestDigest?: { path: string; subject: string };
}

export interface PublishSiteResult {
  written: number;
  removed: number;
  /** Site paths whose content changed or disappeared (for CDN invalidation). */
  paths: string[];
  /** Stories whose page was not written: their article could not be read (see `page-reads.ts`). */
  skipped: Diagnostic[];
}

export const monthOf = (iso: string) => iso.slice(0, 7);

const HTML = 'text/html; charset=utf-8';

/**
 * Renders what a set of story changes touches: their pages, the month archives they appear in, the
 * three feeds and the home page. Outputs whose bytes did not change are not written again.
 */
export async function publishSite(
  deps: PublishSiteDeps,
  catalog: StoryCatalog,
  changes: SiteChanges,
): Promise<PublishSiteResult> {
  const { sink, site, config } = deps;
  const paths: string[] = [];
  let written = 0;
  let removed = 0;
  const write = async (path: string, contentType: string, body: string) => {
    if (await sink.write({ path, contentType, body })) {
      written++;
      paths.push(path);
    }
  };
  const remove = async (path: string) => {
    if (await sink.exists(path)) {
      await sink.remove(path);
      removed++;
      paths.push(path);
    }
  };

  const months = await catalog.months();
  const changedIds = new Set(changes.changed.map((entry) => entry.id));
  const slugs = new Map(changes.changed.map((entry) => [entry.id, entry.record.slug]));
  for (const { id, record } of changes.removed) {
    if (slugs.get(id) !== record.slug) await remove(`articles/${record.slug}.html`);
  }

  let entries: CatalogEntry[] = changes.changed;
  if (changes.rerenderAll) {
    entries = [];
    for (const { month } of months) entries.push(...(await catalog.month(month)));
  }
  const jobs: PageJob[] = [];
  for (const { id, record } of entries) {
    const related =
      record.related?.length && deps.relatedLinks ? await deps.relatedLinks(record.related) : [];
    jobs.push({ id, record, related });
  }
  const pages = await deps.writePages(jobs);
  const pagesWritten = pages.written;
  written += pagesWritten;
  if (pagesWritten)
    for (const job of jobs) if (changedIds.has(job.id)) paths.push(`articles/${job.record.slug}.html`);

  const touchedMonths = new Set<string>();
  if (changes.rerenderAll) for (const { month } of months) touchedMonths.add(month);
  for (const { record } of [...changes.changed, ...changes.removed]) touchedMonths.add(monthOf(record.date));
  const liveMonths = new Set(months.map((m) => m.month));
  for (const month of [...touchedMonths].sort()) {
    if (!liveMonths.has(month)) {
      await remove(`archive/${month}.html`);
      continue;
    }
    const stories = (await catalog.month(month)).map(({ id, record }) => listingStory(id, record));
    await write(`archive/${month}.html`, HTML, site.renderArchiveMonth(month, stories));
  }

  const newest = await catalog.newest(Math.max(config.feedSize, INDEX_STORIES));
  const loaded = new Map<string, Story | undefined>();
  const full = async ({ id, record }: CatalogEntry) => {
    if (!loaded.has(id)) loaded.set(id, await deps.loadStory(id, record));
    return loaded.get(id);
  };
  const feedStories: Story[] = [];
  for (const entry of newest.slice(0, config.feedSize)) {
    const story = await full(entry);
    if (story) feedStories.push(story);
  }
  await write('feed.xml', 'application/rss+xml; charset=utf-8', renderRss(feedStories, config));
  await write('atom.xml', 'application/atom+xml; charset=utf-8', renderAtom(feedStories, config));
  await write('feed.json', 'application/feed+json; charset=utf-8', renderJsonFeed(feedStories, config));

  const indexStories: Story[] = [];
  for (const entry of newest.slice(0, INDEX_STORIES)) {
    const story = await full(entry);
    if (story) indexStories.push(story);
  }
  await write(
    'index.html',
    HTML,
    site.renderIndex({
      stories: indexStories,
      months,
      ...(deps.latestDigest ? { latestDigest: deps.latestDigest } : {}),
    }),
  );
  return { written, removed, paths, skipped: pages.skipped };
}
