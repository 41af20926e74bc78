import type { Diagnostic, RelatedLink, SiteConfig, Story, StoryRecord } from '../model.js';
import type { SiteSink } from '../ports.js';
import type { SiteRenderer } from '../render/site.js';
import type { EditionListing } from '../render/site-listings.js';
import { publishFeeds } from './publish-feeds.js';
import { publishSitemaps } from './publish-sitemaps.js';
import { publishTags } from './publish-tags.js';
import { type CatalogEntry, CONTENT_TYPES, type SiteOutput } from './site-output.js';
import type { PageJob, PageWriter } from './story-pages.js';
import { compareStories, listingStory } from './story-view.js';

export { type CatalogEntry, monthOf } from './site-output.js';

/** How many stories the home page lists; older ones are in the month archives. */
export const INDEX_STORIES = 100;

/** Read access to the published stories, newest first; the local state and DynamoDB both provide it. */
export interface StoryCatalog {
  newest(limit: number): Promise<CatalogEntry[]>;
  month(month: string): Promise<CatalogEntry[]>;
  /** Every month that has stories, with its count. */
  months(): Promise<Array<{ month: string; count: number }>>;
  /** Every story, newest first; without it, read month by month (tag pages and the sitemap need them all). */
  all?(): Promise<CatalogEntry[]>;
}

/** Every story, newest first. */
async function allStories(catalog: StoryCatalog): Promise<CatalogEntry[]> {
  if (catalog.all) return catalog.all();
  const all: CatalogEntry[] = [];
  for (const { month } of await catalog.months()) all.push(...(await catalog.month(month)));
  return all.sort((a, b) =>
    compareStories({ id: a.id, date: a.record.date }, { id: b.id, date: b.record.date }),
  );
}

export interface SiteChanges {
  /** Stories whose record is new or changed. */
  changed: CatalogEntry[];
  /** Stories that no longer exist, or whose slug, month or tags changed, as they were (the pages they left). */
  removed: CatalogEntry[];
  /**
   * The changed stories that are new or have another date than at the last publish: each moves the
   * archive pages after it. The other changed stories are rendered again where they were. Without
   * it every changed story is taken as moved.
   */
  shifted?: ReadonlySet<string>;
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
  /**
   * Every email edition, for the digest archive (`digests/index.html`); none when email is off.
   * `all` is every story, newest first, for editions that name their stories by id.
   */
  editions?(all: readonly CatalogEntry[]): Promise<EditionListing[]>;
  /** The build clock: the News sitemap lists the stories of the two days before it. */
  now: Date;
}

export interface PublishSiteResult {
  written: number;
  removed: number;
  /** Site paths whose content changed or disappeared (for CDN invalidation). */
  paths: string[];
  /** Stories whose page was not written: their article could not be read (see `page-reads.ts`). */
  skipped: Diagnostic[];
  /** Absolute URLs of the subscription feeds (the site's and the tags') whose content changed: for WebSub. */
  changedFeeds: string[];
}

const HTML = CONTENT_TYPES.html;
const monthOf = (iso: string) => iso.slice(0, 7);

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
    if (!(await sink.write({ path, contentType, body }))) return false;
    written++;
    paths.push(path);
    return true;
  };
  const remove = async (path: string) => {
    if (!(await sink.exists(path))) return false;
    await sink.remove(path);
    removed++;
    paths.push(path);
    return true;
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
  const out: SiteOutput = { write, remove, full };
  const isShifted = ({ id }: CatalogEntry) => !changes.shifted || changes.shifted.has(id);
  const storyKey = ({ id, record }: CatalogEntry) => ({ id, date: record.date });
  const changedFeeds = await publishFeeds(out, {
    config,
    newest,
    months,
    month: (month) => catalog.month(month),
    touched: touchedMonths,
    shifted: [...changes.changed.filter(isShifted), ...changes.removed].map(storyKey),
    updated: changes.changed.filter((entry) => !isShifted(entry)).map(storyKey),
    anyRemoved: changes.removed.length > 0,
    newestBeyond: (limit) => catalog.newest(limit),
    rerenderAll: changes.rerenderAll,
  });
  const all = await allStories(catalog);
  changedFeeds.push(
    ...(await publishTags(out, {
      config,
      site,
      all,
      touched: [...changes.changed, ...changes.removed].map(({ record }) => record.tags),
      rerenderAll: changes.rerenderAll,
    })),
  );
  const editions = (await deps.editions?.(all)) ?? [];
  if (editions.length) await write('digests/index.html', HTML, site.renderDigests(editions));
  const lastEdition = editions.reduce<EditionListing | undefined>(
    (a, b) => (a && a.number > b.number ? a : b),
    undefined,
  );
  await publishSitemaps(out, {
    config,
    all,
    now: deps.now,
    ...(lastEdition ? { digestsUpdated: lastEdition.date } : {}),
  });

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
      ...(editions.length ? { digestsArchive: true } : {}),
    }),
  );
  return {
    written,
    removed,
    paths,
    skipped: pages.skipped,
    changedFeeds: changedFeeds.map((path) => `${config.siteUrl}${path}`),
  };
}
