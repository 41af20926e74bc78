import { describe, expect, it } from 'vitest';
import { ArticleRejectedError, parseArticle } from '../../functions/core/article/parse-article.js';
import type { Diagnostic } from '../../functions/core/model.js';

const MIB = 1024 * 1024;
const NOW = new Date('2021-09-02T12:00:00.000Z');
const OPTIONS = { maxBytes: MIB, now: NOW };
const encode = (text: string) => new TextEncoder().encode(text);

/** The rejection parseArticle throws for these bytes (fails the test when it does not throw one). */
function rejection(source: string, bytes: Uint8Array, maxBytes = MIB): ArticleRejectedError {
  try {
    parseArticle(source, bytes, { maxBytes, now: NOW });
  } catch (error) {
    expect(error).toBeInstanceOf(ArticleRejectedError);
    return error as ArticleRejectedError;
  }
  throw new Error(`${source} was not rejected`);
}

function warningsFor(source: string, text: string): Diagnostic[] {
  return parseArticle(source, encode(text), OPTIONS).warnings;
}

describe('rejected files', () => {
  it('empty: no bytes, or only whitespace and a byte-order mark', () => {
    expect(rejection('a.txt', new Uint8Array()).message).toBe('a.txt: file is empty');
    const blank = rejection('b.txt', new Uint8Array([0xef, 0xbb, 0xbf, 0x20, 0x0a, 0x09, 0x0d, 0x0a]));
    expect([blank.code, blank.message]).toEqual(['empty', 'b.txt: file is empty (only whitespace)']);
  });

  it('too-large: checked before decoding, with both sizes in the message', () => {
    const big = new Uint8Array(Math.round(2.1 * MIB)).fill(0xff);
    const error = rejection('huge.txt', big);
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('huge.txt: file is 2.1 MiB, over the 1 MiB limit (maxArticleBytes)');
    const justOver = rejection('edge.txt', new Uint8Array(2049).fill(0x61), 2048);
    expect(justOver.message).toBe('edge.txt: file is 2049 bytes, over the 2048-byte limit (maxArticleBytes)');
    const fits = parseArticle('fits.txt', new Uint8Array(2048).fill(0x61), { maxBytes: 2048, now: NOW });
    expect(fits.article.blocks[0]?.text).toBe('a'.repeat(2048));
  });

  it('binary: a NUL byte, even in otherwise valid text', () => {
    const png = rejection(
      'image.png.txt',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0]),
    );
    expect(png.code).toBe('binary');
    expect(png.message).toBe('image.png.txt: file looks binary (NUL byte at byte 4), not text');
    expect(rejection('nul.txt', encode('Some text\u0000 here.')).code).toBe('binary');
  });

  it('binary: more than a tenth control characters', () => {
    const error = rejection('noise.txt', encode(`Real words here ${'\u0001\u0002'.repeat(10)}`));
    expect(error.code).toBe('binary');
    expect(error.message).toMatch(/^noise\.txt: file looks binary \(\d+% control characters\), not text$/);
    // A few stray controls in a long text are cleaned, not rejected.
    expect(
      parseArticle('some.txt', encode(`A sentence of text.\u0001 ${'word '.repeat(20)}`), OPTIONS).warnings[0]
        ?.code,
    ).toBe('control-chars');
  });

  it('invalid-utf8: gives the byte offset of the first bad sequence', () => {
    const latin1 = new Uint8Array([...encode('Caf'), 0xe9, ...encode(' society returns to Kabul.\n')]);
    const error = rejection('latin1.txt', latin1);
    expect([error.code, error.message]).toEqual([
      'invalid-utf8',
      'latin1.txt: invalid UTF-8 at byte 3; save the file as UTF-8',
    ]);
    const cases: [number[], number][] = [
      [[0xef, 0xbb, 0xbf, 0x61, 0xc0, 0x80], 4], // overlong NUL, offset counted with the BOM
      [[0x61, 0x62, 0xed, 0xa0, 0x80], 2], // UTF-16 surrogate
      [[0xe2, 0x80, 0x9c, 0x61, 0xf4, 0x90, 0x80, 0x80], 4], // above U+10FFFF after a valid “
      [[0x61, 0x62, 0x63, 0xe2, 0x80], 3], // truncated at the end
    ];
    for (const [bytes, offset] of cases) {
      expect(rejection('bad.txt', new Uint8Array(bytes)).message).toBe(
        `bad.txt: invalid UTF-8 at byte ${offset}; save the file as UTF-8`,
      );
    }
  });

  it('invalid-utf8: says so for a UTF-16 file rather than calling it binary', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x48, 0x00, 0x69, 0x00]);
    const error = rejection('wide.txt', utf16);
    expect(error.code).toBe('invalid-utf8');
    expect(error.message).toMatch(/^wide\.txt: file is UTF-16/);
  });

  it('no-text: nothing left after cleaning', () => {
    for (const [file, text] of [
      ['script.txt', '<script>var a = "<p>Hello</p>";</script>\n<style>p { color: red }</style>'],
      ['readmore.txt', 'READ MORE: Another story\n\n(with inputs from agencies)\n'],
      ['dateonly.txt', ' date 2021-08-23 \n'],
      ['frontmatter.md', '---\ntitle: Only a title\n---\n\n'],
    ] as const) {
      const error = rejection(file, encode(text));
      expect(error.code).toBe('no-text');
      expect(error.message).toBe(`${file}: no text left after cleaning (markup and boilerplate only)`);
    }
  });

  it('no-text: punctuation or symbols alone (found by the arbitrary-bytes property: a file holding ".")', () => {
    for (const [file, text] of [
      ['dot.txt', '.'],
      ['stars.txt', '***\n\n— — —\n'],
    ] as const) {
      const error = rejection(file, encode(text));
      expect(error.code).toBe('no-text');
      expect(error.message).toBe(`${file}: no words left after cleaning (only punctuation or symbols)`);
    }
  });

  it('bad-front-matter: unreadable YAML, a list instead of keys, a key of the wrong type', () => {
    const cases: [string, RegExp][] = [
      ['---\ntitle: "unclosed\n---\nBody text.', /^a\.md: bad front matter: .+/],
      [
        '---\n- just\n- a list\n---\nBody text.',
        /^a\.md: bad front matter: front matter must be a YAML mapping/,
      ],
      ['---\ntitle: [a, b]\n---\nBody text.', /^a\.md: bad front matter: "title" must be text, not a list$/],
      [
        '---\ntitle: a\ntitle: b\n---\nBody text.',
        /^a\.md: bad front matter: Map keys must be unique \(line 3, column 1/,
      ],
    ];
    for (const [text, message] of cases) {
      const error = rejection('a.md', encode(text));
      expect(error.code).toBe('bad-front-matter');
      expect(error.message).toMatch(message);
    }
  });

  it('turns a rejection into an error diagnostic for the report', () => {
    const error = rejection('empty.txt', new Uint8Array());
    expect(error.name).toBe('ArticleRejectedError');
    expect(error.source).toBe('empty.txt');
    expect(error.toDiagnostic()).toEqual({
      source: 'empty.txt',
      severity: 'error',
      code: 'empty',
      message: 'empty.txt: file is empty',
    });
  });
});

