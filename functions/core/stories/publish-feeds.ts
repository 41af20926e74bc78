/**
 * The site's subscription feeds and their RFC 5005 archive: `feed.xml`, `atom.xml` and `feed.json`
 * carry the newest `feedSize` stories; every story older than that is in the archive document of its
 * month (`archive/YYYY-MM.xml` RSS, `.atom.xml` Atom, `.json` JSON Feed), and the documents are
 * chained newest to oldest (`prev-archive`, `next-archive`, JSON Feed `next_url`). The window and the
 * archive never overlap, so a reader that walks the chain sees every story exactly once.
 */

import { ARCHIVE_PAGE_SIZE } from '../config.js';
import type { SiteConfig } from '../model.js';
import { type FeedChannel, type FeedFormat, feedUrls, siteChannel } from '../render/feed-urls.js';
import { renderAtom, renderJsonFeed, renderRss } from '../render/feeds.js';
import { type CatalogEntry, CONTENT_TYPES, fullStories, monthOf, type SiteOutput } from './site-output.js';
import { compareStories } from './story-view.js';

/**
 * The archive document of a month's `page` (0: its oldest stories), by format: what the chain links
 * and where each file goes. Page 0 keeps the month's plain name, so a month that fits in one page is
 * `archive/2025-10.xml`; further pages are `archive/2025-10-p2.xml`, `-p3`, ….
 */
export const archivePath = (month: string, format: FeedFormat, page = 0) =>
  `archive/${month}${page ? `-p${page + 1}` : ''}${format === 'rss' ? '.xml' : format === 'atom' ? '.atom.xml' : '.json'}`;

const FORMATS: ReadonlyArray<{ format: FeedFormat; type: string }> = [
  { format: 'rss', type: CONTENT_TYPES.rss },
  { format: 'atom', type: CONTENT_TYPES.atom },
  { format: 'json', type: CONTENT_TYPES.json },
];

function render(
  format: FeedFormat,
  stories: Parameters<typeof renderRss>[0],
  config: SiteConfig,
  channel: FeedChannel,
) {
  if (format === 'rss') return renderRss(stories, config, channel);
  if (format === 'atom') return renderAtom(stories, config, channel);
  return renderJsonFeed(stories, config, channel);
}

/** A story's place in the chain: its date and id, as `compareStories` orders them. */
export interface StoryKey {
  id: string;
  date: string;
}

export interface FeedInputs {
  config: SiteConfig;
  /** The newest stories, at least `feedSize` of them when there are that many. */
  newest: readonly CatalogEntry[];
  months: ReadonlyArray<{ month: string; count: number }>;
  month(month: string): Promise<CatalogEntry[]>;
  /** Months whose stories changed, or that a removed story was in. */
  touched: ReadonlySet<string>;
  /**
   * Stories that came, went or moved (those that went or moved as they were): the archive pages of
   * their month from the oldest one on hold other stories now, and are rendered again.
   */
  shifted: readonly StoryKey[];
  /** Stories that changed where they are: only the archive page holding each is rendered again. */
  updated: readonly StoryKey[];
  /** Whether a story went or moved: only then can a month's archive lose pages. */
  anyRemoved: boolean;
  newestBeyond(limit: number): Promise<CatalogEntry[]>;
  rerenderAll: boolean;
}

/** One archive document: a month's page, 0 holding its oldest stories. */
interface ArchivePage {
  month: string;
  page: number;
}

/** Writes the subscription feeds and the archive documents a change touches; returns the feeds written. */
export async function publishFeeds(out: SiteOutput, input: FeedInputs): Promise<string[]> {
  const { config } = input;
  const pageSize = config.archivePageSize ?? ARCHIVE_PAGE_SIZE;
  const window = input.newest.slice(0, config.feedSize);
  const inWindow = new Set(window.map((entry) => entry.id));
  const windowCount = new Map<string, number>();
  for (const { record } of window)
    windowCount.set(monthOf(record.date), (windowCount.get(monthOf(record.date)) ?? 0) + 1);
  // The chain, oldest first: each month with stories beyond the window, in pages of `pageSize`.
  const pageCount = new Map<string, number>();
  for (const { month, count } of input.months) {
    const archived = count - (windowCount.get(month) ?? 0);
    if (archived > 0) pageCount.set(month, Math.ceil(archived / pageSize));
  }
  const archived = [...pageCount.keys()].sort();
  const chain: ArchivePage[] = archived.flatMap((month) =>
    Array.from({ length: pageCount.get(month)! }, (_, page) => ({ month, page })),
  );
  const url = ({ month, page }: ArchivePage, format: FeedFormat) =>
    `${config.siteUrl}${archivePath(month, format, page)}`;
  const newestPage = chain[chain.length - 1];

  const written: string[] = [];
  const windowStories = await fullStories(out, window);
  for (const { format, type } of FORMATS) {
    const channel = siteChannel(config, format);
    if (newestPage) channel.prevArchive = url(newestPage, format);
    const path = feedUrls(config)[format].slice(config.siteUrl.length);
    if (await out.write(path, type, render(format, windowStories, config, channel))) written.push(path);
  }

  // Each month is read once per publish (on AWS, each read is a DynamoDB query).
  const months = new Map<string, Promise<CatalogEntry[]>>();
  const month = (name: string) => {
    if (!months.has(name)) months.set(name, input.month(name));
    return months.get(name)!;
  };
  const chainIndex = new Map(chain.map((page, index) => [`${page.month}#${page.page}`, index]));
  const removePagesFrom = async (month: string, first: number) => {
    for (let page = first; ; page++) {
      let any = false;
      for (const { format } of FORMATS) any = (await out.remove(archivePath(month, format, page))) || any;
      if (!any) return;
    }
  };
  const plan = await archivePagesToRender({ ...input, month }, inWindow, archived, pageCount);
  for (const [name, { from, pages: listed }] of plan) {
    const pages = pageCount.get(name);
    if (pages === undefined) {
      await removePagesFrom(name, 0);
      continue;
    }
    // Oldest first, so that stories joining a month's newest end leave its earlier pages as they were.
    const entries = (await month(name))
      .filter(({ id }) => !inWindow.has(id))
      .sort((a, b) => compareStories(keyOf(b), keyOf(a)));
    // A month that lost stories renders at least its (new) newest page: its `next-archive` moved.
    const toRender = new Set([...listed].filter((page) => page < pages));
    if (from !== Number.POSITIVE_INFINITY)
      for (let page = Math.min(from, pages - 1); page < pages; page++) toRender.add(page);
    for (const page of [...toRender].sort((a, b) => a - b)) {
      const index = chainIndex.get(`${name}#${page}`)!;
      const older = chain[index - 1];
      const newer = chain[index + 1];
      const stories = await fullStories(out, entries.slice(page * pageSize, (page + 1) * pageSize).reverse());
      for (const { format, type } of FORMATS) {
        const channel: FeedChannel = {
          ...siteChannel(config, format),
          self: url({ month: name, page }, format),
          archive: true,
          current: feedUrls(config)[format],
        };
        // Archives do not change for subscribers: no hub (WebSub is for the subscription feeds).
        delete channel.hub;
        if (older) channel.prevArchive = url(older, format);
        if (newer) channel.nextArchive = url(newer, format);
        await out.write(archivePath(name, format, page), type, render(format, stories, config, channel));
      }
    }
    if (input.anyRemoved || input.rerenderAll) await removePagesFrom(name, pages);
  }
  return written;
}

