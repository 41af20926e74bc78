/**
 * The local pipeline's persisted indexes over the stored corpus: fingerprint → docs (candidate lookup),
 * line → docs (what the template learning counts), entity → docs (related coverage), and the set of
 * lines learned to be template. Each is a blob beside the state; all are rebuilt from nothing on a
 * cold build.
 */
import { CandidateIndex, UNCAPPED } from '../dedup/candidate-index.js';
import { lineHashSet, type StoredFeatures } from '../dedup/doc-features.js';
import type { BlobStore } from '../ports.js';

export const INDEX_BLOB = 'index.bin';
export const LINES_BLOB = 'lines.bin';
export const ENTITIES_BLOB = 'entities.bin';
export const TEMPLATES_BLOB = 'templates.bin';

export class StateMissingError extends Error {
  override name = 'StateMissingError';
  constructor(blob: string) {
    super(`state is missing ${blob}; delete the state folder to rebuild`);
  }
}

export class CorpusIndex {
  constructor(
    /** Winnowed fingerprints → docNums, uncapped (frequent keys are skipped at lookup, not dropped). */
    readonly fps: CandidateIndex = new CandidateIndex({ postingCap: UNCAPPED }),
    /** Line hashes → docNums. */
    readonly lines: CandidateIndex = new CandidateIndex({ postingCap: UNCAPPED }),
    /** Entity hashes → docNums. */
    readonly entities: CandidateIndex = new CandidateIndex({ postingCap: UNCAPPED }),
    /** Line hashes learned to be template. */
    readonly templates: Set<number> = new Set(),
  ) {}

  /** Loads the indexes; an empty corpus has none yet. */
  static async load(store: BlobStore, empty: boolean): Promise<CorpusIndex> {
    if (empty) return new CorpusIndex();
    const read = async (blob: string) => {
      const bytes = await store.get(blob);
      if (!bytes) throw new StateMissingError(blob);
      return bytes;
    };
    const templates = await read(TEMPLATES_BLOB);
    const aligned = templates.byteOffset % 4 === 0 ? templates : templates.slice();
    return new CorpusIndex(
      CandidateIndex.deserialize(await read(INDEX_BLOB)),
      CandidateIndex.deserialize(await read(LINES_BLOB)),
      CandidateIndex.deserialize(await read(ENTITIES_BLOB)),
      new Set(new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2)),
    );
  }

  async save(store: BlobStore): Promise<void> {
    await store.put(INDEX_BLOB, this.fps.serialize());
    await store.put(LINES_BLOB, this.lines.serialize());
    await store.put(ENTITIES_BLOB, this.entities.serialize());
    const templates = Uint32Array.from(this.templates).sort();
    await store.put(TEMPLATES_BLOB, new Uint8Array(templates.buffer));
  }

  add(docNum: number, doc: StoredFeatures): void {
    this.fps.add(docNum, doc.fps);
    this.lines.add(docNum, lineHashSet(doc));
    this.entities.add(docNum, doc.entities);
  }

  remove(docNum: number, doc: StoredFeatures): void {
    this.fps.remove(docNum, doc.fps);
    this.lines.remove(docNum, lineHashSet(doc));
    this.entities.remove(docNum, doc.entities);
  }

  isTemplate = (lineHash: number): boolean => this.templates.has(lineHash);
}
