/**
 * Word shingles in text order. A shingle is a run of `SHINGLE_WORDS` consecutive tokens, hashed to
 * 32 bits by combining the tokens' hashes (no string per shingle). Shingles run across paragraph
 * breaks, so splitting or joining paragraphs does not change a text's shingles.
 */
import { combineTokenHashes } from './hash.js';
import { tokenHashes } from './tokens.js';

export const SHINGLE_WORDS = 5;

/** Shingle hashes of a token-hash sequence, in order, repeats included. */
export function shingleSequenceOfTokens(tokens: Uint32Array, k: number = SHINGLE_WORDS): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  if (tokens.length < k) return Uint32Array.of(combineTokenHashes(tokens, 0, tokens.length));
  const out = new Uint32Array(tokens.length - k + 1);
  // combineTokenHashes, inlined (see hash.ts).
  for (let i = 0; i < out.length; i++) {
    let h = 0x9747b28c ^ k;
    for (let j = i; j < i + k; j++) {
      h = Math.imul(h ^ tokens[j]!, 0x5bd1e995);
      h ^= h >>> 15;
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    out[i] = h >>> 0;
  }
  return out;
}

let memoText: string | undefined;
let memoSequence: Uint32Array = new Uint32Array(0);

/**
 * Hashes of the word 5-shingles of `text` in order, repeats included. A text of fewer than five words
 * (but at least one) has a single shingle of all its words; a text without words has none.
 * The last result is memoised because `shingleSet` and `fingerprints` are called on the same text in
 * turn; callers must not modify the returned array.
 */
export function shingleSequence(text: string): Uint32Array {
  if (text !== memoText) {
    memoSequence = shingleSequenceOfTokens(tokenHashes(text));
    memoText = text;
  }
  return memoSequence;
}
