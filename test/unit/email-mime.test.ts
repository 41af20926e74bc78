import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRawMessage,
  HeaderInjectionError,
  MimeInputError,
  type RawMessageInput,
} from '../../functions/core/email/mime.js';
import { encodeQuotedPrintable } from '../../functions/core/email/quoted-printable.js';

const BASE: RawMessageInput = {
  from: 'Test Wire <news@example.org>',
  to: 'reader@example.com',
  subject: 'Weekly digest',
  text: 'Hello\nWorld\n',
  html: '<p>Hello</p>\n<p>World</p>\n',
  listUnsubscribeUrl: 'https://news.example.org/unsubscribe?t=abc_DEF-123',
  date: new Date('2026-03-02T08:00:00Z'),
};

// ---------------------------------------------------------------------------------------------
// A small, strict reader of what the builder writes: independent of the builder's code.

interface ParsedPart {
  headers: Map<string, string>;
  content: string;
  rawContent: string;
}

interface ParsedMessage {
  headers: Map<string, string>;
  rawHeaderLines: string[];
  boundary: string;
  parts: ParsedPart[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function splitHead(text: string): { headers: Map<string, string>; lines: string[]; body: string } {
  const end = text.indexOf('\r\n\r\n');
  expect(end).toBeGreaterThan(0);
  const lines = text.slice(0, end).split('\r\n');
  const unfolded = text.slice(0, end).replace(/\r\n(?=[ \t])/g, '');
  const headers = new Map<string, string>();
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    expect(colon).toBeGreaterThan(0);
    const name = line.slice(0, colon).toLowerCase();
    expect(headers.has(name)).toBe(false);
    headers.set(name, line.slice(colon + 1).replace(/^[ \t]+/, ''));
  }
  return { headers, lines, body: text.slice(end + 4) };
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/** RFC 2047: each word must hold whole UTF-8 characters; whitespace between two words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)[ \t]+(?==\?)/g, '$1')
    .replace(ENCODED_WORD, (_word, charset: string, encoding: string, data: string) => {
      expect(charset.toUpperCase()).toBe('UTF-8');
      expect(encoding.toUpperCase()).toBe('B');
      return UTF8.decode(Buffer.from(data, 'base64'));
    });
}

function decodeQuotedPrintable(encoded: string): string {
  for (const line of encoded.split('\r\n')) {
    expect(line.length).toBeLessThanOrEqual(76);
    expect(line).toMatch(/^[\x21-\x7e \t]*$/);
    expect(line).not.toMatch(/[ \t]$/);
  }
  const joined = encoded.replace(/=\r\n/g, '');
  expect(joined).not.toMatch(/=(?![0-9A-F]{2})/);
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=') {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i));
    }
  }
  return UTF8.decode(Buffer.from(bytes));
}

function parseMessage(raw: string): ParsedMessage {
  const head = splitHead(raw);
  const contentType = head.headers.get('content-type') ?? '';
  const boundary = /^multipart\/alternative; boundary="([^"]+)"$/.exec(contentType)?.[1];
  expect(boundary).toBeDefined();
  const sections = `\r\n${head.body}`.split(`\r\n--${boundary}`);
  expect(sections[0]).toBe('');
  expect(sections.at(-1)).toBe('--\r\n');
  const parts = sections.slice(1, -1).map((section) => {
    expect(section.startsWith('\r\n')).toBe(true);
    const part = splitHead(section.slice(2));
    expect(part.headers.get('content-transfer-encoding')).toBe('quoted-printable');
    return { headers: part.headers, rawContent: part.body, content: decodeQuotedPrintable(part.body) };
  });
  return { headers: head.headers, rawHeaderLines: head.lines, boundary: boundary!, parts };
}

/** What the bodies should read back as: every kind of line break becomes one CRLF. */
function canonicalLines(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

function expectWellFormedLines(raw: string): void {
  expect(raw.endsWith('\r\n')).toBe(true);
  for (const line of raw.slice(0, -2).split('\r\n')) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(line.length).toBeLessThanOrEqual(998);
    expect(line).toMatch(/^[\x20-\x7e\t]*$/);
  }
}

// ---------------------------------------------------------------------------------------------

const noLineBreaks = (text: string) => text.replace(/[\r\n]/g, '');
const hostileText = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(' ', '  ', '\t', '=', '=?', '?=', '=3D', '.', '..', 'From ', '--'),
    },
    { weight: 2, arbitrary: fc.constantFrom('\n', '\r\n', '\r', '\n.', '\n.\n', ' \n', '\t\r\n', '\nFrom ') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('x'.repeat(80), 'é'.repeat(40), '😀'.repeat(30), ' '.repeat(90)),
    },
    { weight: 1, arbitrary: fc.constantFrom('=_nfg_', '\u0000', '\u200F', '\uFEFF', 'Ω', '日本語') },
  ),
  maxLength: 60,
});
const subject = fc.oneof(
  hostileText.map(noLineBreaks),
  fc.string({ unit: 'grapheme', maxLength: 100 }).map(noLineBreaks),
  fc.stringMatching(/^[A-Za-z0-9,.!?'-]{1,12}( [A-Za-z0-9,.!?'-]{1,12}){0,30}$/),
);

