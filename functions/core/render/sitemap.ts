/**
 * `sitemap.xml` (sitemaps.org 0.9: every page with its `lastmod`), the Google News sitemap
 * (`news-sitemap.xml`: stories published in the last two days, with `news:publication`) and
 * `robots.txt` naming both. Written through `feed-xml.ts`, so every value is escaped in one place.
 */
import type { SiteConfig } from '../model.js';
import { rfc3339 } from './feed-dates.js';
import { el, renderXmlDocument, textEl } from './feed-xml.js';

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';
/** How far back the News sitemap reaches: Google reads only stories of the last two days from it. */
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

export interface SitemapPage {
  /** Relative to the site root. */
  path: string;
  /** ISO date of the page's newest content. */
  lastmod: string;
}

export function renderSitemap(config: SiteConfig, pages: readonly SitemapPage[]): string {
  const urls = pages.map((page) =>
    el('url', {}, textEl('loc', `${config.siteUrl}${page.path}`), textEl('lastmod', rfc3339(page.lastmod))),
  );
  return renderXmlDocument(el('urlset', { xmlns: SITEMAP_NS }, ...urls));
}

export interface NewsStory {
  path: string;
  title: string;
  /** ISO publication date. */
  date: string;
}

export function renderNewsSitemap(config: SiteConfig, stories: readonly NewsStory[]): string {
  const urls = stories.map((story) =>
    el(
      'url',
      {},
      textEl('loc', `${config.siteUrl}${story.path}`),
      el(
        'news:news',
        {},
        el(
          'news:publication',
          {},
          textEl('news:name', config.title),
          // Google wants the ISO 639 code: `en`, or `zh-cn`/`zh-tw`, never a region otherwise.
          textEl('news:language', newsLanguage(config.language)),
        ),
        textEl('news:publication_date', rfc3339(story.date)),
        textEl('news:title', story.title),
      ),
    ),
  );
  return renderXmlDocument(el('urlset', { xmlns: SITEMAP_NS, 'xmlns:news': NEWS_NS }, ...urls));
}

function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower === 'zh-cn' || lower === 'zh-tw') return lower;
  return lower.split('-')[0]!;
}

export function renderRobots(config: SiteConfig): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${config.siteUrl}sitemap.xml\nSitemap: ${config.siteUrl}news-sitemap.xml\n`;
}
