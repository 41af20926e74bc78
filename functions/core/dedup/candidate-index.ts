/**
 * In-memory inverted index fingerprint → docNums: finds the few stored articles worth verifying
 * against a new one, without comparing it with the whole corpus.
 *
 * Three layers, so that loading is cheap and adding is cheap:
 * - the base, frozen and sorted, in exactly the serialized layout: loading is a handful of
 *   typed-array views, with no per-entry allocation;
 * - a log of pending additions (two growable typed arrays), sorted lazily when a lookup needs it;
 * - copy-on-write posting lists for the fingerprints touched by `remove` (removals are rare).
 * They are merged into a new base when the log outgrows the base, and on `serialize`.
 *
 * Base layout, sorted by (fingerprint, docNum): the top 16 bits of a fingerprint select a bucket
 * through a directory of 65,537 offsets; within it, `lows` holds the low 16 bits and `docs` the
 * docNum of each posting. 6 bytes per posting, found by binary search within the bucket
 * (`posting-runs.ts`; the bytes: `candidate-index-format.ts`).
 */
import { CandidateIndexFormatError, decodeBase, encodeBase } from './candidate-index-format.js';
import { type Base, BUCKETS, insertSorted, lowerBound, mergeRuns, TWO_POW_32 } from './posting-runs.js';

export { CandidateIndexFormatError };

/** Docs under a key before it is frequent (evidence of nothing): every index and lookup, local and cloud. */
export const DEFAULT_POSTING_CAP = 64;
/** For indexes that must know every doc under a key (line and entity statistics). */
export const UNCAPPED = 0xffffffff;

/** Pending additions that trigger a merge at least: the log is then allowed to grow as large as the base. */
const MIN_PENDING_BEFORE_MERGE = 1 << 20;

export interface CandidateIndexOptions {
  /**
   * Most docNums kept per fingerprint. A fingerprint shared by more docs (boilerplate, or a story with
   * very many copies) keeps the `postingCap` lowest docNums, i.e. the earliest articles, so a lookup
   * costs at most `postingCap` per fingerprint however large the corpus grows.
   */
  postingCap?: number;
}

/** Pending additions sorted by (fingerprint, docNum): a bucket directory and keys low16 × 2³² + docNum (exact in a double). */
interface SortedPending {
  dir: Uint32Array;
  keys: Float64Array;
}

const EMPTY_BASE: Base = {
  dir: new Uint32Array(BUCKETS + 1),
  lows: new Uint16Array(0),
  docs: new Uint32Array(0),
  docList: new Uint32Array(0),
};

const EMPTY_KEYS = new Float64Array(0);

function checkDocNum(docNum: number): void {
  if (!Number.isInteger(docNum) || docNum < 0 || docNum > 0xffffffff) {
    throw new RangeError(`docNum must be a uint32, got ${docNum}`);
  }
}

export class CandidateIndex {
  readonly postingCap: number;
  private base: Base = EMPTY_BASE;
  private pendingFps = new Uint32Array(1024);
  private pendingDocs = new Uint32Array(1024);
  private pendingCount = 0;
  private sortedPending: SortedPending | undefined;
  /** Complete posting lists (base and pending included) of the fingerprints touched by `remove`. */
  private edited = new Map<number, number[]>();
  private addedDocs = new Set<number>();
  /** Scratch of `locate`: base from, base to, pending from, pending to. */
  private readonly located = new Uint32Array(4);
  private removedDocs = new Set<number>();
  /** Times the base was rebuilt in memory: a stored journal of changes no longer applies to it. */
  merges = 0;

  constructor(options: CandidateIndexOptions = {}) {
    const cap = options.postingCap ?? DEFAULT_POSTING_CAP;
    if (!Number.isInteger(cap) || cap < 1)
      throw new RangeError(`postingCap must be a positive integer, got ${cap}`);
    this.postingCap = cap;
  }

  /** Number of docs indexed (added and not removed since). */
  get size(): number {
    return this.base.docList.length + this.addedDocs.size - this.removedDocs.size;
  }

  /** Indexes `docNum` (a uint32) under each of its fingerprints, within the posting cap. */
  add(docNum: number, fps: Uint32Array): void {
    checkDocNum(docNum);
    for (const fp of fps) {
      const list = this.edited.get(fp);
      if (list) {
        if (insertSorted(list, docNum) && list.length > this.postingCap) list.pop();
      } else {
        this.appendPending(fp, docNum);
      }
    }
    if (this.removedDocs.has(docNum)) this.removedDocs.delete(docNum);
    else if (!this.inBaseDocs(docNum)) this.addedDocs.add(docNum);
    if (this.pendingCount > Math.max(MIN_PENDING_BEFORE_MERGE, this.base.docs.length)) this.merge();
  }

