import type { SiteConfig, Story } from '../model.js';
import { newestUpdated, rfc822 } from './feed-dates.js';
import { FEED_GENERATOR } from './feed-generator.js';
import { channelLinks, type FeedChannel, FH_NAMESPACE, siteChannel, storyUrl } from './feed-urls.js';
import { cdataEl, el, renderXmlDocument, textEl, type XmlElement } from './feed-xml.js';
import { blocksToHtml, escapeHtml } from './html.js';
import { imageUrl } from './page-meta.js';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

/** RSS enclosure needs a length and type, known only for published copies; media:content takes any image. */
function imageElements(story: Story, config: SiteConfig): (XmlElement | undefined)[] {
  const image = story.image;
  if (!image) return [];
  const url = imageUrl(image.url, config.siteUrl);
  const media: Record<string, string> = { url, medium: 'image' };
  if (image.mime) media.type = image.mime;
  if (image.length !== undefined) media.fileSize = String(image.length);
  if (image.width !== undefined && image.height !== undefined) {
    media.width = String(image.width);
    media.height = String(image.height);
  }
  return [
    image.mime && image.length !== undefined
      ? el('enclosure', { url, length: String(image.length), type: image.mime })
      : undefined,
    el(
      'media:content',
      media,
      image.alt ? textEl('media:description', image.alt, { type: 'plain' }) : undefined,
      image.caption ? textEl('media:title', image.caption, { type: 'plain' }) : undefined,
    ),
  ];
}

function item(story: Story, config: SiteConfig): XmlElement {
  return el(
    'item',
    {},
    textEl('title', story.title),
    textEl('link', storyUrl(config, story)),
    textEl('guid', story.id, { isPermaLink: 'false' }),
    textEl('pubDate', rfc822(story.date)),
    // RSS readers render `description` as HTML, so plain text must be HTML-escaped to display as written.
    textEl('description', escapeHtml(story.summary)),
    cdataEl('content:encoded', blocksToHtml(story.blocks, config.siteUrl)),
    // RSS `author` must be an e-mail address; stories only carry a name, which is what dc:creator is for.
    story.author === undefined ? undefined : textEl('dc:creator', story.author),
    ...story.tags.map((tag) => textEl('category', tag)),
    ...imageElements(story, config),
  );
}

/**
 * RSS 2.0 with content:encoded. `stories`: already the newest N, newest first. `channel`: which feed
 * (the site's by default, a tag's, an archive document). Pure and deterministic.
 */
export function renderRss(
  stories: readonly Story[],
  config: SiteConfig,
  feed: FeedChannel = siteChannel(config, 'rss'),
): string {
  const lastBuildDate = newestUpdated(stories);
  const channel = el(
    'channel',
    {},
    textEl('title', feed.title),
    textEl('link', feed.home),
    textEl('description', feed.description),
    el('atom:link', { href: feed.self, rel: 'self', type: 'application/rss+xml' }),
    ...channelLinks(feed).map(({ rel, href }) => el('atom:link', { href, rel })),
    feed.archive ? el('fh:archive') : undefined,
    textEl('language', config.language),
    config.copyright === undefined ? undefined : textEl('copyright', config.copyright),
    // The build time would make every build differ; the newest story change is what readers need.
    lastBuildDate === undefined ? undefined : textEl('lastBuildDate', rfc822(lastBuildDate)),
    textEl('generator', FEED_GENERATOR),
    textEl('ttl', String(config.ttl)),
    ...stories.map((story) => item(story, config)),
  );
  const namespaces = feed.archive ? { ...NAMESPACES, 'xmlns:fh': FH_NAMESPACE } : NAMESPACES;
  return renderXmlDocument(el('rss', { version: '2.0', ...namespaces }, channel));
}
