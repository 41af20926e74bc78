import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Story } from '../../functions/core/model.js';
import { SiteRenderError, SiteRenderer } from '../../functions/core/render/site.js';
import { formatDisplayDate, TemplateError } from '../../functions/core/render/templates.js';
import { makeConfig, makeStories, makeStory } from '../fixtures/stories.js';
import { loadTemplates } from '../helpers/templates.js';

const config = makeConfig();
const templates = loadTemplates();
const site = SiteRenderer.create(templates, config);

const HOSTILE = '<script>alert(1)</script>';

/** Decodes the entities Handlebars and escapeHtml produce, to compare rendered text with its source. */
function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (_, entity: string) => {
    if (entity[0] === '#') {
      const hex = entity[1] === 'x' || entity[1] === 'X';
      return String.fromCodePoint(Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"' }[entity.toLowerCase()] ?? '';
  });
}

/** A page without its JSON-LD element, which must be the only <script> and hold no markup. */
function withoutJsonLd(html: string): string {
  return html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '');
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/\shref="([^"]*)"/g)].map((match) => decodeEntities(match[1] ?? ''));
}

function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  expect(from, `${start} not found`).toBeGreaterThanOrEqual(0);
  return html.slice(from + start.length, html.indexOf(end, from + start.length));
}

function monthsOf(stories: readonly Story[]): { month: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const story of stories)
    counts.set(story.date.slice(0, 7), (counts.get(story.date.slice(0, 7)) ?? 0) + 1);
  return [...counts].map(([month, count]) => ({ month, count }));
}

/** Renders a whole small site, keyed by path, as the publisher would write it. */
function renderSite(stories: Story[]): Map<string, string> {
  const months = monthsOf(stories);
  const pages = new Map<string, string>();
  pages.set(
    'index.html',
    site.renderIndex({
      stories,
      months,
      latestDigest: { path: 'digests/2021-09-01.html', subject: 'Digest' },
    }),
  );
  for (const story of stories) pages.set(`articles/${story.slug}.html`, site.renderArticle(story));
  for (const { month } of months) pages.set(`archive/${month}.html`, site.renderArchiveMonth(month, stories));
  return pages;
}

describe('SiteRenderer pages', () => {
  const story = makeStory({ link: 'https://example.org/original', tags: ['Afghanistan'] });
  const pages = [
    ['index', site.renderIndex({ stories: [story], months: [{ month: '2021-08', count: 1 }] })],
    ['article', site.renderArticle(story)],
    ['archive', site.renderArchiveMonth('2021-08', [story])],
  ] as const;

  it.each(pages)('%s is an HTML5 document with charset, viewport, lang and a canonical link', (_, html) => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<link rel="canonical" href="https:\/\/news\.example\.org\/[^"]*">/);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it.each(pages)('%s loads nothing from elsewhere: no scripts, external stylesheets or fonts', (_, page) => {
    // JSON-LD is data, never run; its JSON holds no "<", so it cannot close its element early.
    const html = withoutJsonLd(page);
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|@import|@font-face|<iframe/i);
    expect(html).toContain('<style>');
  });

  it.each(pages)('%s advertises the three feeds with absolute URLs', (_, html) => {
    expect(html).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Test Wire (RSS)" href="https://news.example.org/feed.xml">',
    );
    expect(html).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Test Wire (Atom)" href="https://news.example.org/atom.xml">',
    );
    expect(html).toContain(
      '<link rel="alternate" type="application/feed+json" title="Test Wire (JSON Feed)" href="https://news.example.org/feed.json">',
    );
  });

  it('takes lang from the config', () => {
    const german = SiteRenderer.create(templates, makeConfig({ language: 'de-CH' }));
    expect(german.renderArticle(story)).toContain('<html lang="de-CH">');
  });

  it('renders the same bytes every time, whatever the input order', () => {
    const stories = makeStories(12);
    const months = monthsOf(stories);
    const first = site.renderIndex({ stories, months });
    expect(site.renderIndex({ stories: [...stories].reverse(), months: [...months].reverse() })).toBe(first);
    expect(SiteRenderer.create(templates, config).renderIndex({ stories, months })).toBe(first);
    expect(site.renderArchiveMonth('2021-08', [...stories].reverse())).toBe(
      site.renderArchiveMonth('2021-08', stories),
    );
  });
});

