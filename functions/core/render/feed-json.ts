import type { SiteConfig, Story } from '../model.js';
import { rfc3339 } from './feed-dates.js';
import { type FeedChannel, siteChannel, storyUrl } from './feed-urls.js';
import { blocksToHtml } from './html.js';
import { imageUrl } from './page-meta.js';
import { stripXmlIllegal } from './xml-safe.js';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

// Objects are built with keys in a fixed order and JSON.stringify keeps insertion order: stable output.
function item(story: Story, config: SiteConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: story.id,
    url: storyUrl(config, story),
    title: story.title,
    content_html: blocksToHtml(story.blocks, config.siteUrl),
    summary: story.summary,
    date_published: rfc3339(story.date),
    date_modified: rfc3339(story.updated),
  };
  if (story.image) out.image = imageUrl(story.image.url, config.siteUrl);
  if (story.author !== undefined) out.authors = [{ name: story.author }];
  if (story.tags.length > 0) out.tags = [...story.tags];
  if (story.image?.mime && story.image.length !== undefined) {
    const attachment: Record<string, unknown> = { url: out.image, mime_type: story.image.mime };
    if (story.image.alt) attachment.title = story.image.alt;
    attachment.size_in_bytes = story.image.length;
    out.attachments = [attachment];
  }
  // An extension object (JSON Feed 1.1: keys starting with "_" are ignored by readers that do not know them).
  if (story.relatedIds.length > 0) out._newsfeed = { related: [...story.relatedIds] };
  return out;
}

/*
 * JSON can carry any character, but a lone surrogate becomes `\udXXX`, which strict decoders and many
 * readers reject, and control characters are invisible garbage. Every string value is stripped of the same
 * set as the XML feeds, so the three formats say exactly the same thing.
 */
function cleanStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? stripXmlIllegal(value) : value;
}

/**
 * JSON Feed 1.1, 2-space indented with a trailing newline. `stories`: the newest N, newest first.
 * JSON Feed has no archive documents: the chain of older stories is its paging (`next_url`), and
 * `expired` is left out because an archive page may still gain a story (see the README).
 */
export function renderJsonFeed(
  stories: readonly Story[],
  config: SiteConfig,
  channel: FeedChannel = siteChannel(config, 'json'),
): string {
  const feed: Record<string, unknown> = {
    version: JSON_FEED_VERSION,
    title: channel.title,
    home_page_url: channel.home,
    feed_url: channel.self,
    description: channel.description,
    language: config.language,
  };
  if (channel.prevArchive) feed.next_url = channel.prevArchive;
  if (channel.hub) feed.hubs = [{ type: 'WebSub', url: channel.hub }];
  // Unlike Atom, JSON Feed does not require an author, so none is invented when the config has none.
  if (config.author !== undefined) feed.authors = [{ name: config.author.name }];
  feed.items = stories.map((story) => item(story, config));
  return `${JSON.stringify(feed, cleanStrings, 2)}\n`;
}
