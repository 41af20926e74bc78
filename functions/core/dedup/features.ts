/** Everything deduplication compares about one text, from a single tokenization. */
import { type ContentFeatures, LEAD_SHINGLES, textFeatures } from './doc-features.js';

export { LEAD_SHINGLES };

export interface TextFeatures extends ContentFeatures {
  /** Index keys: `fingerprints(text)`. */
  fingerprints: Uint32Array;
}

/**
 * `shingleSet`, `fingerprints`, the opening's shingles, the word-pair set and the opening lines of
 * `text` (lines separated by "\n"), read as a text without a headline.
 */
export function dedupFeatures(text: string): TextFeatures {
  return headlinedFeatures(text, false);
}

/** `dedupFeatures`, with `headline` saying whether the first line is an author-written headline. */
export function headlinedFeatures(text: string, headline: boolean): TextFeatures {
  const { stored: _stored, ...features } = textFeatures(text, headline);
  return features;
}
