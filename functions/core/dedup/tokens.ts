/**
 * Word tokens of normalised text. One scanner serves both `tokenize` (strings, for inspection and
 * tests) and `tokenHashes` (hashes only, no string per token: shingling runs on every article).
 */

import { normalizeForComparison } from './normalize-text.js';

const APOSTROPHE = 0x27;
// FNV-1a constants inlined (see hash.ts).
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
/** Lazily filled class of each BMP code unit: 0 unknown, 1 word character, 2 separator. */
const bmpClass = new Uint8Array(0x10000);

function isWordCodePoint(codePoint: number): boolean {
  if (codePoint < 0x80) {
    return (
      (codePoint >= 0x61 && codePoint <= 0x7a) ||
      (codePoint >= 0x30 && codePoint <= 0x39) ||
      (codePoint >= 0x41 && codePoint <= 0x5a)
    );
  }
  if (codePoint > 0xffff) return WORD_CHAR.test(String.fromCodePoint(codePoint));
  let cls = bmpClass[codePoint]!;
  if (cls === 0) {
    // Surrogate halves never reach here as code points, so fromCharCode is exact.
    cls = WORD_CHAR.test(String.fromCharCode(codePoint)) ? 1 : 2;
    bmpClass[codePoint] = cls;
  }
  return cls === 1;
}

/** 1 for the ASCII letters and digits: the hot path of the scanner never leaves this table for English text. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = isWordCodePoint(c) ? 1 : 0;

/** Length in code units of the word character at `i`, or 0 when the character there is not a word character. */
function wordCharLength(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (unit < 0x80) return ASCII_WORD[unit]!;
  if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      return isWordCodePoint(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000) ? 2 : 0;
    }
  }
  return isWordCodePoint(unit) ? 1 : 0;
}

/**
 * Token boundaries as [start, end) pairs of code-unit offsets. Tokens are maximal runs of letters,
 * marks and digits; an apostrophe between two word characters joins them (and is later dropped:
 * "don't" → "dont"); any other character separates words.
 */
function tokenBounds(text: string): { bounds: Uint32Array; count: number } {
  const length = text.length;
  // A token takes at least one code unit plus a separator, so this bound is never exceeded.
  const bounds = new Uint32Array(((length >>> 1) + 1) * 2);
  let count = 0;
  let start = -1;
  let i = 0;
  while (i < length) {
    const step = wordCharLength(text, i);
    if (step > 0) {
      if (start < 0) start = i;
      i += step;
      continue;
    }
    if (start >= 0) {
      if (text.charCodeAt(i) === APOSTROPHE && i + 1 < length && wordCharLength(text, i + 1) > 0) {
        i++;
        continue;
      }
      bounds[count * 2] = start;
      bounds[count * 2 + 1] = i;
      count++;
      start = -1;
    }
    i++;
  }
  if (start >= 0) {
    bounds[count * 2] = start;
    bounds[count * 2 + 1] = length;
    count++;
  }
  return { bounds, count };
}

/** Normalised word tokens: NFKC, lower case, HTML entities decoded, typographic quotes/dashes folded, punctuation stripped. */
export function tokenize(text: string): string[] {
  const normalized = normalizeForComparison(text);
  const { bounds, count } = tokenBounds(normalized);
  const tokens: string[] = new Array(count);
  for (let t = 0; t < count; t++) {
    const token = normalized.slice(bounds[t * 2], bounds[t * 2 + 1]);
    tokens[t] = token.includes("'") ? token.replaceAll("'", '') : token;
  }
  return tokens;
}

/**
 * FNV-1a hash of each token of `tokenize(text)`, in order, without building the token strings. One
 * pass with the ASCII test inlined: this runs on every article, and the general path is 4× slower.
 */
export function tokenHashes(text: string): Uint32Array {
  const normalized = normalizeForComparison(text);
  const length = normalized.length;
  // A token takes at least one code unit plus a separator, so this bound is never exceeded.
  const out = new Uint32Array((length >>> 1) + 1);
  let count = 0;
  let hash = FNV_OFFSET;
  let inWord = false;
  let i = 0;
  while (i < length) {
    const unit = normalized.charCodeAt(i);
    const step = unit < 0x80 ? ASCII_WORD[unit]! : wordCharLength(normalized, i);
    if (step > 0) {
      if (!inWord) {
        hash = FNV_OFFSET;
        inWord = true;
      }
      hash = Math.imul(hash ^ unit, FNV_PRIME);
      if (step === 2) hash = Math.imul(hash ^ normalized.charCodeAt(i + 1), FNV_PRIME);
      i += step;
      continue;
    }
    if (inWord) {
      if (unit === APOSTROPHE && i + 1 < length && wordCharLength(normalized, i + 1) > 0) {
        i++;
        continue;
      }
      out[count++] = hash >>> 0;
      inWord = false;
    }
    i++;
  }
  if (inWord) out[count++] = hash >>> 0;
  return out.subarray(0, count);
}
