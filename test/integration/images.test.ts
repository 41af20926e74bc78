import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePng, screenshot } from '../helpers/chromium.js';
import { type CliRun, runCli, type Workspace, workspace } from '../helpers/cli.js';
import { solidPng } from '../helpers/png.js';
import { newsboatUnread, parseManyWithFeedparser, validateJsonFeed } from '../helpers/readers.js';

const png = solidPng;

const LEAD = png(800, 450, [200, 30, 120]);
const INLINE = png(320, 200, [20, 160, 90]);
const SITE = 'https://news.example.org/';

let ws: Workspace;
let run: CliRun;
const read = (path: string) => readFileSync(join(ws.out, path), 'utf8');

beforeAll(() => {
  ws = workspace(false);
  mkdirSync(join(ws.articles, 'desk', 'pics'), { recursive: true });
  writeFileSync(join(ws.articles, 'desk', 'pics', 'lead.png'), LEAD);
  writeFileSync(join(ws.articles, 'desk', 'pics', 'inline.png'), INLINE);
  writeFileSync(
    join(ws.articles, 'desk', 'photo-story.md'),
    `---
title: Floods reach the capital
date: 2021-08-30
author: Jane Doe
tags: [weather]
image: pics/lead.png
image_alt: Flooded street with parked cars
image_caption: The river rose two metres overnight.
---

Floods reached the capital on Monday, after a week of heavy rain in the hills to the north.

![A rescue boat on the square](pics/inline.png "Rescue boats on the main square")

Officials said the water would recede by Thursday, and schools stayed closed.
`,
  );
  writeFileSync(
    join(ws.articles, 'desk', 'missing.md'),
    `---
title: Bridge reopens after repairs
date: 2021-08-29
image: nope.png
image_alt: The bridge
---

The bridge over the river reopened on Sunday after three months of repairs to its deck.
`,
  );
  writeFileSync(
    join(ws.articles, 'plain.txt'),
    'Markets steady as rain continues\n\nMarkets held steady on Friday. Traders said the floods had not yet reached the warehouses near https://example.org/market.\n',
  );
  writeFileSync(join(ws.root, 'site.config.json'), JSON.stringify({ title: 'Test Wire', siteUrl: SITE }));
  run = runCli(ws, ['--config', join(ws.root, 'site.config.json')]);
}, 120_000);

afterAll(() => {
  if (!process.env.KEEP_SCREENSHOTS) rmSync(ws.root, { recursive: true, force: true });
});

/** The article page of the story titled `Floods…` (slugs end in a hash of the story id). */
function floodsPage(): string {
  const name = readdirSync(join(ws.out, 'articles')).find((file) =>
    file.startsWith('floods-reach-the-capital-'),
  );
  return `articles/${name}`;
}

function mediaFiles(): string[] {
  return readdirSync(join(ws.out, 'media')).sort();
}

function leadName(): string {
  return mediaFiles().find((name) => readFileSync(join(ws.out, 'media', name)).equals(LEAD))!;
}

