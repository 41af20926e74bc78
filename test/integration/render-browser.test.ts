import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestRenderer } from '../../functions/core/render/digest.js';
import { SiteRenderer } from '../../functions/core/render/site.js';
import { makeConfig, makeStories, makeStory } from '../fixtures/stories.js';
import {
  isBlank,
  layoutWidth,
  pixelStats,
  requireChromium,
  savePng,
  screenshot,
} from '../helpers/chromium.js';
import { loadTemplates } from '../helpers/templates.js';

const config = makeConfig({ copyright: '© 2021 Test Wire' });
let dir = '';
let articlePath = '';

/** Set KEEP_SCREENSHOTS=1 to keep the pages and screenshots for a person to look at. */
const keep = process.env.KEEP_SCREENSHOTS === '1';

/** Saves each screenshot next to the pages so a person can look at what the test saw. */
async function shoot(page: string, width: number, height: number, name: string): Promise<PNG> {
  const png = await screenshot(pathToFileURL(join(dir, page)).href, width, height);
  await savePng(png, join(dir, `${name}.png`));
  const { contentShare, distinctColours } = pixelStats(png);
  console.log(
    `${name}: ${png.width}x${png.height}, ${(contentShare * 100).toFixed(1)}% content pixels, ${distinctColours} colours -> ${join(dir, `${name}.png`)}`,
  );
  return png;
}

beforeAll(async () => {
  requireChromium();
  dir = await mkdtemp(join(tmpdir(), 'render-browser-'));
  await mkdir(join(dir, 'articles'));
  const templates = loadTemplates();
  const stories = makeStories(12).map((story, i) =>
    i === 0
      ? makeStory({
          ...story,
          title: 'Taliban resistance movement claims gains in two Afghanistan districts',
        })
      : story,
  );
  const site = SiteRenderer.create(templates, config);
  const digest = await DigestRenderer.create(templates, config);
  const story = makeStory({ link: 'https://example.org/original', tags: ['Afghanistan', 'Taliban'] });
  articlePath = `articles/${story.slug}.html`;
  const parts = digest.render(
    { id: '2021-09-01', date: stories[0]?.date ?? '', stories },
    {
      viewInBrowserUrl: 'https://news.example.org/digests/2021-09-01.html',
      unsubscribeUrl: '{{unsubscribe_url}}',
    },
  );
  await Promise.all([
    writeFile(join(dir, 'digest.html'), parts.html),
    writeFile(
      join(dir, 'index.html'),
      site.renderIndex({
        stories,
        months: [
          { month: '2021-09', count: 1 },
          { month: '2021-08', count: 11 },
        ],
        latestDigest: { path: 'digests/2021-09-01.html', subject: parts.subject },
      }),
    ),
    writeFile(join(dir, articlePath), site.renderArticle(story)),
  ]);
});

afterAll(async () => {
  if (keep) console.log(`pages and screenshots kept in ${dir}`);
  else if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rendered pages in headless Chromium', () => {
  it('the digest at 600 px shows content', async () => {
    const png = await shoot('digest.html', 600, 1200, 'digest-600');
    expect(png.width).toBe(600);
    expect(isBlank(png)).toBe(false);
  });

  it('the digest at 375 px shows content and is no wider than the phone screen', async () => {
    const png = await shoot('digest.html', 375, 1200, 'digest-375');
    expect(png.width).toBe(375);
    expect(isBlank(png)).toBe(false);
    const { scrollWidth, viewportWidth } = await layoutWidth(join(dir, 'digest.html'), 375);
    console.log(`digest at 375 px: content ${scrollWidth} px wide in a ${viewportWidth} px viewport`);
    expect(viewportWidth).toBe(375);
    expect(scrollWidth).toBeLessThanOrEqual(viewportWidth);
  });

  it('the home page at 1280 px shows content', async () => {
    const png = await shoot('index.html', 1280, 900, 'index-1280');
    expect(isBlank(png)).toBe(false);
    expect(pixelStats(png).contentShare).toBeGreaterThan(0.05);
  });

  it('the article page at 1280 px shows content', async () => {
    const png = await shoot(articlePath, 1280, 900, 'article-1280');
    expect(isBlank(png)).toBe(false);
  });

  it('an empty page counts as blank', async () => {
    await writeFile(join(dir, 'empty.html'), '<!doctype html><html><body></body></html>');
    expect(isBlank(await shoot('empty.html', 600, 400, 'empty'))).toBe(true);
  });

  it('the layout probe detects a page wider than the viewport', async () => {
    const wide = join(dir, 'too-wide.html');
    await writeFile(
      wide,
      '<!doctype html><html><head><meta name="viewport" content="width=device-width"></head><body><div style="width:700px">x</div></body></html>',
    );
    const { scrollWidth, viewportWidth } = await layoutWidth(wide, 375);
    expect(viewportWidth).toBe(375);
    expect(scrollWidth).toBeGreaterThan(700);
  });
});
