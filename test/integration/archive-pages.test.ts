/**
 * RFC 5005 archive documents split into pages (`archivePageSize`): a month with more stories than a
 * page is several documents, oldest first, chained like months are. What this buys is a bounded
 * increment: a build that adds stories at a month's newest end renders that end again, not the
 * month. Checked with feedparser walking the chain, xmllint, the JSON Feed schema, the sink's write
 * calls, and a cold build of the same files.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutputFile } from '../../functions/core/model.js';
import { createRng } from '../fixtures/rng.js';
import { type Workspace, workspace } from '../helpers/cli.js';
import { buildHere, siteBytes, siteDiff } from '../helpers/local-build.js';
import { parseManyWithFeedparser, validateJsonFeed, xmllintCheck } from '../helpers/readers.js';

const SITE = 'https://news.example.org/';
const WORDS =
  'river harbour council budget vote storm rail bridge school clinic market wheat copper court strike festival museum drought port ferry tunnel mayor senate union airline factory orchard glacier reactor vaccine'.split(
    ' ',
  );

/** A distinct article (its own words, so no two are copies) with a title that names its number. */
function article(n: number, date: string): string {
  const rng = createRng(5000 + n);
  const sentence = () => Array.from({ length: 14 }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
  const body = Array.from({ length: 3 }, () => `${sentence()}, the desk reported on day ${n}.`).join('\n\n');
  return `---\ntitle: Story ${String(n).padStart(2, '0')} ${WORDS[n % WORDS.length]}\ndate: ${date}\n---\n\n${body}\n`;
}

const october = (day: number) => `2025-10-${String(day).padStart(2, '0')}T08:00:00Z`;
const write = (ws: Workspace, n: number, date: string) =>
  writeFileSync(join(ws.articles, `s${n}.md`), article(n, date));

/** Every archive write the build attempted (rendered), changed or not. */
const archiveWrites: string[] = [];
const build = (ws: Workspace) =>
  buildHere(
    ws,
    ({ sink }) => ({
      sink: {
        write: (file: OutputFile) => {
          if (file.path.startsWith('archive/') && !file.path.endsWith('.html')) archiveWrites.push(file.path);
          return sink.write(file);
        },
        remove: (path: string) => sink.remove(path),
        exists: (path: string) => sink.exists(path),
      },
    }),
    { configPath },
  );

let ws: Workspace;
let configPath: string;

/** The site of a cold build of `ws`'s articles, without what depends on history (editions). */
async function coldSite(from: Workspace) {
  const cold = workspace(false);
  cpSync(from.articles, cold.articles, { recursive: true });
  await build(cold);
  return comparable(cold.out);
}
const comparable = (dir: string) =>
  new Map(
    [...siteBytes(dir)]
      .filter(([path]) => !path.startsWith('digest') && path !== 'index.html')
      .map(([path, bytes]) => [path, bytes.replace(/(digests\/index\.html<\/loc>\s*<lastmod>)[^<]*/, '$1')]),
  );

/** Titles met walking the chain from `start`, and the documents visited. */
function walk(start: string): { titles: string[]; visited: string[] } {
  const titles: string[] = [];
  const visited: string[] = [];
  for (let url: string | undefined = `${SITE}${start}`; url; ) {
    visited.push(url.slice(SITE.length));
    const [feed] = parseManyWithFeedparser([join(ws.out, url.slice(SITE.length))]);
    expect(feed!.bozo, `${url}: ${feed!.bozoException}`).toBe(false);
    titles.push(...feed!.entries.map((entry) => entry.title!.slice(0, 8)));
    url = feed!.feed.links.find((link) => link.rel === 'prev-archive')?.href ?? undefined;
  }
  return { titles, visited };
}
const titlesOf = (numbers: number[]) => numbers.map((n) => `Story ${String(n).padStart(2, '0')}`).sort();
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeAll(async () => {
  ws = workspace(false);
  configPath = join(ws.root, 'site.config.json');
  writeFileSync(configPath, JSON.stringify({ siteUrl: SITE, feedSize: 3, archivePageSize: 4 }));
  // Stories 1-14 on October 1-14; 15-17 in November (the feeds' window of 3).
  for (const n of range(1, 14)) write(ws, n, october(n));
  for (const n of range(15, 17)) write(ws, n, `2025-11-${n - 5}T08:00:00Z`);
  await build(ws);
}, 120_000);

describe('archive pages', () => {
  it('split a month into pages of archivePageSize, oldest first, that a reader walks once each', () => {
    for (const [start, ext] of [
      ['feed.xml', '.xml'],
      ['atom.xml', '.atom.xml'],
    ] as const) {
      const { titles, visited } = walk(start);
      expect(titles.sort()).toEqual(titlesOf(range(1, 17)));
      expect(visited).toEqual([
        start,
        `archive/2025-10-p4${ext}`,
        `archive/2025-10-p3${ext}`,
        `archive/2025-10-p2${ext}`,
        `archive/2025-10${ext}`,
      ]);
    }
    // The month's first page keeps the month's name and holds its four oldest stories.
    const [first, last] = parseManyWithFeedparser([
      join(ws.out, 'archive/2025-10.xml'),
      join(ws.out, 'archive/2025-10-p4.xml'),
    ]);
    expect(first!.entries.map((e) => e.title!.slice(0, 8)).sort()).toEqual(titlesOf([1, 2, 3, 4]));
    expect(last!.entries.map((e) => e.title!.slice(0, 8)).sort()).toEqual(titlesOf([13, 14]));
    expect(first!.feed.links.find((l) => l.rel === 'next-archive')?.href).toBe(
      `${SITE}archive/2025-10-p2.xml`,
    );
    const xml = readdirSync(join(ws.out, 'archive'))
      .filter((file) => file.endsWith('.xml'))
      .map((file) => join(ws.out, 'archive', file));
    expect(xml).toHaveLength(8);
    expect(xmllintCheck(xml).ok).toBe(true);
  });

  it('JSON Feed: next_url pages through every story once, each page schema-valid', () => {
    const seen: string[] = [];
    const pages: string[] = [];
    for (let url: string | undefined = `${SITE}feed.json`; url; ) {
      pages.push(url.slice(SITE.length));
      const feed = JSON.parse(readFileSync(join(ws.out, url.slice(SITE.length)), 'utf8'));
      expect(validateJsonFeed(feed).errors).toEqual([]);
      seen.push(...feed.items.map((item: { title: string }) => item.title.slice(0, 8)));
      url = feed.next_url;
    }
    expect(pages).toEqual([
      'feed.json',
      'archive/2025-10-p4.json',
      'archive/2025-10-p3.json',
      'archive/2025-10-p2.json',
      'archive/2025-10.json',
    ]);
    expect(seen.sort()).toEqual(titlesOf(range(1, 17)));
  });

  it('an increment renders the pages from its oldest change on, not the month, and equals a cold build', async () => {
    // Two new stories push two November ones out of the window (a new archive month), and one
    // story lands on October 10, in the month's third page.
    write(ws, 18, '2025-11-20T08:00:00Z');
    write(ws, 19, '2025-11-21T08:00:00Z');
    write(ws, 20, '2025-10-10T12:00:00Z');
    archiveWrites.length = 0;
    await build(ws);
    const rendered = new Set(archiveWrites.map((path) => path.replace(/\.(atom\.xml|xml|json)$/, '')));
    // Story 20 is on the third page: from the page before it (which links the next) to the month's end.
    expect([...rendered].sort()).toEqual([
      'archive/2025-10-p2',
      'archive/2025-10-p3',
      'archive/2025-10-p4',
      'archive/2025-11',
    ]);
    expect(siteDiff(await coldSite(ws), comparable(ws.out))).toEqual({ missing: [], extra: [], changed: [] });
    expect(walk('feed.xml').titles.sort()).toEqual(titlesOf(range(1, 20)));
  });

  it('a removal shifts the later pages and deletes the pages no longer needed, as a cold build has them', async () => {
    for (const n of range(1, 6)) rmSync(join(ws.articles, `s${n}.md`));
    await build(ws);
    // October keeps 9 stories (7-14 and 20): three pages.
    expect(existsSync(join(ws.out, 'archive/2025-10-p3.json'))).toBe(true);
    for (const ext of ['.xml', '.atom.xml', '.json'])
      expect(existsSync(join(ws.out, `archive/2025-10-p4${ext}`)), ext).toBe(false);
    expect(siteDiff(await coldSite(ws), comparable(ws.out))).toEqual({ missing: [], extra: [], changed: [] });
    expect(walk('atom.xml').titles.sort()).toEqual(titlesOf([...range(7, 20)]));
  });

  it('a story edited where it is renders only its own page again', async () => {
    // October now holds 7-14 and 20: pages [7 8 9 10] [20 11 12 13] [14]. Story 8 gets a new paragraph.
    writeFileSync(
      join(ws.articles, 's8.md'),
      `${article(8, october(8))}\nA late paragraph about the ferry timetable was added by the desk.\n`,
    );
    archiveWrites.length = 0;
    await build(ws);
    const rendered = new Set(archiveWrites.map((path) => path.replace(/\.(atom\.xml|xml|json)$/, '')));
    expect([...rendered]).toEqual(['archive/2025-10']);
    expect(readFileSync(join(ws.out, 'archive/2025-10.xml'), 'utf8')).toContain('ferry timetable');
    expect(siteDiff(await coldSite(ws), comparable(ws.out))).toEqual({ missing: [], extra: [], changed: [] });
  });

  it('a story that opens a new page at the end of a month also renders the page before it, which now links to it', async () => {
    // November's archive: 15 and 16; two more stories make it exactly one full page (15-18) (the build
    // clock is November 24, noon: later dates would be held) ...
    write(ws, 21, '2025-11-22T08:00:00Z');
    write(ws, 22, '2025-11-23T08:00:00Z');
    await build(ws);
    expect(existsSync(join(ws.out, 'archive/2025-11-p2.xml'))).toBe(false);
    // ... and one more pushes 19 out of the window onto a second page.
    write(ws, 23, '2025-11-24T08:00:00Z');
    archiveWrites.length = 0;
    await build(ws);
    const rendered = new Set(archiveWrites.map((path) => path.replace(/\.(atom\.xml|xml|json)$/, '')));
    expect([...rendered].sort()).toEqual(['archive/2025-10-p3', 'archive/2025-11', 'archive/2025-11-p2']);
    const [first] = parseManyWithFeedparser([join(ws.out, 'archive/2025-11.xml')]);
    expect(first!.feed.links.find((l) => l.rel === 'next-archive')?.href).toBe(
      `${SITE}archive/2025-11-p2.xml`,
    );
    expect(siteDiff(await coldSite(ws), comparable(ws.out))).toEqual({ missing: [], extra: [], changed: [] });
  });

  it('a config whose window holds every story removes every archive document, as a cold build has none', async () => {
    writeFileSync(configPath, JSON.stringify({ siteUrl: SITE, feedSize: 100, archivePageSize: 4 }));
    await build(ws);
    expect(readdirSync(join(ws.out, 'archive')).filter((file) => !file.endsWith('.html'))).toEqual([]);
    expect(siteDiff(await coldSite(ws), comparable(ws.out))).toEqual({ missing: [], extra: [], changed: [] });
  });
});
