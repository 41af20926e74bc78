/**
 * Every pairwise fact the clustering needs, computed once per pair of a small affected set:
 * n(n−1)/2 exact verifications, nothing more.
 */
import { type DedupFeatures, type DuplicateVerdict, isDuplicate, isTruncation } from './similarity.js';

export interface PairFacts extends DuplicateVerdict {
  /**
   * The smaller text is a truncated copy of the larger (opening included): never a hub's part. (The
   * article a story page carries is a part: a page carrying two whole articles is a roundup.)
   */
  partialCopy: boolean;
}

/** Symmetric table of pair facts over docs in a fixed order. */
export class PairTable {
  private readonly facts: PairFacts[];

  constructor(private readonly docs: readonly DedupFeatures[]) {
    const n = docs.length;
    this.facts = new Array((n * (n - 1)) / 2);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const verdict = isDuplicate(docs[i]!, docs[j]!);
        const partialCopy =
          verdict.veto === undefined && isTruncation(docs[i]!, docs[j]!, verdict.similarity);
        this.facts[this.slot(i, j)] = { ...verdict, partialCopy };
      }
    }
  }

  /** The same facts over the docs in another order: `order[k]` is the old index of new doc k. */
  reordered(order: readonly number[]): PairTable {
    const table = Object.create(PairTable.prototype) as PairTable;
    const n = order.length;
    const facts: PairFacts[] = new Array((n * (n - 1)) / 2);
    Object.assign(table, { docs: order.map((i) => this.docs[i]!), facts });
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) facts[table.slot(a, b)] = this.get(order[a]!, order[b]!);
    }
    return table;
  }

  get(i: number, j: number): PairFacts {
    if (i === j) throw new RangeError('a doc is not compared with itself');
    return this.facts[i < j ? this.slot(i, j) : this.slot(j, i)]!;
  }

  /** Index of the pair (i, j), i < j, in a row-major upper triangle. */
  private slot(i: number, j: number): number {
    const n = this.docs.length;
    return i * n - (i * (i + 1)) / 2 + (j - i - 1);
  }
}