describe('buildRawMessage', () => {
  it('reads back to the same subject and bodies, with CRLF-only lines of at most 998 characters', () => {
    fc.assert(
      fc.property(subject, hostileText, hostileText, (subjectText, text, html) => {
        const raw = buildRawMessage({ ...BASE, subject: subjectText, text, html });
        expectWellFormedLines(raw);
        const message = parseMessage(raw);
        expect(decodeWords(message.headers.get('subject')!)).toBe(subjectText);
        expect(message.parts.map((part) => part.headers.get('content-type'))).toEqual([
          'text/plain; charset=UTF-8',
          'text/html; charset=UTF-8',
        ]);
        expect(message.parts[0]!.content).toBe(canonicalLines(text));
        expect(message.parts[1]!.content).toBe(canonicalLines(html));
        expect(text).not.toContain(message.boundary);
        expect(html).not.toContain(message.boundary);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps header lines with encoded words within 76 characters and each word within 75', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }).map(noLineBreaks),
        (subjectText) => {
          const raw = buildRawMessage({ ...BASE, subject: subjectText });
          const { rawHeaderLines } = parseMessage(raw);
          for (const line of rawHeaderLines) {
            const words = line.match(ENCODED_WORD) ?? [];
            for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
            if (words.length > 0) expect(line.length).toBeLessThanOrEqual(76);
          }
        },
      ),
    );
  });

  it('writes a short ASCII subject as is and folds a long one at spaces', () => {
    const short = parseMessage(buildRawMessage(BASE));
    expect(short.rawHeaderLines).toContain('Subject: Weekly digest');
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const folded = parseMessage(buildRawMessage({ ...BASE, subject: long }));
    const subjectLines = folded.rawHeaderLines.slice(
      folded.rawHeaderLines.findIndex((line) => line.startsWith('Subject:')),
    );
    expect(subjectLines[0]!.length).toBeLessThanOrEqual(78);
    expect(subjectLines[1]).toMatch(/^ word\d+/);
    expect(folded.headers.get('subject')).toBe(long);
    // One unbreakable 2,000-character word cannot be folded: it is encoded instead.
    const word = 'x'.repeat(2000);
    const encoded = parseMessage(buildRawMessage({ ...BASE, subject: word }));
    expect(encoded.headers.get('subject')).toMatch(/^=\?UTF-8\?B\?/);
    expect(decodeWords(encoded.headers.get('subject')!)).toBe(word);
  });

  it('encodes a non-ASCII subject as UTF-8 B-words without splitting a character', () => {
    const subjectText = `Zürich: 日本語のニュース — 😀 édition spéciale ${'ß'.repeat(40)}`;
    const message = parseMessage(buildRawMessage({ ...BASE, subject: subjectText }));
    const value = message.headers.get('subject')!;
    expect(value).toMatch(/^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= ?)+$/);
    // The reader above decodes every word on its own with a fatal decoder.
    expect(decodeWords(value)).toBe(subjectText);
  });

  it('writes the RFC 2369 / RFC 8058 unsubscribe headers, with the mailto alternative when given', () => {
    const oneClick = parseMessage(buildRawMessage(BASE)).headers;
    expect(oneClick.get('list-unsubscribe')).toBe(`<${BASE.listUnsubscribeUrl}>`);
    expect(oneClick.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const both = parseMessage(
      buildRawMessage({
        ...BASE,
        listUnsubscribeMailto: 'mailto:unsubscribe@example.org?subject=unsubscribe',
      }),
    ).headers;
    expect(both.get('list-unsubscribe')).toBe(
      `<${BASE.listUnsubscribeUrl}>, <mailto:unsubscribe@example.org?subject=unsubscribe>`,
    );
  });

  it('with only a mailto (a test send from a site without https) has no One-Click header; with neither it refuses', () => {
    const { listUnsubscribeUrl: _dropped, ...withoutUrl } = BASE;
    const mailtoOnly = parseMessage(
      buildRawMessage({
        ...withoutUrl,
        listUnsubscribeMailto: 'mailto:news@example.org?subject=unsubscribe',
      }),
    ).headers;
    expect(mailtoOnly.get('list-unsubscribe')).toBe('<mailto:news@example.org?subject=unsubscribe>');
    expect(mailtoOnly.has('list-unsubscribe-post')).toBe(false);
    expect(() => buildRawMessage(withoutUrl)).toThrow(/listUnsubscribeUrl or listUnsubscribeMailto/);
  });

  it('writes MIME-Version, an RFC 5322 UTC date, the message id in brackets and extra headers', () => {
    const message = parseMessage(
      buildRawMessage({
        ...BASE,
        messageId: 'edition-42@news.example.org',
        headers: { 'X-Edition': '2026-W10', 'X-Note': 'Café ☕' },
      }),
    );
    expect(message.headers.get('mime-version')).toBe('1.0');
    expect(message.headers.get('date')).toBe('Mon, 02 Mar 2026 08:00:00 +0000');
    expect(message.headers.get('message-id')).toBe('<edition-42@news.example.org>');
    expect(message.headers.get('x-edition')).toBe('2026-W10');
    expect(decodeWords(message.headers.get('x-note')!)).toBe('Café ☕');
    expect(parseMessage(buildRawMessage({ ...BASE, messageId: '<a.b@c>' })).headers.get('message-id')).toBe(
      '<a.b@c>',
    );
  });

  it.each([
    ['news@example.org', 'news@example.org'],
    ['Test Wire <news@Example.ORG>', 'Test Wire <news@example.org>'],
    ['"Wire, The" <news@example.org>', '"Wire, The" <news@example.org>'],
    ['"Say \\"hi\\"" <news@example.org>', '"Say \\"hi\\"" <news@example.org>'],
    ['Zürich News <news@example.org>', '=?UTF-8?B?WsO8cmljaCBOZXdz?= <news@example.org>'],
    ['=?UTF-8?B?eA==?= <news@example.org>', '=?UTF-8?B?PT9VVEYtOD9CP2VBPT0/PQ==?= <news@example.org>'],
    ['news@bücher.example', 'news@xn--bcher-kva.example'],
  ])('writes the address %j as %j', (from, header) => {
    expect(parseMessage(buildRawMessage({ ...BASE, from })).headers.get('from')).toBe(header);
  });

  it('reads any display name back unchanged', () => {
    fc.assert(
      fc.property(hostileText.map(noLineBreaks), (name) => {
        const trimmed = name.trim();
        fc.pre(!/^".*"$/s.test(trimmed));
        const value = parseMessage(
          buildRawMessage({ ...BASE, to: `${name} <reader@example.com>` }),
        ).headers.get('to')!;
        if (trimmed === '') {
          expect(value).toBe('reader@example.com');
          return;
        }
        const match = /^(.*) <reader@example\.com>$/s.exec(value);
        expect(match).not.toBeNull();
        const phrase = match![1]!;
        const decoded = phrase.startsWith('"')
          ? phrase.slice(1, -1).replace(/\\(.)/g, '$1')
          : decodeWords(phrase);
        expect(decoded).toBe(trimmed);
      }),
    );
  });

  it('puts text/plain before text/html, with a boundary from neither body, and is deterministic', () => {
    const raw = buildRawMessage(BASE);
    expect(buildRawMessage(BASE)).toBe(raw);
    const message = parseMessage(raw);
    expect(message.boundary).toMatch(/^=_/);
    expect(message.boundary.length).toBeLessThanOrEqual(70);
    expect(message.parts).toHaveLength(2);
    const other = parseMessage(buildRawMessage({ ...BASE, html: '<p>Other</p>' }));
    expect(other.boundary).not.toBe(message.boundary);
  });

  it.each([
    ['subject', { subject: 'Hi\r\nBcc: x@y' }],
    ['subject (bare LF)', { subject: 'Hi\nBcc: x@y' }],
    ['subject (bare CR)', { subject: 'Hi\rBcc: x@y' }],
    ['from', { from: 'news@example.org\r\nBcc: x@y' }],
    ['from display name', { from: 'News\r\nBcc: x@y <news@example.org>' }],
    ['to', { to: 'reader@example.com\nBcc: x@y' }],
    ['extra header value', { headers: { 'X-Edition': '42\r\nBcc: x@y' } }],
    ['extra header name', { headers: { 'X-Edition\r\nBcc': 'x@y' } }],
    ['unsubscribe URL', { listUnsubscribeUrl: 'https://e.org/u\r\nBcc: x@y' }],
    ['unsubscribe mailto', { listUnsubscribeMailto: 'mailto:u@e.org\r\nBcc: x@y' }],
    ['message id', { messageId: 'a@b\r\nBcc: x@y' }],
  ] as [string, Partial<RawMessageInput>][])(
    'throws HeaderInjectionError for CR/LF in the %s',
    (_what, input) => {
      expect(() => buildRawMessage({ ...BASE, ...input })).toThrow(HeaderInjectionError);
    },
  );

  it('throws HeaderInjectionError for any subject containing CR or LF', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.constantFrom('\r', '\n', '\r\n'),
        hostileText,
        (before, lineBreak, after) => {
          expect(() => buildRawMessage({ ...BASE, subject: before + lineBreak + after })).toThrow(
            HeaderInjectionError,
          );
        },
      ),
    );
  });

  it.each([
    ['an http unsubscribe URL', { listUnsubscribeUrl: 'http://news.example.org/u' }],
    ['a relative unsubscribe URL', { listUnsubscribeUrl: '/unsubscribe' }],
    ['a URL with a comma', { listUnsubscribeUrl: 'https://e.org/u?a=1,2' }],
    ['a non-mailto alternative', { listUnsubscribeMailto: 'https://e.org/u' }],
    ['an invalid from address', { from: 'News <not-an-address>' }],
    ['a non-ASCII local part', { to: 'jürgen@example.org' }],
    ['an invalid date', { date: new Date(Number.NaN) }],
    ['a message id without @', { messageId: 'no-at-sign' }],
    ['a header the builder owns', { headers: { bcc: 'x@example.org' } }],
    ['an invalid header name', { headers: { 'X Bad': 'v' } }],
  ] as [string, Partial<RawMessageInput>][])('throws MimeInputError for %s', (_what, input) => {
    expect(() => buildRawMessage({ ...BASE, ...input })).toThrow(MimeInputError);
  });

  it.runIf(existsSync('/usr/bin/python3'))("is read back identically by Python's email package", () => {
    const samples = fc.sample(fc.tuple(subject, hostileText, hostileText), { numRuns: 40, seed: 20260302 });
    const messages = samples.map(([subjectText, text, html]) =>
      buildRawMessage({ ...BASE, from: 'Zürich Wire <news@example.org>', subject: subjectText, text, html }),
    );
    const script = `
import email, email.policy, json, sys
out = []
for raw in json.load(sys.stdin):
    msg = email.message_from_bytes(raw.encode('ascii'), policy=email.policy.default)
    out.append({
        'subject': str(msg['subject']),
        'from': msg['from'].addresses[0].display_name,
        'unsubscribe': str(msg['list-unsubscribe']),
        'text': msg.get_body(('plain',)).get_content(),
        'html': msg.get_body(('html',)).get_content(),
        'defects': [str(d) for d in msg.defects] + [str(d) for p in msg.walk() for d in p.defects],
    })
json.dump(out, sys.stdout)
`;
    const parsed = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(messages), encoding: 'utf8' }),
    ) as {
      subject: string;
      from: string;
      unsubscribe: string;
      text: string;
      html: string;
      defects: string[];
    }[];
    const lf = (text: string) => text.replace(/\r\n|\r/g, '\n');
    parsed.forEach((result, i) => {
      const [subjectText, text, html] = samples[i]!;
      expect(result.defects).toEqual([]);
      expect(result.from).toBe('Zürich Wire');
      expect(result.unsubscribe).toBe(`<${BASE.listUnsubscribeUrl}>`);
      // Python's header parser collapses whitespace runs; compare the words.
      expect(result.subject.split(/\s+/).join(' ').trim()).toBe(subjectText.split(/\s+/).join(' ').trim());
      expect(lf(result.text)).toBe(lf(text));
      expect(lf(result.html)).toBe(lf(html));
    });
  });
});

