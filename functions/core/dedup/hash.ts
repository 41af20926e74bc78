/**
 * 32-bit hashing for shingles: fast, allocation-free, identical on every platform.
 * The hot loops (tokens.ts, shingle-sequence.ts) inline these steps rather than call them: a call
 * through a transpiled module binding (tsx, vitest) costs more than the hashing itself.
 */

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of a string, as an unsigned 32-bit integer. */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
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

/**
 * Order-sensitive combination of token hashes [start, end) into one shingle hash (a MurmurHash2-style
 * mix per token, then `fmix32`).
 */
export function combineTokenHashes(tokens: Uint32Array, start: number, end: number): number {
  let h = 0x9747b28c ^ (end - start);
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ tokens[i]!, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return fmix32(h);
}
