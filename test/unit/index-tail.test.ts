/**
 * The corpus indexes' tail (`core/local/index-tail.ts`): an increment stores only its changes, a
 * load replays them, and the indexes then answer and serialize exactly as indexes built from
 * nothing with the same docs; a tail past its limit makes the indexes be stored whole again.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../functions/adapters/memory/memory-blob-store.js';
import { CandidateIndexFormatError } from '../../functions/core/dedup/candidate-index.js';
import { type StoredFeatures, storedFeatures } from '../../functions/core/dedup/doc-features.js';
import { CorpusIndex, INDEX_BLOB } from '../../functions/core/local/corpus-index.js';
import { decodeTail, TAIL_BLOB } from '../../functions/core/local/index-tail.js';
import { createRng } from '../fixtures/rng.js';

const WORDS =
  'council budget vote storm rail bridge school clinic market wheat copper court strike festival museum drought port ferry tunnel mayor senate union airline factory harbour'.split(
    ' ',
  );

/** Doc `n`: a headline, three paragraphs, a line shared by every tenth doc (a template), two entities. */
function doc(n: number): StoredFeatures {
  const rng = createRng(n + 1);
  const line = (words: number) =>
    Array.from({ length: words }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
  const lines = [line(8), line(30), line(30), line(30), `Subscribe to the ${n % 10} desk newsletter today`];
  return storedFeatures(lines, true, Uint32Array.of(n % 7, 100 + (n % 3)).sort());
}

/** Every question the build asks of the indexes, over every third doc's keys. */
function answers(index: CorpusIndex, docs: number): unknown[] {
  const out: unknown[] = [];
  for (let n = 0; n < docs; n += 3) {
    const features = doc(n);
    out.push([...index.fps.candidates(features.fps)].sort((a, b) => a[0] - b[0]));
    out.push([...index.entities.candidates(features.entities)].sort((a, b) => a[0] - b[0]));
  }
  return out;
}

/** Indexes holding docs [from, to) but `removed`, built from nothing. */
function fresh(from: number, to: number, removed: number[] = []): CorpusIndex {
  const index = new CorpusIndex();
  for (let n = from; n < to; n++) if (!removed.includes(n)) index.add(n, doc(n));
  return index;
}

describe('the corpus index tail', () => {
  it('stores an increment as a tail, and replayed it answers and serializes as a clean build', async () => {
    const store = new MemoryBlobStore();
    await fresh(0, 400).save(store);
    const base = store.blobs.get(INDEX_BLOB);
    expect(store.blobs.has(TAIL_BLOB)).toBe(false);

    // Two increments: docs added, a doc removed, a doc removed and added back.
    let index = await CorpusIndex.load(store, false);
    for (let n = 400; n < 410; n++) index.add(n, doc(n));
    index.remove(3, doc(3));
    await index.save(store);
    index = await CorpusIndex.load(store, false);
    index.remove(7, doc(7));
    index.remove(405, doc(405));
    index.add(405, doc(405));
    for (let n = 410; n < 415; n++) index.add(n, doc(n));
    await index.save(store);

    expect(store.blobs.get(INDEX_BLOB)).toBe(base);
    const ops = decodeTail(store.blobs.get(TAIL_BLOB)!);
    expect(ops.map((op) => `${op.remove ? '-' : '+'}${op.docNum}`).slice(10)).toEqual([
      '-3',
      '-7',
      '-405',
      '+405',
      '+410',
      '+411',
      '+412',
      '+413',
      '+414',
    ]);

    const loaded = await CorpusIndex.load(store, false);
    const clean = fresh(0, 415, [3, 7]);
    expect(answers(loaded, 415)).toEqual(answers(clean, 415));
    expect(loaded.fps.serialize()).toEqual(clean.fps.serialize());
    expect(loaded.lines.serialize()).toEqual(clean.lines.serialize());
    expect(loaded.entities.serialize()).toEqual(clean.entities.serialize());
  });

  it('stores the indexes whole once the tail outgrows its limit, and drops the tail', async () => {
    const store = new MemoryBlobStore();
    await fresh(0, 20).save(store);
    const base = store.blobs.get(INDEX_BLOB);
    const index = await CorpusIndex.load(store, false);
    // Far more than a sixteenth of the bases, and more than the 64 KiB every tail may hold.
    for (let n = 20; n < 1500; n++) index.add(n, doc(n));
    await index.save(store);
    expect(store.blobs.has(TAIL_BLOB)).toBe(false);
    expect(store.blobs.get(INDEX_BLOB)).not.toEqual(base);
    const loaded = await CorpusIndex.load(store, false);
    expect(answers(loaded, 1500)).toEqual(answers(fresh(0, 1500), 1500));
  });

  it('refuses a damaged tail as a format error (the state is then rebuilt)', async () => {
    const store = new MemoryBlobStore();
    await fresh(0, 50).save(store);
    const index = await CorpusIndex.load(store, false);
    index.add(50, doc(50));
    await index.save(store);
    const tail = store.blobs.get(TAIL_BLOB)!;
    for (const damaged of [
      tail.subarray(0, tail.length - 4),
      tail.subarray(0, 6),
      Uint8Array.from([...tail, 0, 0, 0, 0]),
      Uint8Array.from(tail, (byte, i) => (i === 12 ? 7 : byte)),
    ]) {
      store.blobs.set(TAIL_BLOB, damaged);
      await expect(CorpusIndex.load(store, false)).rejects.toThrow(CandidateIndexFormatError);
    }
  });
});
