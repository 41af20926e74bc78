import type { SiteConfig, Story } from '../model.js';

export interface FeedUrls {
  site: string;
  rss: string;
  atom: string;
  json: string;
}

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
