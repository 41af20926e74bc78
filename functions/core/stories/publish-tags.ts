/**
 * Per-tag pages and feeds: `tags/<slug>/index.html` lists every story with the tag (from the story
 * records, no article read), and `feed.xml`, `atom.xml`, `feed.json` beside it carry the newest
 * `feedSize` of them. Only the tags of stories that changed or went are rendered again.
 */
import type { SiteConfig } from '../model.js';
import type { FeedChannel, FeedFormat } from '../render/feed-urls.js';
import { renderAtom, renderJsonFeed, renderRss } from '../render/feeds.js';
import type { Locale } from '../render/locale.js';
import type { SiteRenderer } from '../render/site.js';
import { tagPaths } from '../render/site-listings.js';
import { distinctTags, type TagEntry, tagSlug } from '../tags.js';
import { type CatalogEntry, CONTENT_TYPES, fullStories, type SiteOutput } from './site-output.js';
import { listingStory } from './story-view.js';

/** Every tag in use, with its stories newest first (from the catalog's full list). */
export function tagIndex(
  all: readonly CatalogEntry[],
): Map<string, { tag: TagEntry; entries: CatalogEntry[] }> {
  const index = new Map<string, { tag: TagEntry; entries: CatalogEntry[] }>();
  for (const tag of distinctTags(all.map(({ record }) => record.tags)))
    index.set(tag.slug, { tag, entries: [] });
  for (const entry of all) {
    const slugs = new Set((entry.record.tags ?? []).filter((tag) => tag.trim()).map(tagSlug));
    for (const slug of slugs) index.get(slug)?.entries.push(entry);
  }
  return index;
}

export function tagChannel(
  config: SiteConfig,
  tag: TagEntry,
  format: FeedFormat,
  locale: Locale,
): FeedChannel {
  const paths = tagPaths(tag.slug);
  const channel: FeedChannel = {
    title: `${config.title}: ${tag.name}`,
    // In the site's language, like every interface text (`templates/locales/<lang>.json`).
    description: locale.t('tag.feedDescription', { tag: tag.name }),
    home: `${config.siteUrl}${paths.page}`,
    self: `${config.siteUrl}${paths[format]}`,
  };
  if (config.websub?.hub) channel.hub = config.websub.hub;
  return channel;
}

export interface TagInputs {
  config: SiteConfig;
  site: SiteRenderer;
  /** Every story, newest first. */
  all: readonly CatalogEntry[];
  /** The tags (as written) of the stories that changed, and of those that went, as they were. */
  touched: Iterable<readonly string[] | undefined>;
  rerenderAll: boolean;
}

/** Writes the touched tags' pages and feeds, removes those of tags no story has any more; returns the feeds written. */
export async function publishTags(out: SiteOutput, input: TagInputs): Promise<string[]> {
  const { config } = input;
  const index = tagIndex(input.all);
  const slugs = input.rerenderAll
    ? [...index.keys()]
    : [...new Set(distinctTags(input.touched).map((tag) => tag.slug))].sort();
  const written: string[] = [];
  for (const slug of slugs) {
    const paths = tagPaths(slug);
    const tagged = index.get(slug);
    if (!tagged) {
      for (const path of [paths.page, paths.rss, paths.atom, paths.json]) await out.remove(path);
      continue;
    }
    const { tag, entries } = tagged;
    const listing = entries.map(({ id, record }) => listingStory(id, record));
    await out.write(paths.page, CONTENT_TYPES.html, input.site.renderTag(tag, listing));
    const stories = await fullStories(out, entries.slice(0, config.feedSize));
    const feeds: Array<[string, string, string]> = [
      [
        paths.rss,
        CONTENT_TYPES.rss,
        renderRss(stories, config, tagChannel(config, tag, 'rss', input.site.locale)),
      ],
      [
        paths.atom,
        CONTENT_TYPES.atom,
        renderAtom(stories, config, tagChannel(config, tag, 'atom', input.site.locale)),
      ],
      [
        paths.json,
        CONTENT_TYPES.json,
        renderJsonFeed(stories, config, tagChannel(config, tag, 'json', input.site.locale)),
      ],
    ];
    for (const [path, type, body] of feeds) if (await out.write(path, type, body)) written.push(path);
  }
  return written;
}
