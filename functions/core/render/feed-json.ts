import type { SiteConfig, Story } from '../model.js';
import { rfc3339 } from './feed-dates.js';
import { feedUrls, storyUrl } from './feed-urls.js';
import { blocksToHtml } from './html.js';
import { stripXmlIllegal } from './xml-safe.js';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/*
 * JSON can carry any character, but a lone surrogate becomes `\udXXX`, which strict decoders and most
 * readers reject, and control characters are invisible garbage. Stripping the same set as the XML feeds
 * also keeps the three formats saying exactly the same thing.
 */
const clean = stripXmlIllegal;

// Objects are built with keys in a fixed order and JSON.stringify keeps insertion order: stable output.
function item(story: Story, config: SiteConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: clean(story.id),
    url: storyUrl(config, story),
    title: clean(story.title),
    content_html: clean(blocksToHtml(story.blocks)),
    summary: clean(story.summary),
    date_published: rfc3339(story.date),
    date_modified: rfc3339(story.updated),
  };
  if (story.author !== undefined) out.authors = [{ name: clean(story.author) }];
  if (story.tags.length > 0) out.tags = story.tags.map(clean);
  return out;
}

/** JSON Feed 1.1, 2-space indented with a trailing newline. `stories`: the newest N, newest first. */
export function renderJsonFeed(stories: readonly Story[], config: SiteConfig): string {
  const urls = feedUrls(config);
  const feed: Record<string, unknown> = {
    version: JSON_FEED_VERSION,
    title: clean(config.title),
    home_page_url: urls.site,
    feed_url: urls.json,
    description: clean(config.description),
    language: config.language,
  };
  // Unlike Atom, JSON Feed does not require an author, so none is invented when the config has none.
  if (config.author !== undefined) feed.authors = [{ name: clean(config.author.name) }];
  feed.items = stories.map((story) => item(story, config));
  return `${JSON.stringify(feed, null, 2)}\n`;
}
