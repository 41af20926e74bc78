import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cdata,
  escapeXmlAttr,
  escapeXmlText,
  stripXmlIllegal,
} from '../../functions/core/render/xml-safe.js';

/** The XML 1.0 Char production minus DEL and C1, written as code-point arithmetic (independent of the regex). */
function isKept(codePoint: number): boolean {
  if (codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd) return true;
  if (codePoint < 0x20) return false;
  if (codePoint >= 0x7f && codePoint <= 0x9f) return false;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return false;
  if (codePoint === 0xfffe || codePoint === 0xffff) return false;
  return codePoint <= 0x10ffff;
}

/** Iterates code points; a lone surrogate comes out as itself (codePointAt returns the unit). */
function keptByCodePoint(text: string): string {
  let out = '';
  for (const char of text) if (isKept(char.codePointAt(0)!)) out += char;
  return out;
}

/** Strings with everything that breaks XML: controls, lone surrogates, `]]>`, markup, astral and RTL text. */
const hostileString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(']]>', ']]', '&', '&amp;', '<', '>', '"', "'", '\r\n', '\r', '\t', '\u0000', '\u0085'),
    fc.constantFrom('\uD800', '\uDFFF', '\uFFFE', '\uFFFF', '😀', '👩‍👩‍👧', '\u202E', 'שלום', '\u0007'),
    fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

/** Decodes the five predefined entities and numeric references: what an XML parser does to escaped text. */
function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[ref.toLowerCase()] ?? '';
  });
}

describe('stripXmlIllegal', () => {
  it('removes C0 controls except tab, LF and CR', () => {
    const c0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
    expect(stripXmlIllegal(`a${c0}b`)).toBe('a\t\n\rb');
  });

  it('removes DEL, the C1 controls and U+FFFE/U+FFFF but keeps their neighbours', () => {
    expect(stripXmlIllegal('x\u007Fy\u0080z\u0085\u009F!\u00A0\uFFFE\uFFFF\uFFFD')).toBe('xyz!\u00A0\uFFFD');
  });

  it('removes lone surrogates but keeps surrogate pairs (astral characters)', () => {
    expect(stripXmlIllegal('a\uD800b\uDC00c😀d\uDBFF')).toBe('abc😀d');
    expect(stripXmlIllegal('\uDC00\uD800')).toBe('');
    expect(stripXmlIllegal('\uD83D\uDE00')).toBe('😀');
  });

  it('keeps every legal character and drops every illegal one (all code units, property)', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        expect(stripXmlIllegal(text)).toBe(keptByCodePoint(text));
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(hostileString, (text) => stripXmlIllegal(stripXmlIllegal(text)) === stripXmlIllegal(text)),
    );
  });
});

describe('escapeXmlText', () => {
  it('escapes markup characters and keeps quotes', () => {
    expect(escapeXmlText('a < b && c > "d" \'e\'')).toBe('a &lt; b &amp;&amp; c &gt; "d" \'e\'');
  });

  it('escapes an already escaped entity again, so the text reads back literally', () => {
    expect(escapeXmlText('&amp;')).toBe('&amp;amp;');
  });

  it('writes CR as a reference, which parsers do not normalise away', () => {
    expect(escapeXmlText('a\r\nb')).toBe('a&#13;\nb');
  });

  it('never contains a raw `<`, a bare `&`, or `]]>`, and decodes back to the stripped input (property)', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const escaped = escapeXmlText(text);
        expect(escaped).not.toMatch(/<|\]\]>|\r/);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;|#13;)/);
        expect(decodeXml(escaped)).toBe(stripXmlIllegal(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('escapeXmlAttr', () => {
  it('escapes both quote styles and keeps whitespace as references', () => {
    expect(escapeXmlAttr(`a"b'c&d<e>f\tg\nh\ri`)).toBe('a&quot;b&apos;c&amp;d&lt;e&gt;f&#9;g&#10;h&#13;i');
  });

  it('contains no character that could end or corrupt a quoted attribute (property)', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const escaped = escapeXmlAttr(text);
        expect(escaped).not.toMatch(/["'<\t\n\r]/);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#9;|#10;|#13;)/);
        expect(decodeXml(escaped)).toBe(stripXmlIllegal(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('cdata', () => {
  it('wraps text in one section when there is no `]]>`', () => {
    expect(cdata('<p>a & b</p>')).toBe('<![CDATA[<p>a & b</p>]]>');
  });

  it('splits EVERY `]]>`, not just the first', () => {
    const wrapped = cdata('a]]>b]]>c]]>');
    expect(wrapped).toBe('<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>c]]]]><![CDATA[>]]>');
  });

  it('handles `]]>` made by stripping an illegal character out of `]]\\u0001>`', () => {
    expect(cdata(']]\u0001>')).toBe('<![CDATA[]]]]><![CDATA[>]]>');
  });

  /** Splits a run of CDATA sections the way a parser does: each ends at its FIRST `]]>`. */
  function sections(wrapped: string): string[] {
    const out: string[] = [];
    let rest = wrapped;
    while (rest.length > 0) {
      expect(rest.startsWith('<![CDATA[')).toBe(true);
      const end = rest.indexOf(']]>', 9);
      expect(end).toBeGreaterThanOrEqual(9);
      out.push(rest.slice(9, end));
      rest = rest.slice(end + 3);
    }
    return out;
  }

  it('always parses back to the stripped input (property)', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        expect(sections(cdata(text)).join('')).toBe(stripXmlIllegal(text));
      }),
      { numRuns: 500 },
    );
  });
});