describe('links between pages', () => {
  const stories = makeStories(40);
  const pages = renderSite(stories);
  const published = new Set([
    ...pages.keys(),
    'feed.xml',
    'atom.xml',
    'feed.json',
    'digests/2021-09-01.html',
  ]);

  it('every link is relative and lands on a published file, from file:// as from any base path', () => {
    let checked = 0;
    for (const [path, html] of pages) {
      const relative = hrefs(html).filter((href) => !href.startsWith('https://news.example.org/'));
      for (const href of relative) {
        expect(href, `${path}: ${href}`).not.toMatch(/^(\/|[a-z]+:)/i);
        for (const base of ['file:///srv/site/', 'https://cdn.example.com/some/base/']) {
          const target = new URL(href, new URL(path, base));
          const sitePath = decodeURIComponent(target.pathname.slice(new URL(base).pathname.length));
          expect(published.has(sitePath), `${path} links to ${href}, which resolves to ${sitePath}`).toBe(
            true,
          );
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(pages.size * 5);
  });

  it('the home page links to every story, every month and the latest digest', () => {
    const links = new Set(hrefs(pages.get('index.html') ?? ''));
    for (const story of stories) expect(links.has(`articles/${story.slug}.html`)).toBe(true);
    for (const { month } of monthsOf(stories)) expect(links.has(`archive/${month}.html`)).toBe(true);
    expect(links.has('digests/2021-09-01.html')).toBe(true);
    for (const feed of ['feed.xml', 'atom.xml', 'feed.json']) expect(links.has(feed)).toBe(true);
  });

  it('article and archive pages link back up to the home page and the feeds', () => {
    for (const path of [`articles/${stories[0]?.slug}.html`, 'archive/2021-08.html']) {
      const links = hrefs(pages.get(path) ?? '');
      expect(links).toContain('../index.html');
      expect(links).toContain('../feed.xml');
    }
  });

  it('drops a leading slash from the latest digest path and refuses other schemes', () => {
    const html = site.renderIndex({
      stories,
      months: [],
      latestDigest: { path: '/digests/x.html', subject: 'X' },
    });
    expect(hrefs(html)).toContain('digests/x.html');
    expect(() =>
      site.renderIndex({ stories, months: [], latestDigest: { path: 'javascript:alert(1)', subject: 'X' } }),
    ).toThrow(SiteRenderError);
  });
});

describe('escaping', () => {
  const hostile = makeStory({
    title: `${HOSTILE} & "quoted" 'single'`,
    summary: `<img src=x onerror=alert(1)> summary`,
    author: '<b>Mallory</b>',
    tags: ['<i>tag</i>'],
    blocks: [
      { kind: 'paragraph', text: '<iframe src="https://evil.example"></iframe>' },
      { kind: 'quote', text: '</blockquote><script>x()</script>', cite: '<u>who</u>' },
    ],
  });

  it.each([
    ['article', site.renderArticle(hostile)],
    ['index', site.renderIndex({ stories: [hostile], months: [] })],
    ['archive', site.renderArchiveMonth('2021-08', [hostile])],
  ])('%s shows hostile titles, bodies and authors as text', (_, page) => {
    const html = withoutJsonLd(page);
    expect(html).not.toMatch(/<script|<img|<iframe|<b>|<i>|<u>|onerror=alert\(1\)>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; summary');
  });

  it('the article body is escaped once, not twice', () => {
    const html = site.renderArticle(hostile);
    // Plain text stays text; only its bare URL becomes a link.
    expect(html).toContain(
      '<p>&lt;iframe src=&quot;<a href="https://evil.example" rel="noopener">https://evil.example</a>&quot;&gt;&lt;/iframe&gt;</p>',
    );
    expect(html).not.toContain('&amp;lt;');
  });

  it('any title round-trips through the article heading as text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }), (title) => {
        const html = site.renderArticle(makeStory({ title }));
        expect(decodeEntities(between(html, '<h1>', '</h1>'))).toBe(title);
        expect(decodeEntities(between(html, '<title>', '</title>'))).toBe(`${title} — ${config.title}`);
      }),
      { numRuns: 200 },
    );
  });

  it('links to the original only when it is an http(s) URL', () => {
    const safe = site.renderArticle(makeStory({ link: 'https://example.org/a?b=1&c=2' }));
    expect(hrefs(safe)).toContain('https://example.org/a?b=1&c=2');
    expect(safe).toContain('Read the original article');
    const unsafe = site.renderArticle(makeStory({ link: 'javascript:alert(1)' }));
    expect(unsafe).not.toContain('javascript:');
    expect(unsafe).not.toContain('Read the original article');
  });
});

describe('article page', () => {
  it('shows the date, summary, body, member count and original link', () => {
    const story = makeStory({ link: 'https://example.org/original' });
    const html = site.renderArticle(story);
    expect(html).toContain('<time datetime="2021-08-23T00:00:00.000Z">23 August 2021</time>');
    expect(html).toContain(`<p class="standfirst">${story.summary}</p>`);
    expect(html).toContain('<h2>Calls for inclusive government</h2>');
    expect(html).toContain('<footer>— Abdullah Abdullah (@DrabdullahCE)</footer>');
    expect(html).toContain('Also published as 1 other version.');
    expect(html).toContain('<link rel="canonical" href="https://news.example.org/articles/');
  });

  it('leaves out the member count for a story published once and the update date when unchanged', () => {
    const html = site.renderArticle(makeStory({ members: ['only.txt'] }));
    expect(html).not.toContain('Also published as');
    expect(html).not.toContain('Updated');
    const updated = site.renderArticle(makeStory({ updated: '2021-08-25T10:00:00.000Z' }));
    expect(updated).toContain('Updated <time datetime="2021-08-25T10:00:00.000Z">25 August 2021</time>');
  });

  it('does not repeat a summary that is only the opening of the body', () => {
    const story = makeStory();
    const opening = story.blocks[0]?.kind === 'paragraph' ? story.blocks[0].text : '';
    const html = site.renderArticle({ ...story, summary: `${opening.slice(0, 40)}…` });
    expect(html).not.toContain('class="standfirst"');
  });
});

