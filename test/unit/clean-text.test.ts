import { describe, expect, it } from 'vitest';
import { cleanBodyLine } from '../../functions/core/article/boilerplate.js';
import { deriveTitle, shortenTitle, stripDateline } from '../../functions/core/article/derive-title.js';
import { htmlToText } from '../../functions/core/article/html-text.js';
import { markdownInlineText } from '../../functions/core/article/markdown-blocks.js';
import { type ParseResult, parseArticle } from '../../functions/core/article/parse-article.js';
import { firstSentenceEnd } from '../../functions/core/article/sentences.js';
import { parseTweetEmbed } from '../../functions/core/article/tweet-embed.js';
import type { Block } from '../../functions/core/model.js';

const OPTIONS = { maxBytes: 1024 * 1024, now: new Date('2021-09-02T00:00:00.000Z') };

function parseText(text: string, source = 'clean.txt'): ParseResult {
  return parseArticle(source, new TextEncoder().encode(text), OPTIONS);
}

function blockTexts(result: ParseResult): string[] {
  return result.article.blocks.map((block) => block.text);
}

const HEADLINE = 'Kabul markets reopen after two weeks\n';

describe('boilerplate removal', () => {
  it('drops READ MORE lines in any case without merging the paragraphs around them', () => {
    const result = parseText(
      `${HEADLINE}First paragraph of the story, which is long enough to be body text.\nRead more: Something else\n` +
        'Short line without stop\nREAD MORE - Another story\nLast paragraph of the story.\n',
    );
    // One sentence after a headline is the standfirst; the short line stays a paragraph, it is not merged.
    expect(result.article.standfirst).toBe(
      'First paragraph of the story, which is long enough to be body text.',
    );
    expect(blockTexts(result)).toEqual(['Short line without stop', 'Last paragraph of the story.']);
  });

  it('cuts "Also Read - …" glued to the end of a sentence, and drops a line that is only that', () => {
    expect(
      cleanBodyLine('Clashes are circulating on social media.Also Read - Crisis LIVE Updates: Home'),
    ).toBe('Clashes are circulating on social media.');
    expect(cleanBodyLine('ALSO READ: Taliban name a governor')).toBeNull();
    // Lower-case "also read" is prose, not a link to another story.
    expect(cleanBodyLine('The sign also read: keep out.')).toBe('The sign also read: keep out.');
  });

  it('removes agency credits in brackets anywhere and as a line of their own', () => {
    expect(cleanBodyLine('The airport reopened (With Inputs From PTI).')).toBe('The airport reopened.');
    expect(cleanBodyLine('(with inputs from agencies)')).toBeNull();
    expect(cleanBodyLine('With inputs from Reuters and AFP')).toBeNull();
  });

  it('drops photo caption lines and stray camera markers', () => {
    expect(cleanBodyLine('📸 Fighters guard an outpost in Panjshir.')).toBeNull();
    expect(cleanBodyLine('📷️ A street in Kabul')).toBeNull();
    expect(cleanBodyLine('Photos 📸 were shared online.')).toBe('Photos were shared online.');
  });

  it('returns "" for a blank line and collapses spaces and tabs', () => {
    expect(cleanBodyLine(' \t ')).toBe('');
    expect(cleanBodyLine('  two\t\tspaces   here  ')).toBe('two spaces here');
  });
});

