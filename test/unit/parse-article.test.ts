import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleText } from '../../functions/core/article/article-text.js';
import {
  ArticleRejectedError,
  type ParseResult,
  parseArticle,
} from '../../functions/core/article/parse-article.js';
import type { Block, ParsedArticle } from '../../functions/core/model.js';

const ARTICLES = new URL('../../articles/', import.meta.url);
const FIXTURES = new URL('../fixtures/articles/', import.meta.url);
const NOW = new Date('2021-09-02T12:00:00.000Z');
const OPTIONS = { maxBytes: 1024 * 1024, now: NOW };

function seed(prefix: string): ParseResult {
  const file = readdirSync(ARTICLES).find((name) => name.startsWith(prefix));
  if (file === undefined) throw new Error(`no seed ${prefix}_*.txt in articles/`);
  return parseArticle(file, readFileSync(new URL(file, ARTICLES)), OPTIONS);
}

function fixture(name: string): ParseResult {
  return parseArticle(name, readFileSync(new URL(name, FIXTURES)), OPTIONS);
}

function parseText(text: string, source = 'test.txt'): ParseResult {
  return parseArticle(source, new TextEncoder().encode(text), OPTIONS);
}

function texts(blocks: readonly Block[], kind?: Block['kind']): string[] {
  return blocks.filter((block) => kind === undefined || block.kind === kind).map((block) => block.text);
}

