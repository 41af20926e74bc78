/**
 * The bound on derived dedup features (`core/dedup/derived-cache.ts`): docs beyond it drop their sets,
 * and a dropped doc derives the same sets again, so a build's output cannot depend on the bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { docsHoldingDerived, limitDerivedFeatures } from '../../functions/core/dedup/derived-cache.js';
import { contentFeatures, materialized, storedFeatures } from '../../functions/core/dedup/doc-features.js';
import { createRng } from '../fixtures/rng.js';

const WORDS =
  'council budget vote storm rail bridge school clinic market wheat copper court strike festival museum drought port ferry tunnel mayor senate union airline factory'.split(
    ' ',
  );

/** A headline and four paragraphs of 30 words. */
function text(seed: number): string[] {
  const rng = createRng(seed);
  const line = (words: number) =>
    Array.from({ length: words }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
  return [line(8), line(30), line(30), line(30), line(30)];
}

const copy = (features: ReturnType<typeof materialized>) =>
  JSON.stringify(features, (_key, value) => (value instanceof Uint32Array ? Array.from(value) : value));

let previous: number | undefined;
afterEach(() => {
  if (previous !== undefined) limitDerivedFeatures(previous);
});

describe('derived feature bound', () => {
  it('keeps at most the bound of docs holding sets, and a dropped doc derives the same sets again', () => {
    previous = limitDerivedFeatures(2);
    const docs = Array.from({ length: 6 }, (_, i) =>
      contentFeatures(storedFeatures(text(i + 1), true, new Uint32Array(0))),
    );
    const first = docs.map((doc) => copy(materialized(doc)));
    expect(docsHoldingDerived()).toBeLessThanOrEqual(2);
    // Every doc but the last two was dropped; reading them again gives the same arrays.
    expect(docs.map((doc) => copy(materialized(doc)))).toEqual(first);
    expect(docsHoldingDerived()).toBeLessThanOrEqual(2);
    // Unbounded, the same docs give the same sets too.
    limitDerivedFeatures(1000);
    const unbounded = Array.from({ length: 6 }, (_, i) =>
      copy(materialized(contentFeatures(storedFeatures(text(i + 1), true, new Uint32Array(0))))),
    );
    expect(unbounded).toEqual(first);
  });
});
