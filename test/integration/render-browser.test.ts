import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiRequest,
  type ApiResponse,
  handleApiRequest,
  type SubscribeApiDeps,
  unavailableResponse,
} from '../../functions/core/email/subscribe-http.js';
import { confirmToken, confirmUrl, unsubscribeToken } from '../../functions/core/email/subscribe-links.js';
import { ConfirmationRenderer } from '../../functions/core/render/confirmation.js';
import { DigestRenderer } from '../../functions/core/render/digest.js';
import { SiteRenderer } from '../../functions/core/render/site.js';
import { makeConfig, makeStories, makeStory } from '../fixtures/stories.js';
import {
  DARK_MODE_FLAG,
  dominantColour,
  type ElementBox,
  isBlank,
  layoutWidth,
  lightShare,
  type PageProbe,
  pixelStats,
  probePage,
  requireChromium,
  savePng,
  screenshot,
} from '../helpers/chromium.js';
// The subscription ports in memory: these tests look at the pages the API answers with, not at storage.
import {
  fixedClock,
  fromCloudFront,
  idOf,
  keyringSource,
  MemoryLimiter,
  MemoryQueue,
  MemoryStore,
  originSource,
  RING,
} from '../helpers/email-fakes.js';
import { loadBuiltTemplates, loadTemplates } from '../helpers/templates.js';

const config = makeConfig({ copyright: '© 2021 Test Wire' });
let dir = '';
let articlePath = '';

/** Set KEEP_SCREENSHOTS=1 to keep the pages and screenshots for a person to look at. */
const keep = process.env.KEEP_SCREENSHOTS === '1';