function everyString(article: ParsedArticle): string[] {
  const cites = article.blocks.flatMap((block) => (block.kind === 'quote' && block.cite ? [block.cite] : []));
  return [
    article.title,
    article.standfirst ?? '',
    article.author ?? '',
    ...article.tags,
    ...texts(article.blocks),
    ...cites,
  ];
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** A derived title, without its "…", must start the text at a word start and end at a word end. */
function expectWholeWordsOf(title: string, text: string): void {
  const head = title.endsWith('…') ? title.slice(0, -1) : title;
  expect(head.length).toBeGreaterThan(0);
  const at = text.indexOf(head);
  expect(at).toBeGreaterThanOrEqual(0);
  if (at > 0) expect(text[at - 1]).toBe(' ');
  const after = text[at + head.length];
  if (after !== undefined) expect(WORD_CHAR.test(after)).toBe(false);
}

const SEEDS = ['000', '001', '002', '003', '004'];

describe('parseArticle on the seed articles', () => {
  it('000: dated, derived title cut at a word boundary, body in blank-line paragraphs', () => {
    const { article, warnings } = seed('000');
    expect(article.date).toBe('2021-08-23T00:00:00.000Z');
    expect(article.titleDerived).toBe(true);
    expect(article.title).toMatch(/^The Panjshir based anti-Taliban movement in Afghanistan has made gains/);
    expect(article.title.endsWith('…')).toBe(true);
    expect(article.standfirst).toBeUndefined();
    expect(texts(article.blocks, 'heading')).toEqual([]);
    expect(article.blocks).toHaveLength(12);
    expect(article.blocks[0]?.text).toMatch(/^The Panjshir based .* new government continue\.$/);
    expect(warnings).toEqual([]);
  });

  it('001: headline and standfirst lines, no date, one subheading, typographic quotes kept', () => {
    const { article } = seed('001');
    expect(article.title).toBe('Taliban resistance movement claims gains in two Afghanistan districts');
    expect(article.titleDerived).toBe(false);
    expect(article.date).toBeUndefined();
    expect(article.standfirst).toBe(
      'Fighters of the so-called “Resistance-2” against the group in northern Panjshir province say they have ' +
        'managed to retake Salah and Banu districts after killing “dozens” of Taliban insurgents.',
    );
    expect(texts(article.blocks, 'heading')).toEqual([
      'Calls for inclusive government to avoid repeat of past',
    ]);
    expect(article.blocks[0]?.text).toMatch(/^The Panjshir based anti-Taliban movement/);
    const body = texts(article.blocks).join('\n');
    expect(body).toContain('Taliban’s fierce "Red Unit"');
    expect(body).toContain('“The small point of Panjshir is remaining');
    expect(body).toContain('“peaceful solution”');
  });

  it('002: dated, derived title, the tweet embed becomes a cited quote without its link', () => {
    const { article } = seed('002');
    expect(article.date).toBe('2021-08-24T00:00:00.000Z');
    expect(article.titleDerived).toBe(true);
    expect(article.title).toMatch(/^Last week as the Taliban surrounded and eventually took over Kabul/);
    const quotes = article.blocks.filter((block) => block.kind === 'quote');
    expect(quotes).toEqual([
      {
        kind: 'quote',
        text:
          'The Taliban says its fighters have surrounded the resistance forces holed up in the valley, ' +
          'but are looking to negotiate rather than fight',
        cite: 'AFP News Agency (@AFP)',
      },
    ]);
    expect(JSON.stringify(article)).not.toContain('pic.twitter.com');
    expect(JSON.stringify(article)).not.toContain('August 24, 2021');
    expect(texts(article.blocks, 'heading')).toEqual([]);
  });

  it('003: dated, title derived past the "Kabul:" dateline, which the body keeps, two subheadings', () => {
    const { article } = seed('003');
    expect(article.date).toBe('2021-08-21T00:00:00.000Z');
    expect(article.titleDerived).toBe(true);
    expect(article.title).toMatch(/^As the Taliban seeks to intensify control over Afghanistan/);
    expect(article.blocks[0]?.text).toMatch(/^Kabul: As the Taliban seeks/);
    expect(article.blocks[0]?.text).toMatch(/are also being circulated on social media\.$/);
    expect(texts(article.blocks, 'heading')).toEqual([
      'Taliban Resistance Forming in Panjshir Valley',
      'Ahmad Massoud Seeks Arms From The US',
    ]);
    expect(article.blocks.at(-1)?.kind).toBe('paragraph');
  });

  it('004: date glued to the headline, standfirst without a full stop, one subheading', () => {
    const { article } = seed('004');
    expect(article.date).toBe('2021-09-01T00:00:00.000Z');
    expect(article.title).toBe('Taliban say it has surrounded Afghan resistance fighters, calls for peace');
    expect(article.titleDerived).toBe(false);
    expect(article.standfirst).toBe(
      'Panjshir has been the only province in Afghanistan to hold out against the group',
    );
    expect(texts(article.blocks, 'heading')).toEqual(['No reason to fight']);
    expect(article.blocks[0]?.text).toMatch(/^The Taliban has surrounded the only remaining province/);
  });

  it('drops READ MORE, Also Read, agency credits and photo captions from every seed', () => {
    for (const prefix of SEEDS) {
      const all = everyString(seed(prefix).article).join('\n');
      expect(all).not.toMatch(/read more/i);
      expect(all).not.toMatch(/also read/i);
      expect(all).not.toMatch(/with inputs from/i);
      expect(all).not.toContain('📸');
      expect(all).not.toContain('Afghan resistance and anti-Taliban forces guard an outpost');
      expect(all).not.toContain('Biden says still hoping');
    }
  });

  it('derives titles of at most 91 characters that end on a whole word of the first sentence', () => {
    for (const prefix of ['000', '002', '003']) {
      const { article } = seed(prefix);
      expect(article.title.length).toBeLessThanOrEqual(91);
      expect(article.title).not.toMatch(/\s…?$/);
      expectWholeWordsOf(article.title, article.blocks[0]!.text);
    }
  });

  it('gives the dedup text the written title and standfirst but not a derived title', () => {
    const written = seed('001').article;
    const lines = articleText(written).split('\n');
    expect(lines[0]).toBe(written.title);
    expect(lines[1]).toBe(written.standfirst);
    expect(lines.slice(2)).toEqual(texts(written.blocks));
    const derived = seed('000').article;
    expect(articleText(derived)).toBe(texts(derived.blocks).join('\n'));
  });

  it('gives the near-copies 000 and 001 mostly the same dedup text', () => {
    const shorter = new Set(articleText(seed('000').article).split('\n'));
    const longer = new Set(articleText(seed('001').article).split('\n'));
    const shared = [...shorter].filter((line) => longer.has(line));
    expect(shared.length / shorter.size).toBeGreaterThan(0.9);
  });
});

describe('parseArticle on plain-text layouts', () => {
  it('joins hard-wrapped lines and does not take a wrapped first line for a headline', () => {
    const { article } = parseText(
      'The Panjshir based anti-Taliban movement in Afghanistan has made gains in the\n' +
        'northern Baghlan province as talks continue.\n\nSecond paragraph here.\n',
    );
    expect(article.titleDerived).toBe(true);
    expect(texts(article.blocks)).toEqual([
      'The Panjshir based anti-Taliban movement in Afghanistan has made gains in the northern Baghlan province as talks continue.',
      'Second paragraph here.',
    ]);
  });

  it('finds a headline followed by a blank line, and one ending in a question mark', () => {
    const blank = parseText(
      'Banks reopen in Kabul\n\nBanks reopened on Saturday. Queues were long.\n\nCustomers waited.',
    );
    expect([blank.article.title, blank.article.titleDerived, blank.article.standfirst]).toEqual([
      'Banks reopen in Kabul',
      false,
      undefined,
    ]);
    expect(
      parseText('Will the banks reopen?\nBanks reopened on Saturday. Queues were long.\nThey waited.').article
        .title,
    ).toBe('Will the banks reopen?');
  });
});

describe('parseArticle on Markdown with front matter', () => {
  it('reads every front matter key and the Markdown body as blocks of text and sanitised HTML', () => {
    const { article, warnings } = fixture('front-matter.txt');
    expect(warnings).toEqual([]);
    expect(article).toEqual({
      source: 'front-matter.txt',
      title: 'Kabul banks reopen with long queues',
      titleDerived: false,
      standfirst: 'Banks in Kabul reopened on Saturday for the first time since the takeover.',
      author: 'Jane Doe',
      tags: ['Afghanistan', 'economy'],
      link: 'https://news.example.org/2021/08/28/kabul-banks',
      date: '2021-08-28T00:00:00.000Z',
      image: { src: 'https://example.org/queue.jpg', alt: 'A queue outside a bank', fromFrontMatter: false },
      blocks: [
        {
          kind: 'paragraph',
          text: 'Banks in Kabul reopened on Saturday, with long queues outside branches across the city.',
          html: '<p>Banks in <strong>Kabul</strong> reopened on Saturday, with <a href="https://example.org/queues" title="Queues" rel="noopener">long queues</a> outside\nbranches across the city.</p>',
        },
        { kind: 'heading', text: 'Withdrawals capped', html: '<h2>Withdrawals capped</h2>' },
        {
          kind: 'paragraph',
          text: 'Customers said withdrawals were capped at 200 dollars a week, and ATMs stayed empty.',
          html: '<p>Customers said withdrawals were capped at <em>200 dollars</em> a week, and <code>ATMs</code> stayed empty.</p>',
        },
        {
          kind: 'quote',
          text: 'We waited for six hours and got nothing.',
          cite: 'A customer in Shar-e-Naw',
          html: '<blockquote>\n<p>We waited for six hours and got nothing.</p>\n<footer>— A customer in Shar-e-Naw</footer></blockquote>',
        },
        {
          kind: 'rich',
          text: '',
          html: '<p><img src="https://example.org/queue.jpg" alt="A queue outside a bank" /></p>',
        },
        {
          kind: 'paragraph',
          text: 'The central bank said more branches would open next week.',
          html: '<p>The central bank said more branches would open next week.</p>',
        },
      ],
    });
  });

  it('takes a leading # heading as the title, comma-separated tags, a date-time with offset and author.name', () => {
    const { article } = fixture('front-matter-heading-title.txt');
    expect(article.title).toBe('Airlift enters its final days');
    expect(article.titleDerived).toBe(false);
    expect(article.tags).toEqual(['Kabul', 'airlift', 'evacuation']);
    expect(article.date).toBe('2021-08-29T12:30:00.000Z');
    expect(article.author).toBe('Wire Desk');
    expect(texts(article.blocks)).toEqual([
      'The last evacuation flights left Kabul airport on Monday.',
      'Officials said about 120,000 people had been flown out since August 14.',
    ]);
  });

  it('derives the title when there is none and warns about an unusable date and link', () => {
    const { article, warnings } = fixture('front-matter-derived-title.txt');
    expect(article.titleDerived).toBe(true);
    expectWholeWordsOf(article.title, article.blocks[0]!.text);
    expect(article.date).toBeUndefined();
    expect(article.link).toBeUndefined();
    expect(warnings.map((w) => w.code).sort()).toEqual(['invalid-date', 'invalid-link']);
    for (const warning of warnings) expect(warning.message).toMatch(/^front-matter-derived-title\.txt: /);
  });

  it('rejects unreadable YAML with the parser reason and the file line', () => {
    expect(() => fixture('bad-yaml.txt')).toThrow(
      /^bad-yaml\.txt: bad front matter: .*\(line 2, column \d+ of the file\)$/,
    );
    expect(() => fixture('unclosed-front-matter.txt')).toThrow(/never closed/);
  });

  it('reads a .md file without front matter as Markdown', () => {
    const { article } = parseText(
      '# A title\n\nSome *text* and [a link](https://x.org).\n\n- one item\n',
      'note.md',
    );
    expect(article.title).toBe('A title');
    expect(texts(article.blocks)).toEqual(['Some text and a link.', 'one item']);
  });
});

const CONTROL = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

/** Pieces that exercise every cleaning rule, shuffled into arbitrary strings. */
const hostilePiece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    ' date 2021-08-23 ',
    ' date 2021-02-30 ',
    '---\n',
    'title: x\n',
    '\n',
    '\n\n',
    '\r\n',
    '\t',
    '\u0001',
    '\u0085',
    '\uFEFF',
    '<script>',
    '</script>',
    '<scr',
    'ipt>',
    '<<b>script',
    '<style>x</style>',
    '<p>',
    '<!--',
    '-->',
    '&lt;script&gt;',
    '&#1;',
    '&#x301;',
    '&#150;',
    '&amp;',
    ']]>',
    'e\u0301',
    '“quoted”',
    '—',
    'READ MORE: x',
    'Also Read - y',
    '(with inputs from agencies)',
    '📸 caption',
    'pic.twitter.com/abc',
    ' — AFP News Agency (@AFP) August 24, 2021',
    'Kabul: ',
    'Short heading',
    'A sentence that ends here. ',
    'U.S. ',
    '# ',
    '> ',
    '**',
    '[a](b)',
  ),
);

