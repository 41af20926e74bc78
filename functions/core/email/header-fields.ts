/**
 * Header fields as RFC 5322 text: values are checked for injection, folded with CRLF + space, and
 * anything that is not plain printable ASCII is written as RFC 2047 `=?UTF-8?B?…?=` words.
 * Every line produced is at most 998 characters; lines holding encoded words at most 76.
 */
import { normalizeAddress } from './address.js';
import { HeaderInjectionError, MimeInputError } from './mime-errors.js';

const FOLD_TARGET = 78;
const ENCODED_LINE_LIMIT = 76;
const HARD_LIMIT = 998;
const ENCODED_WORD_MAX = 75;
/** `=?UTF-8?B?` + `?=` */
const ENCODED_WORD_OVERHEAD = 12;
/** Room for the longest UTF-8 character, whatever the budget of the first line. */
const MIN_WORD_BYTES = 6;
/** RFC 5322 ftext: printable ASCII except the colon; short enough to leave room on its line. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]{1,76}$/;
/** Printable ASCII words separated by single spaces: safe to fold at the spaces and read back unchanged. */
const PLAIN_WORDS = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;
/** Atoms separated by single spaces: a display name that needs no quoting. */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const LINE_BREAK = /[\r\n]/;

export function assertNoLineBreak(what: string, value: string): void {
  if (typeof value !== 'string') throw new MimeInputError(`${what} must be text`);
  if (LINE_BREAK.test(value)) throw new HeaderInjectionError(`${what} contains CR or LF`);
}

export function assertFieldName(name: string): void {
  assertNoLineBreak('header name', name);
  if (!FIELD_NAME.test(name)) throw new MimeInputError(`"${name}" is not a valid header name`);
}

/** A free-text field such as Subject: kept as is when it is short plain ASCII, encoded otherwise. */
export function unstructuredField(name: string, value: string): string {
  assertNoLineBreak(name, value);
  if (value === '') return `${name}:`;
  // `=?` would be read back as the start of an encoded word.
  if (PLAIN_WORDS.test(value) && !value.includes('=?')) {
    const folded = fold(name, value.split(' '), FOLD_TARGET);
    if (folded) return folded;
  }
  return fold(name, encodedWords(value, name.length + 2), ENCODED_LINE_LIMIT)!;
}

/**
 * An address field (From, To) from `addr@example.org`, `Name <addr@example.org>` or
 * `"Name" <addr@example.org>`. The address must pass `normalizeAddress`; the display name is
 * written as atoms, a quoted string or encoded words, whichever it needs.
 */
export function addressField(name: string, value: string): string {
  assertNoLineBreak(name, value);
  const match = /^(.*)<([^<>]*)>\s*$/s.exec(value);
  const rawAddress = match ? match[2]! : value;
  const address = normalizeAddress(rawAddress);
  if (!address.ok) throw new MimeInputError(`${name}: ${address.reason}`);
  const displayName = unquote(match ? match[1]!.trim() : '');
  if (displayName === '') return `${name}: ${address.address}`;
  const bracketed = `<${address.address}>`;
  if (!displayName.includes('=?')) {
    if (PLAIN_PHRASE.test(displayName)) {
      const folded = fold(name, [...displayName.split(' '), bracketed], FOLD_TARGET);
      if (folded) return folded;
    } else if (PRINTABLE_ASCII.test(displayName)) {
      const folded = fold(name, [`"${displayName.replace(/[\\"]/g, '\\$&')}"`, bracketed], FOLD_TARGET);
      if (folded) return folded;
    }
  }
  return fold(name, [...encodedWords(displayName, name.length + 2), bracketed], ENCODED_LINE_LIMIT)!;
}

function unquote(displayName: string): string {
  const quoted = /^"(.*)"$/s.exec(displayName);
  return quoted ? quoted[1]!.replace(/\\(.)/gs, '$1') : displayName;
}

/**
 * Joins tokens with a space, moving a token to a new line (CRLF + space) when the current line
 * would pass `limit`. Unfolding only removes the CRLFs, so the value reads back unchanged.
 * Undefined when a single token is too long for any line.
 */
function fold(name: string, tokens: string[], limit: number): string | undefined {
  const lines: string[] = [];
  let line = `${name}:`;
  let lineHasToken = false;
  for (const token of tokens) {
    if (lineHasToken && line.length + 1 + token.length > limit) {
      lines.push(line);
      line = '';
    }
    line += ` ${token}`;
    lineHasToken = true;
  }
  lines.push(line);
  if (lines.some((text) => text.length > HARD_LIMIT)) return undefined;
  return lines.join('\r\n');
}

/**
 * RFC 2047 B-encoded words, each holding whole characters (a character never straddles two
 * words). The first word is sized to share its line with `usedOnFirstLine` characters.
 */
export function encodedWords(text: string, usedOnFirstLine: number): string[] {
  const words: string[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let budget = wordBytes(ENCODED_LINE_LIMIT - usedOnFirstLine);
  const flush = () => {
    words.push(`=?UTF-8?B?${Buffer.concat(pending).toString('base64')}?=`);
    pending = [];
    pendingBytes = 0;
    budget = wordBytes(ENCODED_WORD_MAX);
  };
  for (const char of text) {
    const bytes = Buffer.from(char, 'utf8');
    if (pendingBytes + bytes.length > budget && pendingBytes > 0) flush();
    pending.push(bytes);
    pendingBytes += bytes.length;
  }
  if (pendingBytes > 0 || words.length === 0) flush();
  return words;
}

/** How many bytes fit in an encoded word of at most `chars` characters. */
function wordBytes(chars: number): number {
  return Math.max(MIN_WORD_BYTES, Math.floor((chars - ENCODED_WORD_OVERHEAD) / 4) * 3);
}
