import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Edition, Story } from '../../functions/core/model.js';
import {
  DigestRenderer,
  digestSubject,
  EmptyEditionError,
  MAX_SUBJECT_LENGTH,
  truncateAtWord,
} from '../../functions/core/render/digest.js';
import { buildTemplates } from '../../functions/core/render/mjml.js';
import { TemplateError } from '../../functions/core/render/templates.js';
import { makeConfig, makeStories, makeStory } from '../fixtures/stories.js';
import { loadBuiltTemplates, loadTemplates } from '../helpers/templates.js';

// 20: the size check below holds for more stories than the default (10) lists.
const config = makeConfig({ copyright: '© 2021 Test Wire', digest: { maxStories: 20 } });
const templates = await loadBuiltTemplates();
const PLACEHOLDER = '{{unsubscribe_url}}';
const links = {
  viewInBrowserUrl: 'https://news.example.org/digests/2021-09-01.html',
  unsubscribeUrl: PLACEHOLDER,
};
const HOSTILE = '<script>alert(1)</script>';

function edition(stories: Story[]): Edition {
  return { id: '2021-09-01', date: stories[0]?.date ?? '2021-09-01T00:00:00.000Z', stories };
}

const HANDLEBARS_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** What `{{value}}` turns text into, to find it in the HTML part. */
function escapeForHandlebars(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => HANDLEBARS_ESCAPES[c] ?? c);
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** Realistic worst case: every story at the longest title and summary an editor is likely to write. */
function longStories(n: number): Story[] {
  const sentence =
    'Fighters of the self-styled “Resistance-2” against the Taliban in Panjshir said they managed to retake Salah and Banu districts in Baghlan after killing dozens of fighters. ';
  return makeStories(n).map((story, i) => ({
    ...story,
    title: `Story number ${i}: talks to form a new government continue as the resistance claims gains in the north of the country`,
    summary: sentence.repeat(20),
  }));
}

let digest: DigestRenderer;
beforeAll(async () => {
  digest = DigestRenderer.create(templates, config);
});

