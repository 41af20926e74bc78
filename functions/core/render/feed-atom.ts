import type { SiteConfig, Story } from '../model.js';
import { newestUpdated, rfc3339 } from './feed-dates.js';
import { FEED_GENERATOR } from './feed-generator.js';
import { channelLinks, type FeedChannel, FH_NAMESPACE, siteChannel, storyUrl } from './feed-urls.js';
import { cdataEl, el, renderXmlDocument, textEl, type XmlElement } from './feed-xml.js';
import { blocksToHtml } from './html.js';
import { imageUrl } from './page-meta.js';
import { stripXmlIllegal } from './xml-safe.js';

/** Atom requires `updated` even on an empty feed; a fixed epoch keeps the output clock-free and byte-stable. */
export const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00.000Z';

/** The NID is this project's name; the prefix must never change, or every reader would re-show every entry. */
export const ATOM_ENTRY_ID_PREFIX = 'urn:newsfeed-generator:story:';

/**
 * The Atom entry id: `urn:newsfeed-generator:story:<story.id>`, percent-encoded where the id holds
 * characters a URN cannot. It depends on nothing but the story id, which never changes, so it is stable
 * across rebuilds, story updates and a move of the site to another domain (a tag: URI would embed the
 * domain); and it carries the same id as the RSS guid and the JSON Feed item id, so the three feeds agree.
 */
export function atomEntryId(story: Pick<Story, 'id'>): string {
  // encodeURIComponent throws on a lone surrogate, so strip first (the id is stripped in the XML anyway).
  return ATOM_ENTRY_ID_PREFIX + encodeURIComponent(stripXmlIllegal(story.id));
}

function person(tag: 'author', name: string, email?: string): XmlElement {
  return el(tag, {}, textEl('name', name), email === undefined ? undefined : textEl('email', email));
}

function entry(story: Story, config: SiteConfig): XmlElement {
  return el(
    'entry',
    {},
    textEl('id', atomEntryId(story)),
    textEl('title', story.title, { type: 'text' }),
    textEl('updated', rfc3339(story.updated)),
    textEl('published', rfc3339(story.date)),
    el('link', { rel: 'alternate', type: 'text/html', href: storyUrl(config, story) }),
    story.image?.mime && story.image.length !== undefined
      ? el('link', {
          rel: 'enclosure',
          type: story.image.mime,
          length: String(story.image.length),
          href: imageUrl(story.image.url, config.siteUrl),
        })
      : undefined,
    story.author === undefined ? undefined : person('author', story.author),
    ...story.tags.map((tag) => el('category', { term: tag })),
    textEl('summary', story.summary, { type: 'text' }),
    cdataEl('content', blocksToHtml(story.blocks, config.siteUrl), { type: 'html' }),
  );
}

/** Atom 1.0. `stories`: already the newest N, newest first; `channel` as for `renderRss`. Pure and deterministic. */
export function renderAtom(
  stories: readonly Story[],
  config: SiteConfig,
  channel: FeedChannel = siteChannel(config, 'atom'),
): string {
  const updated = newestUpdated(stories);
  const root = { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': config.language };
  const feed = el(
    'feed',
    channel.archive ? { ...root, 'xmlns:fh': FH_NAMESPACE } : root,
    // The page the feed follows: archive documents share their subscription feed's id (RFC 5005).
    textEl('id', channel.home),
    textEl('title', channel.title, { type: 'text' }),
    textEl('subtitle', channel.description, { type: 'text' }),
    textEl('updated', updated === undefined ? EMPTY_FEED_UPDATED : rfc3339(updated)),
    el('link', { rel: 'self', type: 'application/atom+xml', href: channel.self }),
    el('link', { rel: 'alternate', type: 'text/html', href: channel.home }),
    ...channelLinks(channel).map((link) => el('link', link)),
    channel.archive ? el('fh:archive') : undefined,
    // Atom requires an author on every entry; a feed-level one covers entries without their own.
    person('author', config.author?.name ?? config.title, config.author?.email),
    config.copyright === undefined ? undefined : textEl('rights', config.copyright, { type: 'text' }),
    textEl('generator', FEED_GENERATOR),
    ...stories.map((story) => entry(story, config)),
  );
  return renderXmlDocument(feed);
}
