/** 32-bit hashing for shingles: fast, allocation-free, and identical on every platform. */

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step: folds a UTF-16 code unit into the running hash. */
export function fnvStep(hash: number, codeUnit: number): number {
  return Math.imul(hash ^ codeUnit, FNV_PRIME);
}

/** FNV-1a over the UTF-16 code units of a string, as an unsigned 32-bit integer. */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = fnvStep(hash, text.charCodeAt(i));
  return hash >>> 0;
}

/**
 * MurmurHash3's finaliser. FNV-1a's low bits mix poorly, and winnowing picks window minima, so the
 * shingle hashes must look uniformly random in every bit.
 */
export function fmix32(value: number): number {
  let h = value ^ (value >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Order-sensitive combination of token hashes into one shingle hash. */
export function combineTokenHashes(tokens: Uint32Array, start: number, end: number): number {
  let h = 0x9747b28c ^ (end - start);
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ tokens[i]!, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return fmix32(h);
}