/** Saves each screenshot next to the pages so a person can look at what the test saw. */
async function shoot(
  page: string,
  width: number,
  height: number,
  name: string,
  flags: readonly string[] = [],
): Promise<PNG> {
  const png = await screenshot(pathToFileURL(join(dir, page)).href, width, height, flags);
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
  const templates = await loadBuiltTemplates();
  const stories = makeStories(12).map((story, i) =>
    i === 0
      ? makeStory({
          ...story,
          title: 'Taliban resistance movement claims gains in two Afghanistan districts',
        })
      : story,
  );
  const site = SiteRenderer.create(templates, config);
  const digest = DigestRenderer.create(templates, config);
  const story = makeStory({ link: 'https://example.org/original', tags: ['Afghanistan', 'Taliban'] });
  articlePath = `articles/${story.slug}.html`;
  const parts = digest.render(
    { id: '2021-09-01', date: stories[0]?.date ?? '', stories },
    {
      viewInBrowserUrl: 'https://news.example.org/digests/2021-09-01.html',
      unsubscribeUrl: '{{unsubscribe_url}}',
    },
  );
  const branded = DigestRenderer.create(
    templates,
    makeConfig({
      title: 'Test Wire',
      brand: { color: '#8a1538', logoUrl: 'https://news.example.org/logo.png', logoWidth: 120 },
    }),
  ).render(
    { id: '2021-09-01', date: stories[0]?.date ?? '', stories },
    {
      viewInBrowserUrl: 'https://news.example.org/digests/2021-09-01.html',
      unsubscribeUrl: '{{unsubscribe_url}}',
    },
  );
  await Promise.all([
    writeFile(join(dir, 'digest.html'), parts.html),
    writeFile(join(dir, 'digest-brand.html'), branded.html),
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

  it('the digest in dark mode at 375 px: dark page and cards, light text, the brand logo slot', async () => {
    const light = await shoot('digest-brand.html', 375, 1200, 'digest-375-light');
    const dark = await shoot('digest-brand.html', 375, 1200, 'digest-375-dark', [DARK_MODE_FLAG]);
    expect(isBlank(dark)).toBe(false);
    // Light mode: the grey page (#eef0f3) or white cards dominate; dark mode: #0f1217 or #1b2029.
    const channels = (rgb: number) => [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255];
    expect(Math.min(...channels(dominantColour(light)))).toBeGreaterThan(200);
    expect(Math.max(...channels(dominantColour(dark)))).toBeLessThan(48);
    // Text is drawn light on the dark cards: far more light pixels than an all-dark picture has,
    // and far fewer than the light rendering.
    const darkLight = lightShare(dark, 170);
    console.log(
      `light pixels: ${(darkLight * 100).toFixed(1)}% dark mode, ${(lightShare(light, 170) * 100).toFixed(1)}% light mode`,
    );
    expect(darkLight).toBeGreaterThan(0.01);
    expect(darkLight).toBeLessThan(lightShare(light, 170) / 2);
    // The logo slot keeps its explicit width (the image itself is offline here), the first story is on screen.
    const probe = await probePage(join(dir, 'digest-brand.html'), {
      width: 375,
      height: 1200,
      selectors: { logo: 'img[alt="Test Wire"]', title: 'h2.story-title a[href$=".html"]' },
    });
    expect(probe.scrollWidth).toBeLessThanOrEqual(375);
    const { logo, title } = probe.elements;
    expect(logo && logo.right - logo.left).toBe(120);
    expect(title?.hitAtCentre).toBe(true);
    expect(title?.top).toBeGreaterThan(logo?.bottom ?? Number.POSITIVE_INFINITY);
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

/** Probes a page, saves what Chromium showed and logs the figures a person would check. */
async function probe(
  page: string,
  width: number,
  height: number,
  name: string,
  selectors: Record<string, string> = {},
): Promise<PageProbe> {
  const result = await probePage(join(dir, page), { width, height, selectors });
  await savePng(result.png, join(dir, `${name}.png`));
  const { contentShare, distinctColours } = pixelStats(result.png);
  const boxes = Object.entries(result.elements).map(([key, box]) =>
    box
      ? `${key} (${box.left},${box.top})-(${box.right},${box.bottom})${box.hitAtCentre ? '' : ' NOT HIT'}`
      : `${key} missing`,
  );
  console.log(
    `${name}: content ${result.scrollWidth}x${result.scrollHeight} px in a ${result.viewportWidth}x${result.viewportHeight} viewport, ` +
      `${(contentShare * 100).toFixed(1)}% content pixels, ${distinctColours} colours; ${boxes.join('; ') || 'no elements'} -> ${join(dir, `${name}.png`)}`,
  );
  return result;
}

/**
 * Visible to a reader without scrolling: inside the viewport on every side, big enough to tap
 * (WCAG 2.2's 24 px target minimum) and what a tap at its centre would reach.
 */
function expectOnScreen(result: PageProbe, name: string): ElementBox {
  const box = result.elements[name];
  expect(box, `${name} is in the page`).toBeDefined();
  if (!box) throw new Error(`${name} is missing`);
  expect(box.left, `${name} left`).toBeGreaterThanOrEqual(0);
  expect(box.top, `${name} top`).toBeGreaterThanOrEqual(0);
  expect(box.right, `${name} right`).toBeLessThanOrEqual(result.viewportWidth);
  expect(box.bottom, `${name} bottom`).toBeLessThanOrEqual(result.viewportHeight);
  expect(box.right - box.left, `${name} width`).toBeGreaterThanOrEqual(24);
  expect(box.bottom - box.top, `${name} height`).toBeGreaterThanOrEqual(24);
  expect(box.hitAtCentre, `${name} is not covered or hidden`).toBe(true);
  return box;
}

/** A button is drawn as a filled shape, not as text on the page's own background. */
function expectFilled(result: PageProbe, box: ElementBox): void {
  expect(dominantColour(result.png, box)).not.toBe(dominantColour(result.png));
}

function expectFits(result: PageProbe, width: number): void {
  expect(result.viewportWidth).toBe(width);
  expect(result.scrollWidth).toBeLessThanOrEqual(result.viewportWidth);
}

describe('the element probe', () => {
  it('reads exact boxes, including negative ones, and sees a covered button as unreachable', async () => {
    await writeFile(
      join(dir, 'probe-check.html'),
      [
        '<!doctype html><html><head><meta name="viewport" content="width=device-width"></head><body style="margin:0">',
        '<button id="free" style="position:absolute;left:10px;top:20px;width:100px;height:40px">Free</button>',
        '<button id="covered" style="position:absolute;left:10px;top:100px;width:100px;height:40px">Covered</button>',
        '<div style="position:absolute;left:0;top:90px;width:200px;height:60px;background:#fff"></div>',
        '<div id="off" style="position:absolute;left:-50px;top:200px;width:30px;height:10px"></div>',
        '</body></html>',
      ].join(''),
    );
    const result = await probe('probe-check.html', 375, 400, 'probe-check', {
      free: '#free',
      covered: '#covered',
      off: '#off',
      none: '#none',
    });
    expect(result.elements.free).toEqual({ left: 10, top: 20, right: 110, bottom: 60, hitAtCentre: true });
    expect(result.elements.covered?.hitAtCentre).toBe(false);
    expect(result.elements.off).toMatchObject({ left: -50, right: -20, hitAtCentre: false });
    expect(result.elements.none).toBeUndefined();
  });
});

/** Real, if rare: 69 characters without a space or hyphen, wider than a phone screen in one piece. */
const LONG_ADDRESS = 'alexandra.konstantinopoulou.physics@universityofheidelberg.example.de';

describe('the confirmation email in headless Chromium', () => {
  const address = 'reader@example.org';
  let link = '';

  beforeAll(async () => {
    const renderer = ConfirmationRenderer.create(await loadBuiltTemplates(), config);
    const token = confirmToken(
      RING,
      { subscriberId: idOf(address), generation: 0 },
      'digest',
      new Date('2021-09-01T07:00:00Z'),
    );
    link = confirmUrl(config.siteUrl, token);
    await writeFile(join(dir, 'confirm.html'), renderer.render({ address, confirmUrl: link }).html);
    await writeFile(
      join(dir, 'confirm-long.html'),
      renderer.render({ address: LONG_ADDRESS, confirmUrl: link }).html,
    );
  });

  // The first link to the confirm URL is the button; the copyable link under it comes second.
  const selectors = (): Record<string, string> => ({ button: `a[href="${link}"]` });

  it('at 600 px shows content with the confirm button on the first screen', async () => {
    const result = await probe('confirm.html', 600, 800, 'confirm-600', selectors());
    expect(isBlank(result.png)).toBe(false);
    expectFits(result, 600);
    expectFilled(result, expectOnScreen(result, 'button'));
  });

  it('at 375 px fits the phone screen with the confirm button on the first screen', async () => {
    const result = await probe('confirm.html', 375, 667, 'confirm-375', selectors());
    expect(isBlank(result.png)).toBe(false);
    expectFits(result, 375);
    expectFilled(result, expectOnScreen(result, 'button'));
  });

  it('at 375 px breaks a long address instead of widening the email', async () => {
    const result = await probe('confirm-long.html', 375, 667, 'confirm-long-375', selectors());
    expectFits(result, 375);
    expectOnScreen(result, 'button');
  });
});

describe('the subscribe API pages in headless Chromium', () => {
  const address = 'reader@example.org';
  const id = idOf(address);
  const site = { title: config.title, siteUrl: config.siteUrl, language: config.language };
  const unsubscribeForm = 'form[method="post" i]';
  const submit = `${unsubscribeForm} :is(button:not([type]), button[type="submit" i], input[type="submit" i])`;
  /** Page name → the status the API answered with, so a page cannot silently turn into another one. */
  const pages = new Map<string, number>();

  beforeAll(async () => {
    const store = new MemoryStore();
    const deps: SubscribeApiDeps = {
      store,
      limiter: new MemoryLimiter(),
      queue: new MemoryQueue(),
      keyring: keyringSource,
      listId: 'digest',
      perSourcePerHour: 20,
      clock: fixedClock('2021-09-01T07:00:00.000Z'),
      site,
      origin: originSource,
    };
    const request = (method: string, path: string, body?: string): ApiRequest => {
      const [bare = '', query = ''] = path.split('?');
      return {
        method,
        path: bare,
        query,
        headers: {
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          ...fromCloudFront,
          'cloudfront-viewer-address': '203.0.113.5:443',
        },
        ...(body === undefined ? {} : { body }),
      };
    };
    const save = async (name: string, response: ApiResponse): Promise<void> => {
      expect(response.headers['content-type'], name).toMatch(/^text\/html/);
      pages.set(name, response.statusCode);
      await writeFile(join(dir, `api-${name}.html`), response.body);
    };
    const call = async (name: string, method: string, path: string, body?: string): Promise<void> =>
      save(name, (await handleApiRequest(deps, request(method, path, body))).response);

    await call('check-inbox', 'POST', '/api/subscribe', new URLSearchParams({ email: address }).toString());
    const long = new URLSearchParams({ email: LONG_ADDRESS }).toString();
    await call('check-inbox-long', 'POST', '/api/subscribe', long);
    await store.createPending({
      id,
      address,
      status: 'pending',
      generation: 0,
      createdAt: '2021-09-01T07:00:00.000Z',
      updatedAt: '2021-09-01T07:00:00.000Z',
      transientBounces: 0,
    });
    const confirm = confirmToken(
      RING,
      { subscriberId: id, generation: 0 },
      'digest',
      new Date('2021-09-01T07:00:00Z'),
    );
    await call('confirmed', 'GET', `/api/confirm?token=${confirm}`);
    const unsubscribe = unsubscribeToken(RING, id, 'digest');
    await call('unsubscribe', 'GET', `/api/unsubscribe?token=${unsubscribe}`);
    await call('unsubscribed', 'POST', `/api/unsubscribe?token=${unsubscribe}`, 'List-Unsubscribe=One-Click');
    await call('invalid-address', 'POST', '/api/subscribe', 'email=reader-at-example.org');
    await call('invalid-link', 'GET', '/api/confirm?token=AAAA');
    await call('not-found', 'GET', '/api/nothing');
    await save('unavailable', unavailableResponse(site, request('GET', '/api/confirm')));
  });

  it('answered each page with the status it stands for', () => {
    expect(Object.fromEntries(pages)).toEqual({
      'check-inbox': 202,
      'check-inbox-long': 202,
      confirmed: 200,
      unsubscribe: 200,
      unsubscribed: 200,
      'invalid-address': 400,
      'invalid-link': 400,
      'not-found': 404,
      unavailable: 503,
    });
  });

  const names = [
    'check-inbox',
    'confirmed',
    'unsubscribe',
    'unsubscribed',
    'invalid-address',
    'invalid-link',
    'not-found',
    'unavailable',
  ];
  for (const width of [375, 1280]) {
    it.each(names)(`the %s page at ${width} px shows content and fits the width`, async (name) => {
      const result = await probe(`api-${name}.html`, width, 800, `api-${name}-${width}`, { heading: 'h1' });
      expect(isBlank(result.png)).toBe(false);
      expectFits(result, width);
      expectOnScreen(result, 'heading');
    });
  }

  for (const [width, height] of [
    [375, 667],
    [1280, 800],
  ] as const) {
    it(`the unsubscribe page at ${width} px shows its POST button on the first screen`, async () => {
      const result = await probe('api-unsubscribe.html', width, height, `api-unsubscribe-button-${width}`, {
        submit,
        oneClick: `${unsubscribeForm} input[type="hidden"][name="List-Unsubscribe"][value="One-Click"]`,
      });
      expectFilled(result, expectOnScreen(result, 'submit'));
      // Hidden, but in the same form: the button's POST is a one-click unsubscribe as RFC 8058 defines it.
      expect(result.elements.oneClick).toBeDefined();
    });
  }

  // An address is one unbreakable word: without overflow-wrap it ran past the card and the screen
  // (659 px of content at 375 px) until api-pages.ts set it.
  it('the check-inbox page at 375 px wraps a long address within the width', async () => {
    const result = await probe('api-check-inbox-long.html', 375, 667, 'api-check-inbox-long-375');
    expectFits(result, 375);
  });

  it('the pages without a form have no submit button', async () => {
    const result = await probe('api-confirmed.html', 375, 667, 'api-confirmed-no-form', { submit });
    expect(result.elements.submit).toBeUndefined();
  });
});

describe('the home page with a subscribe form in headless Chromium', () => {
  const subscribeUrl = '/api/subscribe';
  const form = `form[method="post" i][action="${subscribeUrl}"]`;
  const selectors = {
    email: `${form} input[type="email"][name="email"]`,
    button: `${form} :is(button:not([type]), button[type="submit" i], input[type="submit" i])`,
  };

  beforeAll(async () => {
    const site = SiteRenderer.create(loadTemplates(), makeConfig({ subscribeUrl }));
    await writeFile(
      join(dir, 'index-subscribe.html'),
      site.renderIndex({ stories: makeStories(12), months: [{ month: '2021-08', count: 12 }] }),
    );
  });

  it('at 375 px shows the email field and the button below the stories', async () => {
    const first = await probe('index-subscribe.html', 375, 667, 'index-subscribe-375-top', selectors);
    expectFits(first, 375);
    // Twelve stories come first on a phone: the form is further down, reached through the "Newsletter" link.
    expect(first.elements.email?.top).toBeGreaterThan(first.viewportHeight);
    expect(first.elements.email?.hitAtCentre).toBe(false);
    // A window as tall as the page shows all of it at the same width.
    const result = await probe(
      'index-subscribe.html',
      375,
      first.scrollHeight,
      'index-subscribe-375',
      selectors,
    );
    expect(isBlank(result.png)).toBe(false);
    expectFits(result, 375);
    const email = expectOnScreen(result, 'email');
    const button = expectOnScreen(result, 'button');
    expectFilled(result, button);
    // Room for a whole ordinary address, not a sliver squeezed by the button.
    expect(email.right - email.left).toBeGreaterThanOrEqual(150);
  });

  it('at 1280 px shows the form in the sidebar without scrolling', async () => {
    const result = await probe('index-subscribe.html', 1280, 900, 'index-subscribe-1280', selectors);
    expectFits(result, 1280);
    expectOnScreen(result, 'email');
    expectFilled(result, expectOnScreen(result, 'button'));
  });

  it('has no form when no subscribe URL is configured', async () => {
    const result = await probe('index.html', 375, 667, 'index-no-subscribe-375', selectors);
    expect(result.elements.email).toBeUndefined();
    expect(result.elements.button).toBeUndefined();
  });
});
