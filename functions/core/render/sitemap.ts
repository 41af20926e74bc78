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

/** sitemaps.org: at most 50,000 URLs and 50 MB (52,428,800 bytes) uncompressed per sitemap file. */
export const SITEMAP_LIMITS = { urls: 50_000, bytes: 52_428_800 };
/** Google News: at most 1,000 URLs per News sitemap. */
export const NEWS_MAX_URLS = 1000;

export interface SitemapFile {
  path: string;
  body: string;
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/** Groups of pages each under both limits, in order: by count first, halving any group still too large. */
function sitemapParts(
  config: SiteConfig,
  pages: readonly SitemapPage[],
  limits: typeof SITEMAP_LIMITS,
): Array<{ pages: readonly SitemapPage[]; body: string }> {
  if (pages.length > limits.urls) {
    const parts = [];
    for (let i = 0; i < pages.length; i += limits.urls)
      parts.push(...sitemapParts(config, pages.slice(i, i + limits.urls), limits));
    return parts;
  }
  const body = renderSitemap(config, pages);
  if (utf8Length(body) <= limits.bytes || pages.length <= 1) return [{ pages, body }];
  const half = Math.ceil(pages.length / 2);
  return [
    ...sitemapParts(config, pages.slice(0, half), limits),
    ...sitemapParts(config, pages.slice(half), limits),
  ];
}

/**
 * `sitemap.xml` alone when every page fits one file; else `sitemap-1.xml`, `sitemap-2.xml`, ... and
 * `sitemap.xml` a `<sitemapindex>` naming them, each with the newest `lastmod` of its pages.
 */
export function renderSitemaps(
  config: SiteConfig,
  pages: readonly SitemapPage[],
  limits = SITEMAP_LIMITS,
): SitemapFile[] {
  const parts = sitemapParts(config, pages, limits);
  if (parts.length === 1) return [{ path: 'sitemap.xml', body: parts[0]!.body }];
  const files = parts.map((part, i) => ({ path: `sitemap-${i + 1}.xml`, body: part.body }));
  const entries = parts.map((part, i) => {
    const lastmod = part.pages.reduce(
      (max, page) => (Date.parse(page.lastmod) > Date.parse(max) ? page.lastmod : max),
      part.pages[0]!.lastmod,
    );
    return el(
      'sitemap',
      {},
      textEl('loc', `${config.siteUrl}${files[i]!.path}`),
      textEl('lastmod', rfc3339(lastmod)),
    );
  });
  const index = renderXmlDocument(el('sitemapindex', { xmlns: SITEMAP_NS }, ...entries));
  return [{ path: 'sitemap.xml', body: index }, ...files];
}

export interface NewsStory {
  path: string;
  title: string;
  /** ISO publication date. */
  date: string;
}

/** The first `NEWS_MAX_URLS` of `stories` (give them newest first). */
export function renderNewsSitemap(config: SiteConfig, stories: readonly NewsStory[]): string {
  const urls = stories.slice(0, NEWS_MAX_URLS).map((story) =>
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
