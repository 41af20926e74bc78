import { createHash } from 'node:crypto';
import type { SiteConfig, Story } from '../model.js';
import { newestUpdated, rfc3339 } from './feed-dates.js';
import { FEED_GENERATOR } from './feed-generator.js';
import { feedUrls, storyUrl } from './feed-urls.js';
import { cdataEl, el, renderXmlDocument, textEl, type XmlElement } from './feed-xml.js';
import { blocksToHtml } from './html.js';

/** Atom requires `updated` even on an empty feed; a fixed epoch keeps the output clock-free and byte-stable. */
export const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00.000Z';

/** This project's UUID namespace (random, fixed forever): changing it would re-key every entry. */
const ENTRY_ID_NAMESPACE = '0fe14e31-e363-45e0-9c7d-37256551ef6d';

/**
 * The Atom entry id: `urn:uuid:` + an RFC 4122 version-5 UUID of `story.id` in this project's namespace.
 * It depends on nothing but the story id, which never changes, so it is stable across rebuilds, domain moves
 * and story updates; and it is a valid URN whatever characters the id holds (a tag: URI would need a date
 * and the domain, both of which can change).
 */
export function atomEntryId(story: Pick<Story, 'id'>): string {
  const namespace = Buffer.from(ENTRY_ID_NAMESPACE.replaceAll('-', ''), 'hex');
  const bytes = createHash('sha1').update(namespace).update(story.id, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
    story.author === undefined ? undefined : person('author', story.author),
    ...story.tags.map((tag) => el('category', { term: tag })),
    textEl('summary', story.summary, { type: 'text' }),
    cdataEl('content', blocksToHtml(story.blocks), { type: 'html' }),
  );
}

/** Atom 1.0. `stories`: already the newest N, newest first. Pure and deterministic. */
export function renderAtom(stories: readonly Story[], config: SiteConfig): string {
  const urls = feedUrls(config);
  const updated = newestUpdated(stories);
  const feed = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': config.language },
    textEl('id', urls.site),
    textEl('title', config.title, { type: 'text' }),
    textEl('subtitle', config.description, { type: 'text' }),
    textEl('updated', updated === undefined ? EMPTY_FEED_UPDATED : rfc3339(updated)),
    el('link', { rel: 'self', type: 'application/atom+xml', href: urls.atom }),
    el('link', { rel: 'alternate', type: 'text/html', href: urls.site }),
    // Atom requires an author on every entry; a feed-level one covers entries without their own.
    person('author', config.author?.name ?? config.title, config.author?.email),
    config.copyright === undefined ? undefined : textEl('rights', config.copyright, { type: 'text' }),
    textEl('generator', FEED_GENERATOR),
    ...stories.map((story) => entry(story, config)),
  );
  return renderXmlDocument(feed);
}