describe('DigestRenderer HTML part', () => {
  it(`stays under 100 KB with digest.maxStories (${config.digest.maxStories}) long stories`, () => {
    const stories = longStories(config.digest.maxStories);
    const { html } = digest.render(edition(stories), links);
    const bytes = Buffer.byteLength(html, 'utf8');
    console.log(
      `digest HTML with ${stories.length} long stories: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`,
    );
    expect(bytes).toBeLessThan(100 * 1024);
    for (const story of stories) expect(html).toContain(escapeForHandlebars(story.title));
  });

  it('is a responsive MJML email with the preheader, lang and no external fonts', () => {
    const stories = makeStories(3);
    const parts = digest.render(edition(stories), links);
    expect(parts.html.startsWith('<!doctype html>')).toBe(true);
    expect(parts.html).toContain('<html lang="en"');
    expect(parts.html).toMatch(/class="mj-column-per-100 mj-outlook-group-fix"/);
    expect(parts.html).toContain('@media only screen and (min-width:480px)');
    expect(parts.html).toContain(`<title>${escapeForHandlebars(parts.subject)}</title>`);
    expect(parts.html).toMatch(
      new RegExp(
        `<div style="display:none;[^"]*">${escapeForHandlebars(parts.preheader).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</div>`,
      ),
    );
    expect(parts.html).not.toMatch(/fonts\.googleapis|@import|<link[^>]+stylesheet/);
    expect(parts.html.replaceAll(PLACEHOLDER, '')).not.toContain('{{');
  });

  it('links every story to its page on the site, with its date and summary', () => {
    const stories = makeStories(3);
    const { html } = digest.render(edition(stories), links);
    for (const story of stories) {
      const url = `https://news.example.org/articles/${story.slug}.html`;
      expect(occurrences(html, `href="${url}"`)).toBe(2);
      expect(html).toContain(escapeForHandlebars(story.title));
    }
    expect(html).toContain('1 September 2021');
    expect(html).toContain('30 August 2021');
    expect(html).toContain(escapeForHandlebars(stories[0]?.summary ?? '?'));
    expect(html).toContain(`href="${links.viewInBrowserUrl}"`);
    expect(html).toContain('View in browser');
  });

  it('shows hostile titles and summaries as text', () => {
    const stories = [
      makeStory({ title: HOSTILE, summary: '<img src=x onerror=alert(1)>' }),
      ...makeStories(2),
    ];
    const { html } = digest.render(edition(stories), links);
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('keeps the unsubscribe placeholder intact so it can be replaced per subscriber', () => {
    const { html, text } = digest.render(edition(makeStories(2)), links);
    expect(html).toContain(`href="${PLACEHOLDER}"`);
    expect(text).toContain(`Unsubscribe: ${PLACEHOLDER}`);
    const personal = 'https://news.example.org/unsubscribe?token=abc';
    const replaced = html.replaceAll(PLACEHOLDER, personal);
    expect(replaced).toContain(`href="${personal}"`);
    expect(replaced).not.toContain('unsubscribe_url');
  });

  it('escapes a real per-subscriber unsubscribe URL as an attribute', () => {
    const { html, text } = digest.render(edition(makeStories(1)), {
      ...links,
      unsubscribeUrl: 'https://news.example.org/u?id=1&t="x"',
    });
    expect(html).toContain('href="https://news.example.org/u?id&#x3D;1&amp;t&#x3D;&quot;x&quot;"');
    expect(text).toContain('Unsubscribe: https://news.example.org/u?id=1&t="x"');
  });

  it('renders the same bytes for the same edition', async () => {
    const stories = makeStories(5);
    const first = digest.render(edition(stories), links);
    const again = DigestRenderer.create(templates, config);
    expect(again.render(edition(stories), links)).toEqual(first);
  });
});

describe('DigestRenderer text part', () => {
  it('carries every title, story URL, the view-in-browser URL and the unsubscribe URL as plain text', () => {
    const stories = [makeStory({ title: 'Tom & Jerry <3 "quotes"' }), ...longStories(19)];
    const { text, html } = digest.render(edition(stories), links);
    for (const story of stories) {
      expect(text.replace(/\n/g, ' ')).toContain(story.title);
      // The story's URL after its title, as "Title <https://…>"; a long title wraps before the URL.
      const url = `https://news.example.org/articles/${story.slug}.html`;
      expect(text.replace(/\n/g, ' ')).toContain(`${story.title} <${url}>`);
    }
    // Every link of the HTML part keeps its URL in the plain-text part.
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs.length).toBeGreaterThan(stories.length * 2);
    for (const href of new Set(hrefs)) expect(text, href).toContain(href);
    expect(html).toContain('Tom &amp; Jerry &lt;3 &quot;quotes&quot;');
    expect(text).toContain(`View in your browser: ${links.viewInBrowserUrl}`);
    expect(text).toMatch(/^Test Wire\n23 August 2021 · 20 stories\n/);
    expect(text).toContain('© 2021 Test Wire');
    expect(text).not.toMatch(/&(amp|lt|gt|quot|#x?[0-9a-f]+);/i);
  });

  it('wraps prose at 72 columns but never breaks a URL', () => {
    const { text } = digest.render(edition(longStories(3)), links);
    for (const line of text.split('\n')) {
      if (!/https?:\/\//.test(line)) expect(line.length, line).toBeLessThanOrEqual(72);
    }
    expect(text).not.toMatch(/\n{3,}/);
  });
});

describe('subject and preheader', () => {
  it('is the prefix and the first title, then how many more', () => {
    const stories = makeStories(20);
    expect(digest.render(edition(stories), links).subject).toBe(`Test Wire: ${stories[0]?.title} (+19 more)`);
    expect(digest.render(edition(stories.slice(0, 1)), links).subject).toBe(
      `Test Wire: ${stories[0]?.title}`,
    );
  });

  it('uses the configured prefix', async () => {
    const custom = DigestRenderer.create(
      templates,
      makeConfig({ digest: { subjectPrefix: 'Morning Wire' } }),
    );
    expect(custom.render(edition(makeStories(2)), links).subject.startsWith('Morning Wire: ')).toBe(true);
  });

  it('never contains CR or LF, stays within the limit and cuts between words', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 200 });
    const withBreaks = fc
      .array(fc.oneof(text, fc.constantFrom('\r\n', '\n', '\r', '\u2028', '\t', 'Bcc: x@example.org')), {
        maxLength: 6,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(withBreaks, fc.array(withBreaks, { minLength: 1, maxLength: 30 }), (prefix, titles) => {
        const subject = digestSubject(
          prefix,
          titles.map((title) => ({ title })),
        );
        expect(subject).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(Array.from(subject).length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
        if (titles.length > 1) expect(subject.endsWith(` (+${titles.length - 1} more)`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts a long first title at a word boundary with an ellipsis, keeping the count', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
    const title = words.join(' ');
    const subject = digestSubject('Test Wire', [{ title }, { title: 'b' }, { title: 'c' }]);
    expect(subject.endsWith('… (+2 more)')).toBe(true);
    expect(Array.from(subject).length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(Array.from(subject).length).toBeGreaterThan(MAX_SUBJECT_LENGTH - 12);
    const kept = subject.slice('Test Wire: '.length, subject.indexOf('…'));
    expect(title.startsWith(kept)).toBe(true);
    expect(title[kept.length]).toBe(' ');
  });

  it('a title with line breaks becomes one line', () => {
    const stories = [makeStory({ title: 'Breaking\r\nBcc: everyone@example.org\n\nnews' })];
    const { subject } = digest.render(edition(stories), links);
    expect(subject).toBe('Test Wire: Breaking Bcc: everyone@example.org news');
  });

  it('the preheader names the stories after the first and fits the preview', () => {
    const stories = makeStories(4);
    const { preheader, html } = digest.render(edition(stories), links);
    expect(preheader).toBe(`Also: ${stories[1]?.title} · ${stories[2]?.title} · ${stories[3]?.title}`);
    expect(html).toContain(preheader);
    const many = digest.render(edition(longStories(20)), links).preheader;
    expect(Array.from(many).length).toBeLessThanOrEqual(140);
    expect(many.endsWith('…')).toBe(true);
  });

  it('a single-story edition previews its summary', () => {
    const story = makeStory();
    expect(digest.render(edition([story]), links).preheader).toBe(story.summary);
  });
});

describe('truncateAtWord', () => {
  it('never splits a character made of two code units', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.integer({ min: 1, max: 40 }),
        (text, max) => {
          const cut = truncateAtWord(text, max);
          expect(Array.from(cut).length).toBeLessThanOrEqual(max);
          expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
          if (Array.from(text).length <= max) expect(cut).toBe(text);
        },
      ),
    );
  });
});

describe('errors', () => {
  it('refuses an edition without stories', () => {
    expect(() => digest.render(edition([]), links)).toThrow(EmptyEditionError);
  });

  it('names digest.mjml when MJML strict validation fails', async () => {
    const sources = loadTemplates();
    const invalid = sources.digestMjml.replace(
      '<mj-section padding="16px 0 10px">',
      '<mj-section padding="16px 0 10px" colour="red">',
    );
    expect(invalid).not.toBe(sources.digestMjml);
    const failure = buildTemplates({ ...sources, digestMjml: invalid });
    await expect(failure).rejects.toBeInstanceOf(TemplateError);
    await expect(failure).rejects.toThrow(/digest\.mjml.*colour/s);
  });

  it('names digest.txt.hbs when the text template does not parse', async () => {
    expect(() => DigestRenderer.create({ ...templates, digestText: '{{#each stories}}' }, config)).toThrow(
      expect.objectContaining({ name: 'TemplateError', template: 'digest.txt.hbs' }),
    );
  });
});
