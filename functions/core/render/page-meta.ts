/**
 * What an article page tells link previews and search engines: Open Graph, Twitter card and JSON-LD
 * NewsArticle (`site.ts` puts it into the page's head); `imageUrl` is shared with the feeds and digest.
 */
import type { SiteConfig, Story } from '../model.js';

export interface PageMeta {
  ogType: 'website' | 'article';
  twitterCard: 'summary' | 'summary_large_image';
  /** Absolute URL of the page's image, and what it shows. */
  image: { url: string; alt: string; width: number | null; height: number | null } | null;
  publishedTime: string | null;
  modifiedTime: string | null;
  /** schema.org NewsArticle as JSON, safe inside a <script> element. */
  jsonLd: string | null;
}

export const NO_META: PageMeta = {
  ogType: 'website',
  twitterCard: 'summary',
  image: null,
  publishedTime: null,
  modifiedTime: null,
  jsonLd: null,
};

/** An image URL as a page `root` away from the site root sees it (published copies are site-relative). */
export function imageUrl(url: string, base: string): string {
  return /^https?:\/\//i.test(url) ? url : `${base}${url}`;
}

/**
 * Open Graph, Twitter card and JSON-LD NewsArticle for an article page. The JSON is escaped so that no
 * value can close the <script> element (`<`, `>` and `&` as \u escapes, which JSON readers decode).
 */
export function articleMeta(story: Story, canonicalUrl: string, config: SiteConfig): PageMeta {
  const image = story.image
    ? {
        url: imageUrl(story.image.url, config.siteUrl),
        alt: story.image.alt,
        width: story.image.width ?? null,
        height: story.image.height ?? null,
      }
    : null;
  const author = story.author ?? config.author?.name;
  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: story.title,
    description: story.summary,
    mainEntityOfPage: canonicalUrl,
    datePublished: story.date,
    dateModified: story.updated,
  };
  if (author) jsonLd.author = { '@type': story.author ? 'Person' : 'Organization', name: author };
  jsonLd.publisher = { '@type': 'Organization', name: config.title, url: config.siteUrl };
  if (image) {
    jsonLd.image = {
      '@type': 'ImageObject',
      url: image.url,
      ...(image.width ? { width: image.width, height: image.height } : {}),
    };
  }
  if (story.tags.length) jsonLd.keywords = story.tags.join(', ');
  return {
    ogType: 'article',
    twitterCard: image ? 'summary_large_image' : 'summary',
    image,
    publishedTime: story.date,
    modifiedTime: story.updated,
    jsonLd: JSON.stringify(jsonLd).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  };
}
