import { firstSentenceEnd } from './sentences.js';

/** Longest derived title before the "…". */
export const DERIVED_TITLE_MAX = 90;

/**
 * A dateline such as `Kabul: `, `NEW DELHI: ` or `KABUL (Reuters) - `: up to four capitalised words,
 * an optional agency in brackets, then a colon or a spaced dash and a capitalised start.
 */
const DATELINE =
  /^\p{Lu}[\p{L}'’.-]*(?:,? \p{Lu}[\p{L}'’.-]*){0,3}(?: \([^()]{1,40}\))?(?::| [—–-]) (?=[\p{Lu}\p{N}"“‘'])/u;
const DATELINE_MAX = 50;
/** What a cut title must not end with: separators, dashes, opening brackets and quotes (a straight quote only after a space). */
const DANGLING_END = /(?:\s["']|[\s,;:–—\-/([“‘«])+$/u;
/** Short words that read badly before the "…". */
const FUNCTION_WORDS = new Set([
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'at',
  'to',
  'by',
  'for',
  'from',
  'with',
  'as',
  'and',
  'or',
  'but',
  'that',
  'its',
  'their',
  'his',
  'her',
]);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * Drops a leading dateline: the body keeps it, but a title starting "Kabul: As the…" reads badly.
 */
export function stripDateline(text: string): string {
  const match = DATELINE.exec(text);
  if (match === null || match[0].length > DATELINE_MAX) return text;
  return text.slice(match[0].length);
}

/** Cuts at the last space (or, in one very long word, the last non-word character) that keeps `max` characters. */
function cutIndex(text: string, max: number): number {
  const space = text.lastIndexOf(' ', max);
  if (space > 0) return space;
  for (let i = max; i > 0; i--) {
    if (WORD_CHAR.test(text[i - 1]!) && !WORD_CHAR.test(text[i]!)) return i;
  }
  // A single "word" longer than the limit (a URL, a hash) has no boundary to cut at; don't split a surrogate pair.
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

function trimDanglingEnd(text: string): string {
  let out = text.replace(DANGLING_END, '');
  for (let words = 0; words < 3; words++) {
    const space = out.lastIndexOf(' ');
    if (space < DERIVED_TITLE_MAX / 2 || !FUNCTION_WORDS.has(out.slice(space + 1).toLowerCase())) break;
    out = out.slice(0, space).replace(DANGLING_END, '');
  }
  return out;
}

/** Shortens a sentence to at most `max` characters plus "…", never cutting inside a word. */
export function shortenTitle(sentence: string, max = DERIVED_TITLE_MAX): string {
  if (sentence.length <= max) {
    // A headline has no full stop; an ellipsis, "?" or "!" is kept.
    return sentence.endsWith('.') && !sentence.endsWith('..') ? sentence.slice(0, -1) : sentence;
  }
  const head = trimDanglingEnd(sentence.slice(0, cutIndex(sentence, max)));
  return `${head === '' ? sentence.slice(0, cutIndex(sentence, max)) : head}…`;
}

/** The title of an article without a headline: its first sentence, after any dateline, shortened. */
export function deriveTitle(firstBlock: string): string {
  const text = stripDateline(firstBlock);
  return shortenTitle(text.slice(0, firstSentenceEnd(text)).trim());
}