describe('encodeQuotedPrintable', () => {
  it.each([
    ['a=b', 'a=3Db'],
    ['trailing space ', 'trailing space=20'],
    ['trailing tab\t', 'trailing tab=09'],
    ['inner  spaces', 'inner  spaces'],
    ['é', '=C3=A9'],
    ['.starts with a dot', '=2Estarts with a dot'],
    ['From the desk', '=46rom the desk'],
    ['Fromage', 'Fromage'],
    ['one\ntwo\r\nthree\rfour', 'one\r\ntwo\r\nthree\r\nfour'],
    ['line \nnext', 'line=20\r\nnext'],
    ['\u0000\u007F', '=00=7F'],
    ['a\uD800b', 'a=EF=BF=BDb'],
  ])('encodes %j as %j', (text, encoded) => {
    expect(encodeQuotedPrintable(text)).toBe(encoded);
  });

  it('soft-wraps at 76 characters without splitting an escape', () => {
    expect(encodeQuotedPrintable('x'.repeat(76))).toBe('x'.repeat(76));
    expect(encodeQuotedPrintable('x'.repeat(77))).toBe(`${'x'.repeat(75)}=\r\nxx`);
    const encoded = encodeQuotedPrintable(`${'x'.repeat(74)}é`);
    expect(encoded).toBe(`${'x'.repeat(74)}=\r\n=C3=A9`);
    // A dot that lands at the start of a continuation line is escaped too.
    expect(encodeQuotedPrintable(`${'x'.repeat(75)}.y`)).toBe(`${'x'.repeat(75)}=\r\n=2Ey`);
  });

  it('round-trips any text through a strict decoder', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(decodeQuotedPrintable(encodeQuotedPrintable(text))).toBe(canonicalLines(text));
      }),
      { numRuns: 300 },
    );
  });
});
