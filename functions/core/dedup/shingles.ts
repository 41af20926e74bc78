/** The shingle set of a text: what two articles are compared on. */
import { shingleSequence } from './shingle-sequence.js';
import { sortedUnique } from './sorted-sets.js';

// Re-exported so that callers computing both find them in one place.
export { fingerprints } from './fingerprints.js';
export { SHINGLE_WORDS } from './shingle-sequence.js';
export { tokenize } from './tokens.js';

/** Sorted unique 32-bit hashes of the word k-shingles (k = 5; for texts shorter than k words, one shingle of the whole text). */
export function shingleSet(text: string): Uint32Array {
  return sortedUnique(shingleSequence(text));
}
