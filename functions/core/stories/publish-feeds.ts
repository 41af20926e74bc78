/**
 * The site's subscription feeds and their RFC 5005 archive: `feed.xml`, `atom.xml` and `feed.json`
 * carry the newest `feedSize` stories; every story older than that is in the archive document of its
 * month (`archive/YYYY-MM.xml` RSS, `.atom.xml` Atom, `.json` JSON Feed), and the documents are
 * chained newest to oldest (`prev-archive`, `next-archive`, JSON Feed `next_url`). The window and the
 * archive never overlap, so a reader that walks the chain sees every story exactly once.
 */
import type { SiteConfig } from '../model.js';
import { type FeedChannel, type FeedFormat, feedUrls, siteChannel } from '../render/feed-urls.js';
import { renderAtom, renderJsonFeed, renderRss } from '../render/feeds.js';
import { type CatalogEntry, CONTENT_TYPES, fullStories, monthOf, type SiteOutput } from './site-output.js';

/** The archive document of a month, by format: what the chain links and where each file goes. */
export const archivePath = (month: string, format: FeedFormat) =>
  `archive/${month}${format === 'rss' ? '.xml' : format === 'atom' ? '.atom.xml' : '.json'}`;

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

export interface FeedInputs {
  config: SiteConfig;
  /** The newest stories, at least `feedSize` of them when there are that many. */
  newest: readonly CatalogEntry[];
  months: ReadonlyArray<{ month: string; count: number }>;
  month(month: string): Promise<CatalogEntry[]>;
  /** Months whose stories changed, or that a removed story was in. */
  touched: ReadonlySet<string>;
  /** How many stories changed or went (each moves the window's edge by at most one story). */
  changes: number;
  newestBeyond(limit: number): Promise<CatalogEntry[]>;
  rerenderAll: boolean;
}

/** Writes the subscription feeds and the archive documents a change touches; returns the feeds written. */
export async function publishFeeds(out: SiteOutput, input: FeedInputs): Promise<string[]> {
  const { config } = input;
  const window = input.newest.slice(0, config.feedSize);
  const inWindow = new Set(window.map((entry) => entry.id));
  const windowCount = new Map<string, number>();
  for (const { record } of window)
    windowCount.set(monthOf(record.date), (windowCount.get(monthOf(record.date)) ?? 0) + 1);
  // Oldest first: the chain's order.
  const archived = input.months
    .filter(({ month, count }) => count > (windowCount.get(month) ?? 0))
    .map(({ month }) => month)
    .sort();
  const newestArchive = archived[archived.length - 1];

  const written: string[] = [];
  const windowStories = await fullStories(out, window);
  for (const { format, type } of FORMATS) {
    const channel = siteChannel(config, format);
    if (newestArchive) channel.prevArchive = `${config.siteUrl}${archivePath(newestArchive, format)}`;
    const path = feedUrls(config)[format].slice(config.siteUrl.length);
    if (await out.write(path, type, render(format, windowStories, config, channel))) written.push(path);
  }

  for (const month of await archiveMonthsToRender(input, archived)) {
    const index = archived.indexOf(month);
    if (index < 0) {
      for (const { format } of FORMATS) await out.remove(archivePath(month, format));
      continue;
    }
    const entries = (await input.month(month)).filter(({ id }) => !inWindow.has(id));
    const stories = await fullStories(out, entries);
    const older = archived[index - 1];
    const newer = archived[index + 1];
    for (const { format, type } of FORMATS) {
      const channel: FeedChannel = {
        ...siteChannel(config, format),
        self: `${config.siteUrl}${archivePath(month, format)}`,
        archive: true,
        current: feedUrls(config)[format],
      };
      // Archives do not change for subscribers: no hub (WebSub is for the subscription feeds).
      delete channel.hub;
      if (older) channel.prevArchive = `${config.siteUrl}${archivePath(older, format)}`;
      if (newer) channel.nextArchive = `${config.siteUrl}${archivePath(newer, format)}`;
      await out.write(archivePath(month, format), type, render(format, stories, config, channel));
    }
  }
  return written;
}

/**
 * The archive months to write or remove: every one on a full render; else the months that changed,
 * those at the window's edge (stories that left or entered the subscription feeds), and the archived
 * neighbours of each (their `prev-archive`/`next-archive` may now point elsewhere).
 */
async function archiveMonthsToRender(input: FeedInputs, archived: readonly string[]): Promise<string[]> {
  if (input.rerenderAll) return [...archived];
  const months = new Set(input.touched);
  if (input.changes > 0) {
    const { feedSize } = input.config;
    const edge = await input.newestBeyond(feedSize + input.changes);
    for (const { record } of edge.slice(Math.max(0, feedSize - input.changes)))
      months.add(monthOf(record.date));
  }
  for (const month of [...months]) {
    const older = archived.filter((m) => m < month).pop();
    const newer = archived.find((m) => m > month);
    if (older) months.add(older);
    if (newer) months.add(newer);
  }
  return [...months].sort();
}
