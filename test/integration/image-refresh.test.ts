/**
 * An image added, replaced or removed after its article was published: the next local build reads
 * the article again (only that one), so its page, feeds and warnings follow the file, under the same
 * story id. Real CLI runs in a child process, as `npm start`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli, type Workspace, workspace } from '../helpers/cli.js';
import { solidPng } from '../helpers/png.js';
import { parseManyWithFeedparser } from '../helpers/readers.js';

const png = solidPng;

const FIRST = png(800, 450, [200, 30, 120]);
const SECOND = png(640, 360, [20, 160, 90]);

let ws: Workspace;
const runs: CliRun[] = [];
const pages: string[] = [];
const pageNames: string[] = [];
const feeds: string[] = [];

function snapshot(run: CliRun) {
  runs.push(run);
  const name = readdirSync(join(ws.out, 'articles')).filter((file) => file.startsWith('floods-reach-'));
  expect(name, 'one page for the story, under the same name').toHaveLength(1);
  pageNames.push(name[0]!);
  pages.push(readFileSync(join(ws.out, 'articles', name[0]!), 'utf8'));
  feeds.push(readFileSync(join(ws.out, 'feed.xml'), 'utf8'));
  writeFileSync(join(ws.root, `feed-${runs.length - 1}.xml`), feeds[feeds.length - 1]!);
}

/** Where the site publishes an image: under its content hash. */
const mediaPath = (bytes: Buffer) =>
  `media/${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.png`;
/** The enclosures of the feed of run `n`, as feedparser reads them. */
const enclosures = (n: number) =>
  parseManyWithFeedparser([join(ws.root, `feed-${n}.xml`)])[0]!.entries.flatMap((entry) => entry.enclosures);
const imageWarnings = (run: CliRun) =>
  run.report.warnings.filter((w) => w.code === 'image').map((w) => w.message);

beforeAll(() => {
  ws = workspace(false);
  mkdirSync(join(ws.articles, 'desk', 'pics'), { recursive: true });
  writeFileSync(
    join(ws.articles, 'desk', 'floods.md'),
    '---\ntitle: Floods reach the capital\ndate: 2021-08-30\nimage: pics/lead.png\nimage_alt: A flooded street\n---\n\nFloods reached the capital on Monday, after a week of heavy rain in the hills to the north.\n',
  );
  writeFileSync(
    join(ws.articles, 'markets.txt'),
    'Markets steady as rain continues\n\nMarkets held steady on Friday. Traders said the floods had not yet reached the warehouses.\n',
  );
  const config = join(ws.root, 'site.config.json');
  writeFileSync(config, JSON.stringify({ title: 'Test Wire', siteUrl: 'https://news.example.org/' }));
  const build = () => snapshot(runCli(ws, ['--config', config]));
  const image = join(ws.articles, 'desk', 'pics', 'lead.png');

  build(); // 0: the image is missing
  writeFileSync(image, FIRST);
  build(); // 1: the editor adds it
  build(); // 2: nothing changed
  writeFileSync(image, SECOND);
  // A replacement copied with its own, older modification time (`cp -p`) is seen too.
  const stamp = new Date('2021-09-01T00:00:00Z');
  utimesSync(image, stamp, stamp);
  build(); // 3: replaced
  unlinkSync(image);
  build(); // 4: removed
}, 180_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

const leadFigure =
  /<figure class="lead"><img src="\.\.\/(media\/[0-9a-f]{20}\.png)" alt="A flooded street" width="(\d+)" height="(\d+)">/;

describe('an image changed after its article was published, in a local build', () => {
  it('every build succeeds', () => {
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
  });

  it('publishes an image added after its article, reading that article again and no other', () => {
    expect(imageWarnings(runs[0]!)).toEqual([
      'desk/floods.md: image "pics/lead.png" not found (looked for desk/pics/lead.png); left out',
    ]);
    expect(pages[0]).not.toMatch(leadFigure);
    expect(runs[1]!.report.changed).toBe(true);
    expect(runs[1]!.report.counts.processed).toBe(1);
    expect(imageWarnings(runs[1]!)).toEqual([]);
    const [, path, width, height] = leadFigure.exec(pages[1]!) ?? [];
    expect([path, width, height]).toEqual([mediaPath(FIRST), '800', '450']);
    expect(enclosures(0)).toEqual([]);
    expect(enclosures(1)).toEqual([
      {
        href: `https://news.example.org/${mediaPath(FIRST)}`,
        length: String(FIRST.length),
        type: 'image/png',
      },
    ]);
  });

  it('does nothing when neither the article nor its image changed', () => {
    expect(runs[2]!.report.changed).toBe(false);
    expect(pages[2]).toBe(pages[1]);
  });

  it('publishes a replaced image under its new content hash, in the page and the feed', () => {
    expect(runs[3]!.report.counts.processed).toBe(1);
    const [, path, width, height] = leadFigure.exec(pages[3]!) ?? [];
    expect([path, width, height]).toEqual([mediaPath(SECOND), '640', '360']);
    expect(enclosures(3)).toEqual([
      {
        href: `https://news.example.org/${mediaPath(SECOND)}`,
        length: String(SECOND.length),
        type: 'image/png',
      },
    ]);
    expect(readFileSync(join(ws.out, mediaPath(SECOND))).equals(SECOND)).toBe(true);
  });

  it('leaves out a removed image and warns again, keeping the story', () => {
    expect(runs[4]!.report.counts.processed).toBe(1);
    expect(imageWarnings(runs[4]!)).toHaveLength(1);
    expect(pages[4]).not.toMatch(leadFigure);
    expect(enclosures(4)).toEqual([]);
    expect(runs[4]!.report.counts.stories).toBe(2);
    // One story id all along: the page's name ends in it.
    expect(new Set(pageNames).size).toBe(1);
  });
});
