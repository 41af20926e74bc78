/**
 * The local pipeline's persisted indexes over the stored corpus: fingerprint → docs (candidate lookup),
 * line → docs (what the template learning counts), entity → docs (related coverage), and the set of
 * lines learned to be template. Each is a blob beside the state; all are rebuilt from nothing on a
 * cold build.
 */
import { CandidateIndex, UNCAPPED } from '../dedup/candidate-index.js';
import { lineHashSet, type StoredFeatures } from '../dedup/doc-features.js';
import type { BlobStore } from '../ports.js';
import { decodeTail, IndexJournal, type IndexOp, TAIL_BLOB } from './index-tail.js';

/** A tail this small is always kept, however small the bases (a first increment after a tiny cold build). */
const TAIL_MIN_BYTES = 1 << 16;

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

  /**
   * Changes since the stored bases (see `index-tail.ts`); undefined when the indexes must be stored
   * whole (none stored yet, or past the limit).
   */
  private journal: IndexJournal | undefined;
  /** Bytes of the stored bases: the tail is kept while it is under a sixteenth of them. */
  private baseBytes = 0;

  /** Loads the indexes, and replays the changes stored since; an empty corpus has none yet. */
  static async load(store: BlobStore, empty: boolean): Promise<CorpusIndex> {
    if (empty) return new CorpusIndex();
    const read = async (blob: string) => {
      const bytes = await store.get(blob);
      if (!bytes) throw new StateMissingError(blob);
      return bytes;
    };
    const templates = await read(TEMPLATES_BLOB);
    const aligned = templates.byteOffset % 4 === 0 ? templates : templates.slice();
    const bases = [await read(INDEX_BLOB), await read(LINES_BLOB), await read(ENTITIES_BLOB)];
    const index = new CorpusIndex(
      CandidateIndex.deserialize(bases[0]!),
      CandidateIndex.deserialize(bases[1]!),
      CandidateIndex.deserialize(bases[2]!),
      new Set(new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2)),
    );
    index.baseBytes = bases.reduce((sum, bytes) => sum + bytes.length, 0);
    index.journal = new IndexJournal();
    const tail = await store.get(TAIL_BLOB);
    if (tail) for (const op of decodeTail(tail)) index.apply(op);
    return index;
  }

  async save(store: BlobStore): Promise<void> {
    const merged = this.fps.merges + this.lines.merges + this.entities.merges > 0;
    const journal = this.journal;
    if (journal && !merged && journal.bytes <= this.tailLimit) {
      await store.put(TAIL_BLOB, journal.encode());
    } else {
      await store.put(INDEX_BLOB, this.fps.serialize());
      await store.put(LINES_BLOB, this.lines.serialize());
      await store.put(ENTITIES_BLOB, this.entities.serialize());
      await store.delete(TAIL_BLOB);
    }
    const templates = Uint32Array.from(this.templates).sort();
    await store.put(TEMPLATES_BLOB, new Uint8Array(templates.buffer));
  }

  add(docNum: number, doc: StoredFeatures): void {
    this.apply({ remove: false, docNum, fps: doc.fps, lines: lineHashSet(doc), entities: doc.entities });
  }

  remove(docNum: number, doc: StoredFeatures): void {
    this.apply({ remove: true, docNum, fps: doc.fps, lines: lineHashSet(doc), entities: doc.entities });
  }

  /** The largest tail kept: a sixteenth of the bases, and never under `TAIL_MIN_BYTES`. */
  private get tailLimit(): number {
    return Math.max(TAIL_MIN_BYTES, this.baseBytes / 16);
  }

  private apply(op: IndexOp): void {
    const { docNum } = op;
    const verb = op.remove ? 'remove' : 'add';
    this.fps[verb](docNum, op.fps);
    this.lines[verb](docNum, op.lines);
    this.entities[verb](docNum, op.entities);
    // A cold build's journal would be the whole corpus: it is dropped once past the limit of any tail.
    if (this.journal && this.journal.bytes > this.tailLimit) this.journal = undefined;
    this.journal?.record(op);
  }

  isTemplate = (lineHash: number): boolean => this.templates.has(lineHash);
}
