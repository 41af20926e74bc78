import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CandidateIndex,
  CandidateIndexFormatError,
  DEFAULT_POSTING_CAP,
} from '../../functions/core/dedup/candidate-index.js';
import { fingerprints } from '../../functions/core/dedup/shingles.js';
import { createRng, readSeeds, truncatedThird, withBoilerplate } from '../fixtures/syndication.js';

const fps = (...values: number[]) => Uint32Array.from(values).sort();

/** Reference model: fingerprint → set of docNums, no cap. */
class ModelIndex {
  readonly postings = new Map<number, Set<number>>();
  readonly docs = new Set<number>();
  add(docNum: number, keys: Uint32Array) {
    for (const fp of keys) {
      const set = this.postings.get(fp) ?? new Set<number>();
      set.add(docNum);
      this.postings.set(fp, set);
    }
    this.docs.add(docNum);
  }
  remove(docNum: number, keys: Uint32Array) {
    for (const fp of keys) this.postings.get(fp)?.delete(docNum);
    this.docs.delete(docNum);
  }
  candidates(keys: Uint32Array, minShared = 1): Map<number, number> {
    const counts = new Map<number, number>();
    for (const fp of keys)
      for (const docNum of this.postings.get(fp) ?? []) counts.set(docNum, (counts.get(docNum) ?? 0) + 1);
    for (const [docNum, shared] of counts) if (shared < minShared) counts.delete(docNum);
    return counts;
  }
}

const sortedEntries = (map: Map<number, number>) => [...map].sort((a, b) => a[0] - b[0]);

