/**
 * Fingerprints: the shingle hashes used as index keys. Winnowing (Schleimer, Wilkerson, Aiken 2003)
 * keeps the minimum hash of every window of `WINNOW_WINDOW` consecutive shingles. Two texts sharing a
 * run of WINNOW_WINDOW + SHINGLE_WORDS − 1 = 12 consecutive words share that run's windows, hence
 * their minima: at least one common fingerprint is guaranteed, unlike hash-mod sampling. The expected
 * density for random hashes is 2 / (WINNOW_WINDOW + 1) ≈ 0.22 of the shingles.
 */
import { shingleSequence } from './shingle-sequence.js';
import { sortedUnique } from './sorted-sets.js';

export const WINNOW_WINDOW = 8;

/** Minimum of every window of `window` consecutive hashes (one window over all when shorter), in order, repeats included. */
export function winnow(sequence: Uint32Array, window: number = WINNOW_WINDOW): Uint32Array {
  if (sequence.length === 0) return new Uint32Array(0);
  const windows = Math.max(1, sequence.length - window + 1);
  const out = new Uint32Array(windows);
  let minAt = -1;
  for (let start = 0; start < windows; start++) {
    const end = Math.min(sequence.length, start + window);
    if (minAt < start) {
      // The previous minimum left the window: rescan it (rare for random hashes, O(window) each time).
      minAt = start;
      for (let i = start + 1; i < end; i++) if (sequence[i]! <= sequence[minAt]!) minAt = i;
    } else if (sequence[end - 1]! <= sequence[minAt]!) {
      minAt = end - 1;
    }
    out[start] = sequence[minAt]!;
  }
  return out;
}

/** A deterministic sample of the shingle hashes used as index keys: a subset of `shingleSet(text)`, sorted unique. */
export function fingerprints(text: string): Uint32Array {
  return sortedUnique(winnow(shingleSequence(text)));
}