describe('parseArticle on arbitrary input', () => {
  const check = (bytes: Uint8Array) => {
    let result: ParseResult;
    try {
      result = parseArticle('prop.txt', bytes, OPTIONS);
    } catch (error) {
      expect(error).toBeInstanceOf(ArticleRejectedError);
      expect((error as ArticleRejectedError).message.startsWith('prop.txt: ')).toBe(true);
      return;
    }
    const strings = everyString(result.article);
    expect(result.article.title).not.toBe('');
    for (const text of strings) {
      expect(text).not.toMatch(CONTROL);
      expect(text).not.toMatch(/<script/i);
      expect(text).toBe(text.normalize('NFC'));
      expect(text).toBe(text.trim());
    }
    for (const block of result.article.blocks) expect(block.text).not.toBe('');
  };

  it('rejects or returns clean NFC plain text, for any string', () => {
    fc.assert(
      fc.property(fc.array(hostilePiece, { maxLength: 30 }), (pieces) => {
        check(new TextEncoder().encode(pieces.join('')));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a literal < that inline HTML left before "script" out of the plain text (found by the property above)', () => {
    const { article } = parseArticle('lt.md', new TextEncoder().encode('---\n---\n<<b>script'), OPTIONS);
    for (const text of everyString(article)) expect(text).not.toMatch(/<script/i);
  });

  it('rejects or returns clean NFC plain text, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => check(bytes)),
      { numRuns: 1000 },
    );
  });

  it('never ends a derived title inside a word', () => {
    const letters = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéüßçあ'.split(''));
    const word = fc.string({ unit: letters, minLength: 1, maxLength: 25 });
    const separator = fc.constantFrom(' ', ' ', ' ', ', ', ' – ', '-', '’', ' “');
    const sentence = fc
      .array(fc.tuple(word, separator), { minLength: 1, maxLength: 40 })
      .map((parts) => `${parts.map(([w, s]) => w + s).join('')}end`);
    fc.assert(
      fc.property(sentence, fc.boolean(), (text, capital) => {
        const first = capital ? text[0]!.toUpperCase() + text.slice(1) : text;
        const { article } = parseText(`${first}. Second sentence here.\n\nAnother paragraph.`);
        expect(article.titleDerived).toBe(true);
        expect(article.title.length).toBeLessThanOrEqual(91);
        expectWholeWordsOf(article.title, article.blocks[0]!.text);
        const head = article.title.replace(/…$/, '');
        expect(article.blocks[0]!.text.slice(0, article.blocks[0]!.text.indexOf('. Second'))).toContain(head);
      }),
      { numRuns: 1000 },
    );
  });
});
