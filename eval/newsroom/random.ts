/** Random choices for the newsroom corpus, all drawn from the fixtures' seeded PRNG. */
import { createRng, type Rng } from '../../test/fixtures/rng.js';

export { createRng, type Rng };

/** A 32-bit seed mixed from several integers (splitmix-style), so that sub-streams do not correlate. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = (h + Math.imul(Math.floor(part / 4294967296) | 0, 0x27d4eb2f)) | 0;
  }
  return h >>> 0;
}

/** A PRNG of its own for one named purpose of one corpus. */
export function subRng(...parts: number[]): Rng {
  return createRng(mixSeed(...parts));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** An integer in [min, max], both included. */
export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `count` distinct items (all of them when there are fewer). */
export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  return shuffled(rng, items).slice(0, count);
}

/** An index drawn with the given (non-negative) weights. */
export function weighted(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** `x` rounded up or down at random so that the expectation is `x`. */
export function roundRandom(rng: Rng, x: number): number {
  const floor = Math.floor(x);
  return floor + (rng() < x - floor ? 1 : 0);
}
