/**
 * The bound on derived dedup features held in memory. A doc derives its comparison sets (shingles,
 * pairs, triples, line and passage pairs) from its tokens on first use (`doc-features.ts`). A build
 * compares a doc with the docs of its own story, near it in date order, so the sets used recently are
 * the ones used again. Unbounded, every doc of a cold build kept its sets to the end: about 10 KB and
 * 40 typed arrays a doc, 100 MB of a 10,000-article build's peak and ten times that at 100,000. Beyond
 * the bound, the least recently used doc drops its sets and derives them again if it is compared later:
 * the same arrays, so a build's output does not depend on the bound.
 */

export type Sets = { words: number; pairs: Uint32Array }[];
/** What a doc derives from its tokens on first use (`LazyFeatures` in `doc-features.ts`), and drops beyond the bound. */
export interface Derived {
  sequence: Uint32Array;
  tripleSequence: Uint32Array;
  shingles: Uint32Array;
  lead: Uint32Array;
  pairs: Uint32Array;
  triples: Uint32Array;
  opening: Uint32Array;
  linePairs: Sets;
  passagePairs: Sets;
}

export interface HoldsDerived {
  dropDerived(): void;
}

let bound = 4_000;
/** The docs holding derived sets, least recently used first (a Map keeps insertion order). */
const holding = new Map<HoldsDerived, true>();
let newest: HoldsDerived | undefined;

/** Marks `doc` as the most recently used one holding sets, and drops the sets beyond the bound. */
export function usedDerived(doc: HoldsDerived): void {
  if (newest === doc) return;
  newest = doc;
  holding.delete(doc);
  holding.set(doc, true);
  while (holding.size > bound) {
    const oldest = holding.keys().next().value!;
    holding.delete(oldest);
    if (oldest === newest) newest = undefined;
    oldest.dropDerived();
  }
}

/** Sets the bound (for tests); returns the previous one. */
export function limitDerivedFeatures(docs: number): number {
  const previous = bound;
  bound = docs;
  return previous;
}

/** How many docs hold derived sets now. */
export const docsHoldingDerived = () => holding.size;
