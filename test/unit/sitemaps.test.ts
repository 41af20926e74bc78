/**
 * Sitemap limits (sitemaps.org: 50,000 URLs and 50 MB uncompressed per file; above either, parts
 * `sitemap-N.xml` under a `<sitemapindex>` at `sitemap.xml`) and Google News (1,000 URLs, newest
 * first). Small injected limits, and once the real URL limit (pure functions: fast). Structure is read
 * back by expat and xmllint (no sitemaps.org XSD ships with the repository: well-formedness and the
 * elements are checked instead).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NEWS_MAX_URLS,
  renderNewsSitemap,
  renderSitemaps,
  SITEMAP_LIMITS,
  type SitemapFile,
  type SitemapPage,
} from '../../functions/core/render/sitemap.js';
import { publishSitemaps } from '../../functions/core/stories/publish-sitemaps.js';
import type { CatalogEntry, SiteOutput } from '../../functions/core/stories/site-output.js';
import { makeConfig } from '../fixtures/stories.js';
import { childNamed, childrenNamed, parseXmlStrict, type XmlTree, xmllintCheck } from '../helpers/readers.js';

const config = makeConfig({ siteUrl: 'https://news.example.org/' });
const SITE = 'https://news.example.org/';
const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString();
const pages = (n: number): SitemapPage[] =>
  Array.from({ length: n }, (_, i) => ({ path: `articles/story-${i}.html`, lastmod: day(i % 300) }));

/** Each file parsed by expat (and passed through xmllint), by path. */
function parsed(files: readonly SitemapFile[]): Map<string, XmlTree> {
  const dir = mkdtempSync(join(tmpdir(), 'sitemaps-'));
  const paths = files.map((file) => {
    const path = join(dir, file.path);
    writeFileSync(path, file.body);
    return path;
  });
  expect(xmllintCheck(paths).ok).toBe(true);
  const results = parseXmlStrict(paths);
  return new Map(
    files.map((file, i) => {
      const result = results[i]!;
      if (!result.ok) throw new Error(`${file.path}: ${result.error}`);
      return [file.path, result.root];
    }),
  );
}

const locs = (urlset: XmlTree) => childrenNamed(urlset, 'url').map((url) => childNamed(url, 'loc')!.text);