describe('images in a local build', () => {
  it('publishes, and reports a missing image by file and name without failing the build', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.counts.stories).toBe(3);
    const warnings = run.report.warnings.filter((w) => w.code === 'image');
    expect(warnings.map((w) => w.message)).toEqual([
      'desk/missing.md: image "nope.png" not found (looked for desk/nope.png); left out',
    ]);
  });

  it('copies local images to media/ under a content hash, never their own path', () => {
    const files = mediaFiles();
    expect(files).toHaveLength(2);
    for (const name of files) expect(name).toMatch(/^[0-9a-f]{20}\.png$/);
    expect(leadName()).toBeDefined();
    expect(readdirSync(ws.out)).not.toContain('pics');
  });

  it('shows the lead image with its size and caption on the article page, and the body image', () => {
    const page = read(floodsPage());
    expect(page).toContain(
      `<figure class="lead"><img src="../media/${leadName()}" alt="Flooded street with parked cars" width="800" height="450"><figcaption>The river rose two metres overnight.</figcaption></figure>`,
    );
    expect(page).toMatch(
      /<figure><img src="\.\.\/media\/[0-9a-f]{20}\.png" width="320" height="200" alt="A rescue boat on the square" \/><figcaption>Rescue boats on the main square<\/figcaption><\/figure>/,
    );
    expect(read('index.html')).toContain(`<img class="story-image" src="media/${leadName()}"`);
  });

  it('gives the article page canonical, Open Graph, Twitter card and JSON-LD NewsArticle metadata', () => {
    const page = read(floodsPage());
    const url = `${SITE}${floodsPage()}`;
    const image = `${SITE}media/${leadName()}`;
    expect(page).toContain(`<link rel="canonical" href="${url}">`);
    expect(page).toContain('<meta property="og:type" content="article">');
    expect(page).toContain(`<meta property="og:image" content="${image}">`);
    expect(page).toContain('<meta property="og:image:width" content="800">');
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    const json = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(page)?.[1];
    const ld = JSON.parse(json ?? 'null') as Record<string, unknown>;
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Floods reach the capital',
      datePublished: '2021-08-30T00:00:00.000Z',
      dateModified: '2021-08-30T00:00:00.000Z',
      author: { '@type': 'Person', name: 'Jane Doe' },
      image: { '@type': 'ImageObject', url: image, width: 800, height: 450 },
    });
  });

  it('carries the image as an enclosure that feedparser reads in RSS and Atom, with absolute URLs', () => {
    const image = `${SITE}media/${leadName()}`;
    const [rss, atom] = parseManyWithFeedparser([join(ws.out, 'feed.xml'), join(ws.out, 'atom.xml')]);
    for (const feed of [rss!, atom!]) {
      expect(feed.bozo, feed.bozoException ?? '').toBe(false);
      const entry = feed.entries.find((e) => e.title === 'Floods reach the capital')!;
      expect(entry.enclosures).toEqual([{ href: image, length: String(LEAD.length), type: 'image/png' }]);
      expect(entry.content.join('')).toMatch(/src="https:\/\/news\.example\.org\/media\/[0-9a-f]{20}\.png"/);
    }
    const rssEntry = rss!.entries.find((e) => e.title === 'Floods reach the capital')!;
    expect(rssEntry.media).toEqual([{ url: image, width: '800', height: '450', type: 'image/png' }]);
    const other = rss!.entries.find((e) => e.title === 'Bridge reopens after repairs')!;
    expect(other.enclosures).toEqual([]);
  });

  it('gives JSON Feed items image and attachments, valid against the schema', () => {
    const feed = JSON.parse(read('feed.json')) as { items: Record<string, unknown>[] };
    expect(validateJsonFeed(feed).errors).toEqual([]);
    const item = feed.items.find((i) => i.title === 'Floods reach the capital')!;
    const image = `${SITE}media/${leadName()}`;
    expect(item.image).toBe(image);
    expect(item.attachments).toEqual([
      {
        url: image,
        mime_type: 'image/png',
        title: 'Flooded street with parked cars',
        size_in_bytes: LEAD.length,
      },
    ]);
  });

  it('is read whole by newsboat', () => {
    expect(newsboatUnread(join(ws.out, 'feed.xml'))).toBe(3);
    expect(newsboatUnread(join(ws.out, 'atom.xml'))).toBe(3);
  });

  it('puts the lead image in the digest at most 544 px wide with alt text, under 100 KB', () => {
    const digest = read('digest.html');
    expect(statSync(join(ws.out, 'digest.html')).size).toBeLessThan(100 * 1024);
    expect(digest).toContain(
      `<img src="${SITE}media/${leadName()}" alt="Flooded street with parked cars" width="544" height="306"`,
    );
  });

  it('shows the image in Chromium', async () => {
    const file = join(ws.out, floodsPage());
    const shot = await screenshot(pathToFileURL(file).href, 1000, 1100);
    await savePng(shot, join(ws.root, 'article-with-image.png'));
    let lead = 0;
    let inline = 0;
    for (let i = 0; i < shot.data.length; i += 4) {
      const [r, g, b] = [shot.data[i]!, shot.data[i + 1]!, shot.data[i + 2]!];
      if (Math.abs(r - 200) < 4 && Math.abs(g - 30) < 4 && Math.abs(b - 120) < 4) lead++;
      if (Math.abs(r - 20) < 4 && Math.abs(g - 160) < 4 && Math.abs(b - 90) < 4) inline++;
    }
    // The lead image is shown at the article's width (up to 672 px of its 800), the body image whole.
    expect(lead).toBeGreaterThan(600 * 300);
    expect(inline).toBeGreaterThan(300 * 180);
    if (process.env.KEEP_SCREENSHOTS) console.log(`screenshot: ${join(ws.root, 'article-with-image.png')}`);
  }, 120_000);
});