  /** Unindexes `docNum` from the given fingerprints (those it was added with). */
  remove(docNum: number, fps: Uint32Array): void {
    checkDocNum(docNum);
    for (const fp of fps) {
      let list = this.edited.get(fp);
      if (!list) {
        list = this.posting(fp);
        // Nothing to copy-on-write when the doc is not in this posting (capped out, or never added).
        if (!list.includes(docNum)) continue;
        this.edited.set(fp, list);
      }
      const at = list.indexOf(docNum);
      if (at >= 0) list.splice(at, 1);
    }
    if (this.addedDocs.has(docNum)) this.addedDocs.delete(docNum);
    else if (this.inBaseDocs(docNum)) this.removedDocs.add(docNum);
  }

  /**
   * docNum → number of the given fingerprints it shares, for docs sharing at least `minShared`.
   * Fingerprints indexed under more than `maxPosting` docs are skipped: a phrase that common is
   * evidence of nothing (an outlet's template, a stock phrase), and visiting it would cost the most.
   */
  candidates(fps: Uint32Array, minShared = 1, maxPosting = Number.POSITIVE_INFINITY): Map<number, number> {
    const counts = new Map<number, number>();
    const count = (docNum: number) => {
      counts.set(docNum, (counts.get(docNum) ?? 0) + 1);
    };
    for (const fp of fps) {
      // One lookup of the fingerprint's runs serves both the size test and the visit.
      const list = this.edited.size ? this.edited.get(fp) : undefined;
      if (list) {
        if (list.length <= maxPosting) for (const docNum of list) count(docNum);
        continue;
      }
      if (Math.min(this.postingCap, this.locate(fp)) <= maxPosting) this.visitLocated(fp, count);
    }
    if (minShared > 1) {
      for (const [docNum, shared] of counts) if (shared < minShared) counts.delete(docNum);
    }
    return counts;
  }

  /** How many docs are indexed under one key (at most `postingCap`), without visiting them. */
  count(fp: number): number {
    const list = this.edited.get(fp);
    if (list) return list.length;
    return Math.min(this.postingCap, this.locate(fp));
  }

  /** The docNums indexed under one fingerprint, ascending, at most `postingCap`. */
  posting(fp: number): number[] {
    const list: number[] = [];
    this.visitPosting(fp, (docNum) => list.push(docNum));
    return list;
  }

  /**
   * The index as bytes (`candidate-index-format.ts`). Deterministic: the same postings give the same
   * bytes whatever the order of the calls.
   */
  serialize(): Uint8Array {
    this.merge();
    return encodeBase(this.base, this.postingCap);
  }

  /** Loads `serialize` output; the index keeps views into (an aligned copy of) `bytes`. */
  static deserialize(bytes: Uint8Array): CandidateIndex {
    const { cap, base } = decodeBase(bytes);
    const index = new CandidateIndex({ postingCap: cap });
    index.base = base;
    return index;
  }

  /** Calls `visit` with each docNum of one fingerprint's posting, ascending, at most `postingCap`. */
  private visitPosting(fp: number, visit: (docNum: number) => void): void {
    const list = this.edited.get(fp);
    if (list) {
      for (const docNum of list) visit(docNum);
      return;
    }
    this.locate(fp);
    this.visitLocated(fp, visit);
  }

  /** Visits the runs `locate(fp)` found last. */
  private visitLocated(fp: number, visit: (docNum: number) => void): void {
    const at = this.located;
    mergeRuns(
      this.base.docs,
      at[0]!,
      at[1]!,
      this.sortedPending?.keys ?? EMPTY_KEYS,
      at[2]!,
      at[3]!,
      (fp & 0xffff) * TWO_POW_32,
      this.postingCap,
      visit,
    );
  }

  /**
   * Finds the fingerprint's runs in the base and in the pending log (into `located`: base from and
   * to, pending from and to) and returns how many postings they hold. Both ends by binary search: a
   * line or fingerprint shared by thousands of docs (uncapped indexes) made a linear scan the build's
   * largest cost.
   */
  private locate(fp: number): number {
    const at = this.located;
    const bucket = fp >>> 16;
    const low = fp & 0xffff;
    const { lows, dir } = this.base;
    const baseEnd = dir[bucket + 1]!;
    at[0] = lowerBound(lows, dir[bucket]!, baseEnd, low);
    at[1] = lowerBound(lows, at[0], baseEnd, low + 1);
    if (this.pendingCount === 0) {
      at[2] = 0;
      at[3] = 0;
    } else {
      const pending = this.sortPending();
      const offset = low * TWO_POW_32;
      const end = pending.dir[bucket + 1]!;
      at[2] = lowerBound(pending.keys, pending.dir[bucket]!, end, offset);
      at[3] = lowerBound(pending.keys, at[2], end, offset + TWO_POW_32);
    }
    return at[1] - at[0] + at[3] - at[2];
  }