describe('tweet embeds', () => {
  it('turns text, pic.twitter.com link and attribution into a cited quote', () => {
    expect(
      parseTweetEmbed(
        'Negotiate rather than fight pic.twitter.com/2nD7tAxyNu — AFP News Agency (@AFP) August 24, 2021',
      ),
    ).toEqual({ text: 'Negotiate rather than fight', cite: 'AFP News Agency (@AFP)' });
  });

  it('handles t.co links, abbreviated and day-first dates', () => {
    expect(
      parseTweetEmbed(
        'Flights resume https://t.co/AbC123 https://t.co/x — Kabul Airport (@KBL_airport) 3 Sep 2021',
      ),
    ).toEqual({
      text: 'Flights resume',
      cite: 'Kabul Airport (@KBL_airport)',
    });
    expect(parseTweetEmbed('Quiet night here. — Jane Roe (@jroe) Aug. 30, 2021')?.cite).toBe(
      'Jane Roe (@jroe)',
    );
  });

  it('leaves paragraphs that only mention a handle alone', () => {
    expect(parseTweetEmbed('Saleh (@AmrullahSaleh2) tweeted early on Tuesday morning.')).toBeUndefined();
    expect(parseTweetEmbed('A plain paragraph — with a dash.')).toBeUndefined();
  });

  it('joins an attribution on its own line to the tweet text above it', () => {
    const result = parseText(
      `${HEADLINE}The airport reopened on Saturday. Only domestic flights leave.\n` +
        'We are back in the air https://t.co/abc\n— Ariana Afghan Airlines (@FlyAriana) September 4, 2021\n' +
        'More flights are expected next week.\n',
    );
    expect(result.article.blocks).toEqual<Block[]>([
      { kind: 'paragraph', text: 'The airport reopened on Saturday. Only domestic flights leave.' },
      { kind: 'quote', text: 'We are back in the air', cite: 'Ariana Afghan Airlines (@FlyAriana)' },
      { kind: 'paragraph', text: 'More flights are expected next week.' },
    ]);
  });
});

describe('character cleaning', () => {
  it('normalises to NFC and keeps typographic quotes, apostrophes and dashes', () => {
    const result = parseText('Cafe\u0301 society returns to Kabul’s “old town” – and stays — for now.\n');
    expect(result.article.blocks[0]?.text).toBe(
      'Café society returns to Kabul’s “old town” – and stays — for now.',
    );
    expect(result.warnings).toEqual([]);
  });

  it('removes control characters, treats CR and CRLF as line ends, and warns once with the count', () => {
    const result = parseText(
      `Markets reopen in \u0001Kabul\u0007\r\nBanks opened on Saturday. Queues were long.\rCustomers\u009b said withdrawals were capped.`,
    );
    expect(result.article.title).toBe('Markets reopen in Kabul');
    expect(blockTexts(result)).toEqual([
      'Banks opened on Saturday. Queues were long.',
      'Customers said withdrawals were capped.',
    ]);
    expect(result.warnings).toEqual([
      {
        source: 'clean.txt',
        severity: 'warning',
        code: 'control-chars',
        message: 'clean.txt: removed 3 control character(s)',
      },
    ]);
  });

  it('strips the UTF-8 byte-order mark silently', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode(' date 2021-08-30 Banks reopen.\n'),
    ]);
    const result = parseArticle('bom.txt', bytes, OPTIONS);
    expect(result.article.date).toBe('2021-08-30T00:00:00.000Z');
    expect(result.article.blocks[0]?.text).toBe('Banks reopen.');
    expect(result.warnings).toEqual([]);
  });
});