describe('home and archive pages', () => {
  it('lists stories newest first and months newest first, with counts', () => {
    const stories = makeStories(40);
    const html = site.renderIndex({ stories: [...stories].reverse(), months: monthsOf(stories) });
    const positions = stories.map((story) => html.indexOf(`href="articles/${story.slug}.html"`));
    expect(positions.every((position, i) => position > (positions[i - 1] ?? -1))).toBe(true);
    const august = html.indexOf('href="archive/2021-08.html"');
    const september = html.indexOf('href="archive/2021-09.html"');
    expect(september).toBeGreaterThan(0);
    expect(august).toBeGreaterThan(september);
    expect(html).toContain(
      '<a href="archive/2021-08.html">August 2021</a><span class="count">31 stories</span>',
    );
    expect(html).toContain(
      '<a href="archive/2021-09.html">September 2021</a><span class="count">1 story</span>',
    );
  });

  it('has a subscribe form posting to the configured API, and none without one', () => {
    const withApi = SiteRenderer.create(templates, makeConfig({ subscribeUrl: '/api/subscribe' }));
    const html = withApi.renderIndex({ stories: [], months: [] });
    const form = between(html, '<section id="subscribe"', '</section>');
    expect(form).toMatch(/<form method="post" action="\/api\/subscribe" data-subscribe-form>/);
    expect(form).toContain('<input id="subscribe-email" type="email" name="email"');
    expect(html).toContain('No stories yet.');
    const without = site.renderIndex({ stories: [], months: [] });
    expect(without).not.toContain('<form');
    expect(without).not.toContain('id="subscribe"');
  });

  it('rejects a subscribe URL that is neither http(s) nor a site path', () => {
    expect(() => makeConfig({ subscribeUrl: 'javascript:alert(1)' })).toThrow(/subscribeUrl/);
    expect(() => makeConfig({ subscribeUrl: '//evil.example/api' })).toThrow(/subscribeUrl/);
    expect(makeConfig({ subscribeUrl: 'https://news.example.org/api/subscribe' }).subscribeUrl).toBe(
      'https://news.example.org/api/subscribe',
    );
  });

  it('an archive page keeps only its month, newest first', () => {
    const stories = makeStories(40);
    const html = site.renderArchiveMonth('2021-08', stories);
    const inAugust = stories.filter((story) => story.date.startsWith('2021-08'));
    expect(inAugust).toHaveLength(31);
    for (const story of stories) {
      expect(html.includes(`../articles/${story.slug}.html`)).toBe(story.date.startsWith('2021-08'));
    }
    expect(html).toContain('<h1 id="month-title">August 2021</h1>');
    expect(html).toContain('31 stories');
    const first = html.indexOf(inAugust[0]?.slug ?? '?');
    const last = html.indexOf(inAugust[30]?.slug ?? '?');
    expect(first).toBeLessThan(last);
  });

  it.each(['2021-13', '2021-8', 'august', '../x'])('refuses the malformed month %s', (month) => {
    expect(() => site.renderArchiveMonth(month, [])).toThrow(SiteRenderError);
    expect(() => site.renderIndex({ stories: [], months: [{ month, count: 1 }] })).toThrow(SiteRenderError);
  });
});

describe('dates', () => {
  const MONTHS =
    'January February March April May June July August September October November December'.split(' ');

  it('are "day month year" in UTC, the same on every machine', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const shown = formatDisplayDate(date.toISOString());
          const [day, month, year] = shown.split(' ');
          expect(Number(day)).toBe(date.getUTCDate());
          expect(MONTHS.indexOf(month ?? '')).toBe(date.getUTCMonth());
          expect(Number(year)).toBe(date.getUTCFullYear());
        },
      ),
    );
  });

  it('late evening with an offset is shown as the UTC day', () => {
    expect(formatDisplayDate('2021-08-31T23:30:00-02:00')).toBe('1 September 2021');
    expect(formatDisplayDate('not a date')).toBe('not a date');
  });
});

describe('templates', () => {
  it('a template that does not parse is reported by file name', () => {
    expect(() => SiteRenderer.create({ ...templates, article: '{{#if story}}' }, config)).toThrow(
      expect.objectContaining({ name: 'TemplateError', template: 'article.hbs' }),
    );
  });

  it('a misspelt field fails the render instead of publishing an empty value', () => {
    const broken = SiteRenderer.create({ ...templates, archive: '<h1>{{monthLabell}}</h1>' }, config);
    expect(() => broken.renderArchiveMonth('2021-08', [])).toThrow(TemplateError);
    expect(() => broken.renderArchiveMonth('2021-08', [])).toThrow(/archive\.hbs/);
  });

  it('without a layout each page template is the whole document', () => {
    const bare = SiteRenderer.create({ ...templates, layout: undefined }, config);
    const html = bare.renderArticle(makeStory());
    expect(html.startsWith('<article class="article">')).toBe(true);
    expect(html).not.toContain('<!doctype html>');
  });
});