  private appendPending(fp: number, docNum: number): void {
    if (this.pendingCount === this.pendingFps.length) {
      const fps = new Uint32Array(this.pendingCount * 2);
      const docs = new Uint32Array(this.pendingCount * 2);
      fps.set(this.pendingFps);
      docs.set(this.pendingDocs);
      this.pendingFps = fps;
      this.pendingDocs = docs;
    }
    this.pendingFps[this.pendingCount] = fp;
    this.pendingDocs[this.pendingCount] = docNum;
    this.pendingCount++;
    this.sortedPending = undefined;
  }

  /** Counting sort by bucket, then a native sort of each bucket's keys. */
  private sortPending(): SortedPending {
    if (this.sortedPending) return this.sortedPending;
    const dir = new Uint32Array(BUCKETS + 1);
    for (let i = 0; i < this.pendingCount; i++) dir[(this.pendingFps[i]! >>> 16) + 1]!++;
    for (let b = 0; b < BUCKETS; b++) dir[b + 1]! += dir[b]!;
    const fill = dir.slice(0, BUCKETS);
    const keys = new Float64Array(this.pendingCount);
    for (let i = 0; i < this.pendingCount; i++) {
      const fp = this.pendingFps[i]!;
      keys[fill[fp >>> 16]!++] = (fp & 0xffff) * TWO_POW_32 + this.pendingDocs[i]!;
    }
    for (let b = 0; b < BUCKETS; b++) {
      if (dir[b + 1]! - dir[b]! > 1) keys.subarray(dir[b]!, dir[b + 1]!).sort();
    }
    this.sortedPending = { dir, keys };
    return this.sortedPending;
  }

  private inBaseDocs(docNum: number): boolean {
    const docList = this.base.docList;
    return docList[lowerBound(docList, 0, docList.length, docNum)] === docNum;
  }

  /** Builds a new base from the old one, the pending log and the edited lists, in one ordered pass. */
  private merge(): void {
    const changes = this.pendingCount + this.edited.size + this.addedDocs.size + this.removedDocs.size;
    if (changes === 0) return;
    this.merges++;
    const old = this.base;
    const pending =
      this.pendingCount > 0
        ? this.sortPending()
        : { dir: new Uint32Array(BUCKETS + 1), keys: new Float64Array(0) };
    const edited = Uint32Array.from(this.edited.keys()).sort();
    let upperBound = old.docs.length + pending.keys.length;
    for (const list of this.edited.values()) upperBound += list.length;

    const dir = new Uint32Array(BUCKETS + 1);
    let lows = new Uint16Array(upperBound);
    let docs = new Uint32Array(upperBound);
    let out = 0;
    let low = 0;
    const emit = (docNum: number) => {
      lows[out] = low;
      docs[out++] = docNum;
    };
    let e = 0; // into `edited`
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      dir[bucket] = out;
      let i = old.dir[bucket]!;
      const iEnd = old.dir[bucket + 1]!;
      let j = pending.dir[bucket]!;
      const jEnd = pending.dir[bucket + 1]!;
      for (;;) {
        const baseLow = i < iEnd ? old.lows[i]! : BUCKETS;
        const pendingLow = j < jEnd ? Math.floor(pending.keys[j]! / TWO_POW_32) : BUCKETS;
        const editedLow = e < edited.length && edited[e]! >>> 16 === bucket ? edited[e]! & 0xffff : BUCKETS;
        low = Math.min(baseLow, pendingLow, editedLow);
        if (low === BUCKETS) break;
        let iTo = i;
        while (iTo < iEnd && old.lows[iTo] === low) iTo++;
        let jTo = j;
        const keyOffset = low * TWO_POW_32;
        while (jTo < jEnd && pending.keys[jTo]! < keyOffset + TWO_POW_32) jTo++;
        if (editedLow === low) {
          // An edited list is complete: it replaces the base and pending postings of its fingerprint.
          for (const docNum of this.edited.get(edited[e]!)!) emit(docNum);
          e++;
        } else {
          mergeRuns(old.docs, i, iTo, pending.keys, j, jTo, keyOffset, this.postingCap, emit);
        }
        i = iTo;
        j = jTo;
      }
    }
    dir[BUCKETS] = out;
    if (out < upperBound) {
      lows = lows.slice(0, out);
      docs = docs.slice(0, out);
    }

    let docList = old.docList;
    if (this.addedDocs.size > 0 || this.removedDocs.size > 0) {
      const kept: number[] = [];
      for (const docNum of old.docList) if (!this.removedDocs.has(docNum)) kept.push(docNum);
      for (const docNum of this.addedDocs) kept.push(docNum);
      docList = Uint32Array.from(kept).sort();
    }
    this.base = { dir, lows, docs, docList };
    this.pendingFps = new Uint32Array(1024);
    this.pendingDocs = new Uint32Array(1024);
    this.pendingCount = 0;
    this.sortedPending = undefined;
    this.edited = new Map();
    this.addedDocs = new Set();
    this.removedDocs = new Set();
  }
}