describe('CandidateIndex', () => {
  it('finds docs sharing fingerprints, with the shared count', () => {
    const index = new CandidateIndex();
    index.add(1, fps(10, 20, 30, 40));
    index.add(2, fps(30, 40, 50));
    index.add(3, fps(99));
    expect(sortedEntries(index.candidates(fps(20, 30, 40, 60)))).toEqual([
      [1, 3],
      [2, 2],
    ]);
    expect(sortedEntries(index.candidates(fps(20, 30, 40, 60), 3))).toEqual([[1, 3]]);
    expect(index.candidates(fps(7)).size).toBe(0);
    expect(index.size).toBe(3);
  });

  it('finds the seed copies through their fingerprints, sharing all of them', () => {
    const seeds = readSeeds();
    const index = new CandidateIndex();
    seeds.forEach((seed, docNum) => {
      index.add(docNum, fingerprints(seed.text));
    });
    // Copies share all their fingerprints; look-alikes share a few (002 quotes 000's lead paragraph),
    // which is why every candidate is verified exactly.
    const teaserFps = fingerprints(truncatedThird(seeds[0]!.text));
    const teaser = index.candidates(teaserFps);
    expect(teaser.get(0)).toBe(teaserFps.length);
    expect(teaser.get(1)).toBe(teaserFps.length);
    for (const other of [2, 3, 4]) expect(teaser.get(other) ?? 0).toBeLessThan(teaserFps.length / 2);
    const outletCopy = index.candidates(fingerprints(withBoilerplate(seeds[3]!.text)));
    expect(outletCopy.get(3)).toBe(fingerprints(seeds[3]!.text).length);
    for (const other of [0, 1, 2, 4]) expect(outletCopy.get(other) ?? 0).toBeLessThanOrEqual(2);
  });

  it('removes a doc from the given fingerprints', () => {
    const index = new CandidateIndex();
    index.add(1, fps(10, 20));
    index.add(2, fps(10, 20));
    index.remove(1, fps(10, 20));
    expect(sortedEntries(index.candidates(fps(10, 20)))).toEqual([[2, 2]]);
    expect(index.size).toBe(1);
    // Re-adding after a removal works, before and after a round trip.
    index.add(1, fps(20));
    expect(sortedEntries(index.candidates(fps(10, 20)))).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const loaded = CandidateIndex.deserialize(index.serialize());
    loaded.remove(2, fps(10, 20));
    loaded.add(2, fps(30));
    expect(sortedEntries(loaded.candidates(fps(10, 20, 30)))).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(loaded.size).toBe(2);
  });

  it('caps postings at the lowest docNums, whatever the order of additions', () => {
    const cap = 4;
    const order = [9, 3, 7, 1, 8, 2, 6, 5, 4, 0];
    const index = new CandidateIndex({ postingCap: cap });
    for (const docNum of order) index.add(docNum, fps(42, 1000 + docNum));
    expect(index.posting(42)).toEqual([0, 1, 2, 3]);
    expect(index.candidates(fps(42)).size).toBe(cap);
    // Docs stay findable through their other fingerprints.
    expect([...index.candidates(fps(1009)).keys()]).toEqual([9]);
    const loaded = CandidateIndex.deserialize(index.serialize());
    expect(loaded.postingCap).toBe(cap);
    expect(loaded.posting(42)).toEqual([0, 1, 2, 3]);
    loaded.add(100, fps(42));
    expect(loaded.posting(42)).toEqual([0, 1, 2, 3]);
    expect(new CandidateIndex().postingCap).toBe(DEFAULT_POSTING_CAP);
    expect(() => new CandidateIndex({ postingCap: 0 })).toThrow(RangeError);
  });

  it('serializes deterministically, whatever the order of additions', () => {
    const docs = Array.from({ length: 50 }, (_, docNum) => {
      const rng = createRng(docNum + 1);
      return fps(...Array.from({ length: 20 }, () => Math.floor(rng() * 4000)));
    });
    const forward = new CandidateIndex();
    docs.forEach((keys, docNum) => {
      forward.add(docNum, keys);
    });
    const backward = new CandidateIndex();
    for (let docNum = docs.length - 1; docNum >= 0; docNum--) backward.add(docNum, docs[docNum]!);
    const [a, b] = [backward.serialize(), forward.serialize()];
    // Buffer.equals: a deep toEqual over 270 kB of bytes is needlessly slow.
    expect(a.length).toBe(b.length);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('loads from an unaligned view and refuses corrupt bytes', () => {
    const index = new CandidateIndex();
    index.add(7, fps(1, 0xffffffff, 0x12345678));
    const bytes = index.serialize();
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const loaded = CandidateIndex.deserialize(padded.subarray(3));
    expect([...loaded.candidates(fps(0xffffffff)).keys()]).toEqual([7]);

    expect(() => CandidateIndex.deserialize(bytes.subarray(0, 16))).toThrow(CandidateIndexFormatError);
    expect(() => CandidateIndex.deserialize(bytes.subarray(0, bytes.length - 4))).toThrow(
      CandidateIndexFormatError,
    );
    const badMagic = bytes.slice();
    badMagic[0] = badMagic[0]! ^ 0xff;
    expect(() => CandidateIndex.deserialize(badMagic)).toThrow(CandidateIndexFormatError);
    const badVersion = bytes.slice();
    badVersion[4] = 99;
    expect(() => CandidateIndex.deserialize(badVersion)).toThrow(/version/);
  });

  it('behaves like a plain map of sets through adds, removes and round trips', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        docNum: fc.integer({ min: 0, max: 30 }),
        keys: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }),
      }),
      fc.record({ kind: fc.constant('remove' as const), docNum: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('roundTrip' as const) }),
      fc.record({
        kind: fc.constant('query' as const),
        keys: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }),
        minShared: fc.integer({ min: 1, max: 3 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let index = new CandidateIndex({ postingCap: 1000 });
        const model = new ModelIndex();
        const added = new Map<number, Uint32Array>();
        for (const step of ops) {
          if (step.kind === 'add') {
            // Keys spread over the whole uint32 range, so several directory buckets are used.
            const keys = fps(...step.keys.map((key) => (key * 0x4000001) >>> 0));
            index.add(step.docNum, keys);
            model.add(step.docNum, keys);
            added.set(step.docNum, fps(...(added.get(step.docNum) ?? []), ...keys));
          } else if (step.kind === 'remove') {
            const keys = added.get(step.docNum) ?? fps();
            index.remove(step.docNum, keys);
            model.remove(step.docNum, keys);
            added.delete(step.docNum);
          } else if (step.kind === 'roundTrip') {
            index = CandidateIndex.deserialize(index.serialize());
          } else {
            const keys = fps(...step.keys.map((key) => (key * 0x4000001) >>> 0));
            expect(sortedEntries(index.candidates(keys, step.minShared))).toEqual(
              sortedEntries(model.candidates(keys, step.minShared)),
            );
          }
          expect(index.size).toBe(model.docs.size);
        }
        const everything = fps(...Array.from({ length: 61 }, (_, key) => (key * 0x4000001) >>> 0));
        expect(sortedEntries(index.candidates(everything))).toEqual(
          sortedEntries(model.candidates(everything)),
        );
      }),
      { numRuns: 300 },
    );
  });
});