describe('sitemap limits', () => {
  it('writes one urlset while the pages fit', () => {
    const files = renderSitemaps(config, pages(5), { urls: 5, bytes: SITEMAP_LIMITS.bytes });
    expect(files.map((file) => file.path)).toEqual(['sitemap.xml']);
    const root = parsed(files).get('sitemap.xml')!;
    expect(root.tag).toBe('{http://www.sitemaps.org/schemas/sitemap/0.9}urlset');
    expect(locs(root)).toHaveLength(5);
  });

  it('splits above the URL limit into parts named by a sitemapindex, every page once, in order', () => {
    const all = pages(7);
    const files = renderSitemaps(config, all, { urls: 3, bytes: SITEMAP_LIMITS.bytes });
    expect(files.map((file) => file.path)).toEqual([
      'sitemap.xml',
      'sitemap-1.xml',
      'sitemap-2.xml',
      'sitemap-3.xml',
    ]);
    const trees = parsed(files);
    const index = trees.get('sitemap.xml')!;
    expect(index.tag).toBe('{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex');
    const entries = childrenNamed(index, 'sitemap');
    expect(entries.map((entry) => childNamed(entry, 'loc')!.text)).toEqual([
      `${SITE}sitemap-1.xml`,
      `${SITE}sitemap-2.xml`,
      `${SITE}sitemap-3.xml`,
    ]);
    // Each part's lastmod is the newest of its pages.
    expect(entries.map((entry) => childNamed(entry, 'lastmod')!.text)).toEqual([
      '2025-01-03T00:00:00.000Z',
      '2025-01-06T00:00:00.000Z',
      '2025-01-07T00:00:00.000Z',
    ]);
    const parts = ['sitemap-1.xml', 'sitemap-2.xml', 'sitemap-3.xml'].map((path) => locs(trees.get(path)!));
    expect(parts.map((part) => part.length)).toEqual([3, 3, 1]);
    expect(parts.flat()).toEqual(all.map((page) => `${SITE}${page.path}`));
  });

  it('splits above the byte limit so that no file is over it', () => {
    const all = pages(40);
    const oneFile = renderSitemaps(config, all)[0]!.body;
    const bytes = Math.floor(Buffer.byteLength(oneFile) / 5);
    const files = renderSitemaps(config, all, { urls: 1000, bytes });
    expect(files.length).toBeGreaterThan(5);
    // The parts; the index has limits of its own (50,000 parts), out of reach below 2.5 billion URLs.
    for (const file of files.slice(1)) expect(Buffer.byteLength(file.body)).toBeLessThanOrEqual(bytes);
    expect(files[0]!.body).toContain('<sitemapindex');
    const trees = parsed(files);
    expect(files.slice(1).flatMap((file) => locs(trees.get(file.path)!))).toEqual(
      all.map((page) => `${SITE}${page.path}`),
    );
  });

  it('holds 50,000 URLs in one file and makes an index for 50,001', () => {
    expect(SITEMAP_LIMITS).toEqual({ urls: 50_000, bytes: 50 * 1024 * 1024 });
    const at = renderSitemaps(config, pages(50_000));
    expect(at.map((file) => file.path)).toEqual(['sitemap.xml']);
    expect(at[0]!.body.match(/<url>/g)).toHaveLength(50_000);
    const over = renderSitemaps(config, pages(50_001));
    expect(over.map((file) => file.path)).toEqual(['sitemap.xml', 'sitemap-1.xml', 'sitemap-2.xml']);
    expect(over[0]!.body).toContain('<sitemapindex');
    expect(over[1]!.body.match(/<url>/g)).toHaveLength(50_000);
    expect(over[2]!.body.match(/<url>/g)).toHaveLength(1);
  });

  it('removes the parts a larger site had once it fits one file again; robots.txt names sitemap.xml', async () => {
    const files = new Map<string, string>();
    const out: SiteOutput = {
      write: async (path, _type, body) => {
        files.set(path, body);
        return true;
      },
      remove: async (path) => files.delete(path),
      full: async () => undefined,
    };
    const entries = (n: number): CatalogEntry[] =>
      Array.from({ length: n }, (_, i) => ({
        id: `s${i}`,
        record: {
          slug: `story-${i}`,
          date: day(0),
          updated: day(0),
          canonical: `a${i}.txt`,
          members: [`a${i}.txt`],
          title: `Story ${i}`,
          evidence: {},
          createdBuild: 1,
        },
      }));
    const now = new Date(day(1));
    await publishSitemaps(out, {
      config,
      all: entries(9),
      now,
      limits: { urls: 4, bytes: SITEMAP_LIMITS.bytes },
    });
    // 9 stories + the home page + one month archive page: 11 URLs, 3 parts.
    expect([...files.keys()].filter((path) => path.startsWith('sitemap')).sort()).toEqual([
      'sitemap-1.xml',
      'sitemap-2.xml',
      'sitemap-3.xml',
      'sitemap.xml',
    ]);
    await publishSitemaps(out, {
      config,
      all: entries(2),
      now,
      limits: { urls: 4, bytes: SITEMAP_LIMITS.bytes },
    });
    expect([...files.keys()].filter((path) => path.startsWith('sitemap')).sort()).toEqual(['sitemap.xml']);
    expect(files.get('sitemap.xml')).toContain('<urlset');
    expect(files.get('robots.txt')).toContain(`Sitemap: ${SITE}sitemap.xml\n`);
  });
});

describe('Google News sitemap', () => {
  it('lists at most 1,000 stories, the newest (given newest first)', () => {
    const stories = Array.from({ length: NEWS_MAX_URLS + 200 }, (_, i) => ({
      path: `articles/n-${i}.html`,
      title: `News ${i}`,
      date: new Date(Date.UTC(2025, 0, 2) - i * 60_000).toISOString(),
    }));
    const [root] = [...parsed([{ path: 'news.xml', body: renderNewsSitemap(config, stories) }]).values()];
    const listed = locs(root!);
    expect(NEWS_MAX_URLS).toBe(1000);
    expect(listed).toHaveLength(1000);
    expect(listed[0]).toBe(`${SITE}articles/n-0.html`);
    expect(listed.at(-1)).toBe(`${SITE}articles/n-999.html`);
  });
});
