/** Everything deduplication stores about one text, from a single tokenization. */
import { winnow } from './fingerprints.js';
import { shingleSequenceOfTokens } from './shingle-sequence.js';
import type { DedupFeatures } from './similarity.js';
import { sortedUnique } from './sorted-sets.js';
import { tokenHashes } from './tokens.js';

/**
 * Shingles in the opening: ~28 words, the length of a typical first sentence. Long enough that sharing
 * it is not a coincidence of a stock phrase, short enough that a two-paragraph teaser contains it.
 */
export const LEAD_SHINGLES = 24;

export interface TextFeatures extends Required<DedupFeatures> {
  /** Index keys: `fingerprints(text)`. */
  fingerprints: Uint32Array;
}

/** `shingleSet`, `fingerprints`, the opening's shingles and the word-pair set of `text`. */
export function dedupFeatures(text: string): TextFeatures {
  const tokens = tokenHashes(text);
  const sequence = shingleSequenceOfTokens(tokens);
  return {
    shingles: sortedUnique(sequence),
    fingerprints: sortedUnique(winnow(sequence)),
    lead: sortedUnique(sequence.subarray(0, LEAD_SHINGLES)),
    pairs: sortedUnique(shingleSequenceOfTokens(tokens, 2)),
  };
}