const keyOf = ({ id, record }: CatalogEntry): StoryKey => ({ id, date: record.date });

/** What to render of a month's archive: every page from `from` on, and the `pages` listed. */
interface MonthPlan {
  from: number;
  pages: Set<number>;
}

/**
 * The archive pages to write, by month (a month no longer archived is removed): every page on a full
 * render. Otherwise, in each month where a story came, went or moved, or a story crossed the window's
 * edge (left or entered the subscription feeds), the pages from the one before the oldest such
 * story's on (that one links the next, which the story may have opened); the page of each story that
 * changed in place; and, where a month's pages may have come or gone, the documents beside it in the
 * chain, whose `prev-archive`/`next-archive` may now point elsewhere: the newest page of the month
 * before and the oldest of the month after.
 */
async function archivePagesToRender(
  input: FeedInputs,
  inWindow: ReadonlySet<string>,
  archived: readonly string[],
  pageCount: ReadonlyMap<string, number>,
): Promise<Map<string, MonthPlan>> {
  const plans = new Map<string, MonthPlan>();
  const plan = (month: string) => {
    if (!plans.has(month)) plans.set(month, { from: Number.POSITIVE_INFINITY, pages: new Set() });
    return plans.get(month)!;
  };
  if (input.rerenderAll) {
    // Every month with stories: those no longer archived (the window grew) lose their documents.
    for (const { month } of input.months) plan(month).from = 0;
    return plans;
  }
  const pageSize = input.config.archivePageSize ?? ARCHIVE_PAGE_SIZE;
  /** The archive page `key` is on (or would be on), counting the month's archived stories older than it. */
  const pageOf = async (key: StoryKey) => {
    const older = (await input.month(monthOf(key.date))).filter(
      (entry) => !inWindow.has(entry.id) && compareStories(keyOf(entry), key) > 0,
    ).length;
    return Math.floor(older / pageSize);
  };
  // Only stories that came, went or moved move the window's edge, each by at most one story.
  const shifted: StoryKey[] = [...input.shifted];
  const moves = input.shifted.length;
  if (moves > 0) {
    const { feedSize } = input.config;
    const edge = await input.newestBeyond(feedSize + moves);
    for (const entry of edge.slice(Math.max(0, feedSize - moves))) shifted.push(keyOf(entry));
  }
  // Newest-first order: a month's oldest shifted story sorts last.
  const oldest = new Map<string, StoryKey>();
  for (const key of shifted) {
    const month = monthOf(key.date);
    const known = oldest.get(month);
    if (!known || compareStories(key, known) > 0) oldest.set(month, key);
  }
  for (const month of input.touched) if (!oldest.has(month) && !pageCount.has(month)) plan(month);
  for (const [month, key] of oldest) {
    // From the page before the oldest shifted story's: when that story opens a new page, the page
    // before it gains a `next-archive` link to it.
    const from = pageCount.has(month) ? Math.max(0, (await pageOf(key)) - 1) : 0;
    plan(month).from = Math.min(plan(month).from, from);
    const older = archived.filter((m) => m < month).pop();
    const newer = archived.find((m) => m > month);
    if (older) plan(older).pages.add(pageCount.get(older)! - 1);
    if (newer) plan(newer).pages.add(0);
  }
  for (const key of input.updated) {
    const month = monthOf(key.date);
    if (pageCount.has(month) && !inWindow.has(key.id)) plan(month).pages.add(await pageOf(key));
  }
  return new Map([...plans].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