describe('HTML in plain text', () => {
  it('keeps tag text, drops script and style content, decodes entities, and warns', () => {
    const result = parseText(
      ' date 2021-08-30 Markets <script>alert(1)</script> reopen in Kabul ]]> as banks resume work\n' +
        'Banks reopened with <b>long queues</b> &amp; &quot;capped&quot; withdrawals.<style>p{}</style> ]]> Customers waited.\n',
      'hostile.txt',
    );
    expect(result.article.title).toBe('Markets reopen in Kabul ]]> as banks resume work');
    expect(blockTexts(result)).toEqual([
      'Banks reopened with long queues & "capped" withdrawals. ]]> Customers waited.',
    ]);
    expect(result.warnings.map((w) => [w.code, w.message])).toEqual([
      ['html-stripped', 'hostile.txt: removed HTML markup; the article is published as plain text'],
    ]);
  });

  it('keeps a literal ]]> without any warning', () => {
    expect(parseText('Odd text ]]> with a CDATA end in it.').warnings).toEqual([]);
  });

  it('ends paragraphs at block tags', () => {
    const result = parseText(
      '<h1>Banks reopen</h1><p>First paragraph here.</p><p>Second&nbsp;paragraph here.</p>',
    );
    expect(result.article.title).toBe('Banks reopen');
    expect(result.article.standfirst).toBe('First paragraph here.');
    expect(blockTexts(result)).toEqual(['Second\u00a0paragraph here.']);
  });

  it('never lets a reference or a removed tag produce a control character or "<script"', () => {
    expect(htmlToText('a&#1;b&#x7f;c&#0;d&#150;e').text).toBe('abc\ufffdd–e');
    expect(htmlToText('x &lt;script&gt;alert(1)&lt;/script&gt; y').text).toBe('x  y');
    expect(htmlToText('x &amp;lt;script&amp;gt; y').text).toBe('x &lt;script&gt; y');
    expect(htmlToText('x <<b>script>alert(1) y').text).not.toMatch(/<script/i);
    expect(htmlToText('before <SCRIPT type="x">never closed').text).toBe('before ');
    expect(htmlToText('a <!-- hidden --> b <!-- unclosed').text).toBe('a  b ');
  });

  it('leaves comparisons and unknown entities alone', () => {
    expect(htmlToText('5 < 6 and AT&T &unknown; too')).toEqual({
      text: '5 < 6 and AT&T &unknown; too',
      changed: false,
    });
  });
});

describe('sentences and derived titles', () => {
  it('does not end a sentence at abbreviations, initials, decimals or datelines', () => {
    const text = 'Kabul: The U.S. envoy Mr. Khalilzad met J. K. Rowling at 3.5 p.m. on Monday. Then he left.';
    expect(text.slice(0, firstSentenceEnd(text))).toBe(
      'Kabul: The U.S. envoy Mr. Khalilzad met J. K. Rowling at 3.5 p.m. on Monday.',
    );
    expect(firstSentenceEnd('He said “It is over.” Then he left.')).toBe('He said “It is over.”'.length);
    expect(firstSentenceEnd('No end here')).toBe('No end here'.length);
  });

  it('strips a dateline from the title only', () => {
    expect(stripDateline('Kabul: As the Taliban seek control')).toBe('As the Taliban seek control');
    expect(stripDateline('NEW DELHI: India said')).toBe('India said');
    expect(stripDateline('KABUL (Reuters) - The Taliban said')).toBe('The Taliban said');
    expect(stripDateline('He said: yes')).toBe('He said: yes');
    expect(deriveTitle('Kabul: Banks reopened on Saturday. More later.')).toBe('Banks reopened on Saturday');
  });

  it('cuts long sentences at a word boundary near 90 characters and adds an ellipsis', () => {
    const sentence =
      'The Panjshir based anti-Taliban movement in Afghanistan has made gains in the northern Baghlan province as talks continue.';
    const title = shortenTitle(sentence);
    expect(title).toBe(
      'The Panjshir based anti-Taliban movement in Afghanistan has made gains in the northern…',
    );
    expect(title.length).toBeLessThanOrEqual(91);
    expect(shortenTitle('Short and complete.')).toBe('Short and complete');
    expect(shortenTitle('Is it over?')).toBe('Is it over?');
  });

  it('cuts inside a single over-long token only at a non-word character when it has one', () => {
    const url = `https://example.org/${'a'.repeat(60)}/${'b'.repeat(60)}`;
    const title = shortenTitle(url);
    expect(title).toBe(`https://example.org/${'a'.repeat(60)}…`);
  });
});

describe('inline Markdown', () => {
  it('reduces links, emphasis, code and images to plain text', () => {
    expect(
      markdownInlineText(
        'See [the report](https://x.org/r "Report"), **bold**, *it*, _em_, `code`, ~~old~~ ![img](i.png)',
      ),
    ).toBe('See the report, bold, it, em, code, old ');
  });

  it('leaves snake_case and lone stars alone', () => {
    expect(markdownInlineText('file_name_here and 2 * 3 * 4')).toBe('file_name_here and 2 * 3 * 4');
  });
});