describe('warnings on published files', () => {
  it('a future date is kept as it is (the pipeline holds the article until then), with no warning', () => {
    const { article, warnings } = parseArticle(
      'future.txt',
      encode(' date 2021-09-04 Banks reopen today.'),
      OPTIONS,
    );
    expect(article.date).toBe('2021-09-04T00:00:00.000Z');
    expect(warnings).toEqual([]);
    const text = '---\ndate: 2021-09-05T08:00:00Z\n---\nBanks reopen today.';
    expect(parseArticle('future.md', encode(text), OPTIONS).article.date).toBe('2021-09-05T08:00:00.000Z');
  });

  it('far-future-date: a date more than a year ahead is kept and reported as a probable typo', () => {
    const { article, warnings } = parseArticle(
      'typo.txt',
      encode(' date 2921-09-04 Banks reopen today.'),
      OPTIONS,
    );
    expect(article.date).toBe('2921-09-04T00:00:00.000Z');
    expect(warnings).toEqual([
      {
        source: 'typo.txt',
        severity: 'warning',
        code: 'far-future-date',
        message:
          'typo.txt: date 2921-09-04T00:00:00.000Z is more than a year after the build (2021-09-02T12:00:00.000Z): ' +
          'a typo? The article is held until then',
      },
    ]);
  });

  it('invalid-date: an impossible calendar date is dropped, the text after it is kept', () => {
    const { article, warnings } = parseArticle(
      'feb.txt',
      encode(' date 2021-02-30 Banks reopen today.'),
      OPTIONS,
    );
    expect(article.date).toBeUndefined();
    expect(article.blocks.map((block) => block.text)).toEqual(['Banks reopen today.']);
    expect(warnings.map((w) => [w.code, w.message])).toEqual([
      ['invalid-date', 'feb.txt: invalid date "2021-02-30" ignored; the first-seen time is used instead'],
    ]);
  });

  it('invalid-date: front matter values that are not dates', () => {
    for (const value of ['not-a-date', '2021-13-01', '2021-08-23T25:00:00Z', '1630000000']) {
      const warnings = warningsFor('d.md', `---\ndate: ${value}\n---\nBanks reopen today.`);
      expect(warnings.map((w) => w.message)).toEqual([
        `d.md: invalid date "${value}" ignored; the first-seen time is used instead`,
      ]);
    }
  });

  it('accepts leap days and date-times without a zone as UTC', () => {
    expect(parseArticle('leap.txt', encode(' date 2020-02-29 Text.'), OPTIONS).article.date).toBe(
      '2020-02-29T00:00:00.000Z',
    );
    const local = parseArticle('t.md', encode('---\ndate: 2021-08-23 10:15\n---\nText.'), OPTIONS);
    expect(local.article.date).toBe('2021-08-23T10:15:00.000Z');
  });

  it('control-chars and html-stripped name the file, also when found in front matter values', () => {
    const warnings = warningsFor('fm.md', '---\ntitle: "Banks \\x01reopen <b>today</b>"\n---\nBody text.');
    expect(warnings.map((w) => [w.code, w.source, w.message.startsWith('fm.md: ')])).toEqual([
      ['control-chars', 'fm.md', true],
      ['html-stripped', 'fm.md', true],
    ]);
  });
});
