import type { SiteConfig, Story } from '../model.js';

export interface FeedUrls {
  site: string;
  rss: string;
  atom: string;
  json: string;
}

export type FeedFormat = 'rss' | 'atom' | 'json';

/** Where each feed is published; `siteUrl` always ends in `/` (see `resolveConfig`). */
export function feedUrls(config: SiteConfig): FeedUrls {
  return {
    site: config.siteUrl,
    rss: `${config.siteUrl}feed.xml`,
    atom: `${config.siteUrl}atom.xml`,
    json: `${config.siteUrl}feed.json`,
  };
}

/** The story's page on the generated site (slugs are URL-safe by construction, see `slug.ts`). */
export function storyUrl(config: SiteConfig, story: Story): string {
  return `${config.siteUrl}articles/${story.slug}.html`;
}

/**
 * What one feed document is: the site's subscription feed, a tag's, or an RFC 5005 archive document.
 * All URLs are absolute. The links are written as `atom:link` (RSS), `link` (Atom) and `next_url` /
 * `hubs` (JSON Feed).
 */
export interface FeedChannel {
  title: string;
  description: string;
  /** The HTML page the feed follows (the home page, a tag page); also the Atom feed id. */
  home: string;
  /** This document's own URL (`rel="self"`). */
  self: string;
  /** The WebSub hub (`rel="hub"`), on subscription feeds only: archives do not change for subscribers. */
  hub?: string;
  /** An RFC 5005 archive document (`fh:archive`). */
  archive?: boolean;
  /** RFC 5005 links: the next older archive, the next newer one, the subscription feed. */
  prevArchive?: string;
  nextArchive?: string;
  current?: string;
}

/** The site's own subscription feed in one format. */
export function siteChannel(config: SiteConfig, format: FeedFormat): FeedChannel {
  const channel: FeedChannel = {
    title: config.title,
    description: config.description,
    home: config.siteUrl,
    self: feedUrls(config)[format],
  };
  if (config.websub?.hub) channel.hub = config.websub.hub;
  return channel;
}

/** The `atom:link`/`link` elements' attributes for a channel's RFC 5005 and WebSub links, in a fixed order. */
export function channelLinks(channel: FeedChannel): Array<{ rel: string; href: string }> {
  const links: Array<{ rel: string; href: string }> = [];
  if (channel.hub) links.push({ rel: 'hub', href: channel.hub });
  if (channel.current) links.push({ rel: 'current', href: channel.current });
  if (channel.prevArchive) links.push({ rel: 'prev-archive', href: channel.prevArchive });
  if (channel.nextArchive) links.push({ rel: 'next-archive', href: channel.nextArchive });
  return links;
}

/** RFC 5005's namespace, for `fh:archive`. */
export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';
