/**
 * The feed ecosystem of a local build, read by real consumers: tag pages and feeds, the sitemaps and
 * robots.txt, the RFC 5005 archive chain (walked by feedparser, and by `next_url` for JSON Feed), and
 * the WebSub ping, received by a small hub this test starts on 127.0.0.1. The build runs in this
 * process (`buildHere`), so the hub can answer while it runs.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpHubNotifier } from '../../functions/adapters/http/websub-hub.js';
import { tagSlug } from '../../functions/core/tags.js';
import { createRng } from '../fixtures/rng.js';
import { type Workspace, workspace } from '../helpers/cli.js';
import { buildHere, siteBytes, siteDiff } from '../helpers/local-build.js';
import {
  childNamed,
  childrenNamed,
  newsboatUnread,
  parseManyWithFeedparser,
  parseXmlStrict,
  validateJsonFeed,
  xmllintCheck,
} from '../helpers/readers.js';

const SITE = 'https://news.example.org/';
const WORDS =
  'river harbour council budget vote storm rail bridge school clinic market wheat copper court strike festival museum drought port ferry tunnel mayor senate union airline factory orchard glacier reactor vaccine'.split(
    ' ',
  );

/** A distinct article: its own words, so no two are merged as copies. */
function article(n: number, date: string, tags: string[]): string {
  const rng = createRng(1000 + n);
  const sentence = () => Array.from({ length: 14 }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
  const body = Array.from({ length: 4 }, () => `${sentence()}, officials said on day ${n}.`).join('\n\n');
  return `---\ntitle: Story number ${n} ${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]}\ndate: ${date}\ntags: [${tags.join(', ')}]\n---\n\n${body}\n`;
}

/** Dates over three months; the build clock is 2025-11-24T12:00Z, so the last two are "news". */
const ARTICLES: Array<[string, string, string[]]> = [
  ['a1.md', '2025-09-03T08:00:00Z', ['Economy', 'World']],
  ['a2.md', '2025-09-20T08:00:00Z', ['Economy']],
  ['a3.md', '2025-10-02T08:00:00Z', ['World']],
  ['a4.md', '2025-10-15T08:00:00Z', ['C++', 'C']],
  ['a5.md', '2025-10-28T08:00:00Z', ['Économie', 'economy']],
  ['a6.md', '2025-11-10T08:00:00Z', ['World']],
  ['a7.md', '2025-11-23T08:00:00Z', ['Economy']],
  ['a8.md', '2025-11-24T10:00:00Z', ['World', 'Weather']],
];

interface Hub {
  server: Server;
  url: string;
  pings: Array<Record<string, string>>;
  status: number;
}

async function startHub(): Promise<Hub> {
  const hub: Hub = { server: createServer(), url: '', pings: [], status: 202 };
  hub.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      hub.pings.push({
        method: req.method ?? '',
        type: req.headers['content-type'] ?? '',
        ...Object.fromEntries(new URLSearchParams(body)),
      });
      res.writeHead(hub.status).end();
    });
  });
  await new Promise<void>((resolve) => hub.server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}/hub`;
  return hub;
}

let hub: Hub;
let ws: Workspace;
let configPath: string;
const warnings: string[] = [];
const read = (path: string) => readFileSync(join(ws.out, path), 'utf8');
const localPath = (url: string) => join(ws.out, url.slice(SITE.length));
const build = (target: Workspace) =>
  buildHere(target, undefined, {
    configPath,
    websub: {
      notifier: new HttpHubNotifier(2000),
      warn: (line) => warnings.push(line),
      retryDelayMs: 1,
    },
  });

function write(target: Workspace, files: Array<[string, string, string[]]>) {
  files.forEach(([name, date, tags]) => {
    const n = Number(name.slice(1, 2));
    writeFileSync(join(target.articles, name), article(n, date, tags));
  });
}

beforeAll(async () => {
  hub = await startHub();
  ws = workspace(false);
  configPath = join(ws.root, 'site.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({ title: 'Desk', siteUrl: SITE, feedSize: 3, websub: { hub: hub.url } }),
  );
  // Incrementally: four articles, then the rest, with a2 losing its tag on the way.
  write(ws, ARTICLES.slice(0, 4));
  await build(ws);
  write(ws, [['a2.md', '2025-09-20T08:00:00Z', ['Culture']], ...ARTICLES.slice(4)]);
  await build(ws);
}, 120_000);

afterAll(() => {
  hub.server.close();
});

const finalTags = new Map<string, string[]>(
  ARTICLES.map(([name, , tags]) => [name, name === 'a2.md' ? ['Culture'] : tags]),
);

describe('tag pages and feeds', () => {
  it('use safe, stable, collision-free slugs', () => {
    expect(tagSlug('Economy')).toBe('economy');
    expect(tagSlug('economy')).toBe('economy');
    expect(tagSlug('C')).toBe('c');
    expect(tagSlug('C++')).toMatch(/^c-[0-9a-z]{7}$/);
    expect(tagSlug('Économie')).toMatch(/^economie-[0-9a-z]{7}$/);
    expect(new Set(['C', 'C++', 'C#', 'Économie', 'economie'].map(tagSlug)).size).toBe(5);
    expect(tagSlug('../../etc')).toMatch(/^etc-[0-9a-z]{7}$/);
  });

  it('write a page and three feeds per tag, and none for a tag no story has any more', () => {
    const tags = readdirSync(join(ws.out, 'tags')).sort();
    const want = [...new Set([...finalTags.values()].flat().map(tagSlug))].sort();
    expect(tags).toEqual(want);
    for (const slug of tags)
      for (const file of ['index.html', 'feed.xml', 'atom.xml', 'feed.json'])
        expect(existsSync(join(ws.out, 'tags', slug, file)), `${slug}/${file}`).toBe(true);
  });

  it('list on each tag page the stories with the tag, with autodiscovery of its feeds', () => {
    const page = read('tags/economy/index.html');
    // a1, a5 (as "economy") and a7; a2 dropped the tag in the second build.
    expect(page.match(/class="story-title"/g)).toHaveLength(3);
    expect(page).not.toContain('Story number 2 ');
    expect(page).toContain(
      `<link rel="alternate" type="application/rss+xml" title="Economy — Desk (RSS)" href="${SITE}tags/economy/feed.xml">`,
    );
    expect(page).toContain(`href="${SITE}tags/economy/feed.json"`);
    expect(read('tags/culture/index.html')).toContain('Story number 2 ');
  });

  it('link tags from article pages to their pages', () => {
    const page = readdirSync(join(ws.out, 'articles'))
      .map((file) => read(`articles/${file}`))
      .find((html) => html.includes('Story number 4 '))!;
    expect(page).toContain(`<a href="../tags/c/index.html" rel="tag">C</a>`);
    expect(page).toContain(`<a href="../tags/${tagSlug('C++')}/index.html" rel="tag">C++</a>`);
  });

  it('are valid feeds for xmllint, feedparser, newsboat and the JSON Feed schema', () => {
    const slugs = readdirSync(join(ws.out, 'tags'));
    const xml = slugs.flatMap((slug) => [`tags/${slug}/feed.xml`, `tags/${slug}/atom.xml`]);
    expect(xmllintCheck(xml.map((path) => join(ws.out, path))).ok).toBe(true);
    const parsed = parseManyWithFeedparser(xml.map((path) => join(ws.out, path)));
    for (const [i, feed] of parsed.entries()) {
      expect(feed.bozo, `${xml[i]}: ${feed.bozoException}`).toBe(false);
      const self = feed.feed.links.find((link) => link.rel === 'self')?.href;
      expect(self).toBe(`${SITE}${xml[i]}`);
    }
    const world = parsed[xml.indexOf('tags/world/feed.xml')]!;
    // feedSize 3: the newest three of the four World stories.
    expect(world.entries.map((entry) => entry.title?.slice(0, 15))).toEqual([
      'Story number 8 ',
      'Story number 6 ',
      'Story number 3 ',
    ]);
    expect(newsboatUnread(join(ws.out, 'tags/world/atom.xml'))).toBe(3);
    for (const slug of slugs) {
      const feed = JSON.parse(read(`tags/${slug}/feed.json`));
      expect(validateJsonFeed(feed).errors).toEqual([]);
      expect(feed.feed_url).toBe(`${SITE}tags/${slug}/feed.json`);
    }
  });
});

describe('sitemaps and robots.txt', () => {
  it('list every page once, with its lastmod, in a well-formed sitemap.xml', () => {
    expect(xmllintCheck([join(ws.out, 'sitemap.xml'), join(ws.out, 'news-sitemap.xml')]).ok).toBe(true);
    const [result] = parseXmlStrict([join(ws.out, 'sitemap.xml')]);
    if (!result?.ok) throw new Error(`sitemap.xml: ${result?.ok === false ? result.error : 'no result'}`);
    expect(result.root.tag).toBe('{http://www.sitemaps.org/schemas/sitemap/0.9}urlset');
    const urls = childrenNamed(result.root, '{http://www.sitemaps.org/schemas/sitemap/0.9}url');
    const locs = urls.map((url) => childNamed(url, '{http://www.sitemaps.org/schemas/sitemap/0.9}loc')?.text);
    for (const url of urls)
      expect(childNamed(url, '{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod')?.text).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
    const pages: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.html') && entry.name !== 'digest.html')
          pages.push(relative(ws.out, path));
      }
    };
    walk(ws.out);
    expect([...locs].sort()).toEqual(pages.map((path) => `${SITE}${path}`).sort());
  });

  it('put in the News sitemap only the stories of the two days before the build clock', () => {
    const news = read('news-sitemap.xml');
    expect(news.match(/<url>/g)).toHaveLength(2);
    expect(news).toContain('<news:publication_date>2025-11-24T10:00:00.000Z</news:publication_date>');
    expect(news).toContain('<news:publication_date>2025-11-23T08:00:00.000Z</news:publication_date>');
    expect(news).toContain('<news:name>Desk</news:name>');
    expect(news).toContain('<news:language>en</news:language>');
  });

  it('name both sitemaps in robots.txt', () => {
    expect(read('robots.txt')).toBe(
      `User-agent: *\nAllow: /\n\nSitemap: ${SITE}sitemap.xml\nSitemap: ${SITE}news-sitemap.xml\n`,
    );
  });
});

describe('RFC 5005 archived feeds', () => {
  const allTitles = ARTICLES.map(([name]) => `Story number ${name.slice(1, 2)} `).sort();

  for (const start of ['feed.xml', 'atom.xml']) {
    it(`${start}: a reader walking prev-archive sees every story exactly once`, () => {
      const seen: string[] = [];
      const ids: string[] = [];
      let url: string | undefined = `${SITE}${start}`;
      const visited: string[] = [];
      while (url) {
        visited.push(url);
        const [feed] = parseManyWithFeedparser([localPath(url)]);
        expect(feed!.bozo, `${url}: ${feed!.bozoException}`).toBe(false);
        for (const entry of feed!.entries) {
          seen.push(entry.title!.slice(0, 15));
          ids.push(entry.id!);
        }
        url = feed!.feed.links.find((link) => link.rel === 'prev-archive')?.href ?? undefined;
        if (visited.length > 1) {
          expect(feed!.feed.links.find((link) => link.rel === 'current')?.href).toBe(`${SITE}${start}`);
          expect(feed!.feed.links.find((link) => link.rel === 'hub')).toBeUndefined();
        }
      }
      expect(seen.sort()).toEqual(allTitles);
      expect(new Set(ids).size).toBe(ids.length);
      // The window (3: all of November's stories), then October and September: a month gets an archive
      // document only when it has stories beyond the window.
      const suffix = start === 'feed.xml' ? '.xml' : '.atom.xml';
      expect(visited).toEqual([
        `${SITE}${start}`,
        `${SITE}archive/2025-10${suffix}`,
        `${SITE}archive/2025-09${suffix}`,
      ]);
    });
  }

  it('marks archive documents fh:archive, links next-archive back, and passes xmllint', () => {
    const archives = readdirSync(join(ws.out, 'archive')).filter((file) => file.endsWith('.xml'));
    expect(xmllintCheck(archives.map((file) => join(ws.out, 'archive', file))).ok).toBe(true);
    const results = parseXmlStrict(archives.map((file) => join(ws.out, 'archive', file)));
    for (const [i, result] of results.entries()) {
      if (!result.ok) throw new Error(result.error);
      const channel = childNamed(result.root, 'channel') ?? result.root;
      expect(
        childNamed(channel, '{http://purl.org/syndication/history/1.0}archive'),
        archives[i],
      ).toBeDefined();
    }
    expect(existsSync(join(ws.out, 'archive/2025-11.xml'))).toBe(false);
    const [sep, oct] = parseManyWithFeedparser([
      join(ws.out, 'archive/2025-09.xml'),
      join(ws.out, 'archive/2025-10.xml'),
    ]);
    const link = (feed: typeof sep, rel: string) => feed!.feed.links.find((l) => l.rel === rel)?.href;
    expect(link(sep, 'next-archive')).toBe(`${SITE}archive/2025-10.xml`);
    expect(link(sep, 'prev-archive')).toBeUndefined();
    expect(link(oct, 'prev-archive')).toBe(`${SITE}archive/2025-09.xml`);
    expect(link(oct, 'next-archive')).toBeUndefined();
  });

  it('JSON Feed: next_url pages through every story exactly once, each page schema-valid', () => {
    const seen: string[] = [];
    let url: string | undefined = `${SITE}feed.json`;
    let pages = 0;
    while (url) {
      const feed = JSON.parse(readFileSync(localPath(url), 'utf8'));
      expect(validateJsonFeed(feed).errors).toEqual([]);
      for (const item of feed.items) seen.push(String(item.title).slice(0, 15));
      url = feed.next_url;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(allTitles);
  });
});

describe('WebSub', () => {
  it('names the hub and the feed itself in every subscription feed', () => {
    expect(read('feed.xml')).toContain(`<atom:link href="${hub.url}" rel="hub"/>`);
    expect(read('feed.xml')).toContain(
      `<atom:link href="${SITE}feed.xml" rel="self" type="application/rss+xml"/>`,
    );
    expect(read('atom.xml')).toContain(`<link rel="hub" href="${hub.url}"/>`);
    expect(JSON.parse(read('feed.json')).hubs).toEqual([{ type: 'WebSub', url: hub.url }]);
    expect(read('tags/world/atom.xml')).toContain(`<link rel="hub" href="${hub.url}"/>`);
  });

  it('pings the hub for each changed feed after a build, and for nothing after a build that changed none', async () => {
    const published = hub.pings.map((ping) => ping['hub.url']);
    expect(hub.pings.every((ping) => ping['hub.mode'] === 'publish' && ping.method === 'POST')).toBe(true);
    expect(hub.pings[0]?.type).toBe('application/x-www-form-urlencoded');
    expect(published).toContain(`${SITE}feed.xml`);
    expect(published).toContain(`${SITE}tags/culture/feed.json`);
    expect(published).not.toContain(`${SITE}archive/2025-09.xml`);
    const before = hub.pings.length;
    await build(ws);
    expect(hub.pings.length).toBe(before);
    expect(warnings).toEqual([]);
  });

  it('a hub that fails is retried, then named in one warning line; the build still succeeds', async () => {
    hub.status = 503;
    const before = hub.pings.length;
    writeFileSync(join(ws.articles, 'a9.md'), article(9, '2025-11-24T11:00:00Z', ['World']));
    const report = await build(ws);
    expect(report.counts.stories).toBe(9);
    // Three tries of the first feed, then the hub is taken as down.
    expect(hub.pings.length - before).toBe(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: WebSub hub http:\/\/127\.0\.0\.1:\d+\/hub was not told about \d+ changed feed\(s\) after 3 tries \(the hub answered 503 Service Unavailable\): https:\/\/news\.example\.org\/feed\.xml, /,
    );
    hub.status = 202;
    rmSync(join(ws.articles, 'a9.md'));
    warnings.length = 0;
    await build(ws);
    expect(warnings).toEqual([]);
  });
});

describe('incremental builds', () => {
  it('give the same tag pages, feeds, archives and sitemaps as a cold build', async () => {
    const cold = workspace(false);
    cpSync(ws.articles, cold.articles, { recursive: true });
    await build(cold);
    const ignore = (path: string) => path.startsWith('digest') || path === 'index.html';
    // Editions are history, not a function of the articles: the incremental builds mailed editions the
    // cold one never made, so the digest pages and the digest archive's lastmod may differ; nothing else.
    const site = (dir: string) =>
      new Map(
        [...siteBytes(dir)]
          .filter(([path]) => !ignore(path))
          .map(([path, bytes]) => [
            path,
            bytes.replace(/(digests\/index\.html<\/loc>\s*<lastmod>)[^<]*/, '$1'),
          ]),
      );
    const want = site(cold.out);
    const got = site(ws.out);
    expect(got.get('sitemap.xml')).toContain('digests/index.html</loc>');
    expect(siteDiff(want, got)).toEqual({ missing: [], extra: [], changed: [] });
    rmSync(cold.root, { recursive: true, force: true });
  });
});
