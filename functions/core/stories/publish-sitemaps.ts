/** Writes `sitemap.xml`, `news-sitemap.xml` and `robots.txt` from the full story list (no article read). */
import type { SiteConfig } from '../model.js';
import { tagPaths } from '../render/site-listings.js';
import {
  NEWS_WINDOW_MS,
  renderNewsSitemap,
  renderRobots,
  renderSitemaps,
  type SITEMAP_LIMITS,
  type SitemapPage,
} from '../render/sitemap.js';
import { tagIndex } from './publish-tags.js';
import { type CatalogEntry, CONTENT_TYPES, monthOf, type SiteOutput } from './site-output.js';

const newer = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

export interface SitemapInputs {
  config: SiteConfig;
  /** Every story, newest first. */
  all: readonly CatalogEntry[];
  /** The build clock: the News sitemap lists stories of the two days before it. */
  now: Date;
  /** The date of the newest email edition, when the site has a digest archive. */
  digestsUpdated?: string;
  /** Per sitemap file (tests inject small ones). @default SITEMAP_LIMITS */
  limits?: typeof SITEMAP_LIMITS;
}

export async function publishSitemaps(out: SiteOutput, input: SitemapInputs): Promise<void> {
  const { config, all } = input;
  const pages: SitemapPage[] = [];
  const newest = all.reduce<string | undefined>(
    (max, { record }) => (max ? newer(max, record.updated) : record.updated),
    undefined,
  );
  if (newest) pages.push({ path: 'index.html', lastmod: newest });
  const months = new Map<string, string>();
  for (const { record } of all) {
    const month = monthOf(record.date);
    months.set(month, newer(months.get(month) ?? record.updated, record.updated));
  }
  for (const [month, lastmod] of [...months].sort(([a], [b]) => (a < b ? 1 : -1)))
    pages.push({ path: `archive/${month}.html`, lastmod });
  for (const { tag, entries } of tagIndex(all).values()) {
    const lastmod = entries.reduce(
      (max, { record }) => newer(max, record.updated),
      entries[0]!.record.updated,
    );
    pages.push({ path: tagPaths(tag.slug).page, lastmod });
  }
  if (input.digestsUpdated) pages.push({ path: 'digests/index.html', lastmod: input.digestsUpdated });
  for (const { record } of all) pages.push({ path: `articles/${record.slug}.html`, lastmod: record.updated });
  const files = renderSitemaps(config, pages, input.limits);
  for (const file of files) await out.write(file.path, CONTENT_TYPES.xml, file.body);
  // Parts a larger site had (`sitemap-N.xml` beyond those written) go; the first missing one ends the run.
  const parts = files.length === 1 ? 0 : files.length - 1;
  for (let n = parts + 1; await out.remove(`sitemap-${n}.xml`); n++);

  const since = input.now.getTime() - NEWS_WINDOW_MS;
  // `all` is newest first: the News sitemap keeps the newest NEWS_MAX_URLS.
  const recent = all
    .filter(
      ({ record }) => Date.parse(record.date) >= since && Date.parse(record.date) <= input.now.getTime(),
    )
    .map(({ record }) => ({ path: `articles/${record.slug}.html`, title: record.title, date: record.date }));
  await out.write('news-sitemap.xml', CONTENT_TYPES.xml, renderNewsSitemap(config, recent));
  await out.write('robots.txt', CONTENT_TYPES.text, renderRobots(config));
}
