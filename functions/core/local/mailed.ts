/**
 * A story goes into at most one edition, ever. The local state remembers every article that was a
 * member of a mailed story (`mailedDocs`), and keeps the features of those that later left the
 * corpus (`ghosts`, with an index of their fingerprints), so that a story published anew is
 * recognised as one already mailed when
 * - a member is an article that was mailed (its file deleted and added again: same key, same id),
 * - or a member is a copy of a mailed article that is gone (the file renamed, or replaced by a
 *   fuller copy, or the story split after it was mailed).
 */
import { CandidateIndex, DEFAULT_POSTING_CAP, UNCAPPED } from '../dedup/candidate-index.js';
import type { StoredFeatures } from '../dedup/doc-features.js';
import { type DedupFeatures, isDuplicate } from '../dedup/similarity.js';
import type { BlobStore } from '../ports.js';
import type { BuildState, FileRecord, GhostRecord } from './state.js';

export const GHOSTS_BLOB = 'ghosts.bin';

export class MailedMemory {
  private constructor(
    private readonly state: BuildState,
    private readonly index: CandidateIndex,
  ) {}

  static async load(store: BlobStore, state: BuildState): Promise<MailedMemory> {
    const bytes = Object.keys(state.ghosts).length ? await store.get(GHOSTS_BLOB) : undefined;
    return new MailedMemory(
      state,
      bytes ? CandidateIndex.deserialize(bytes) : new CandidateIndex({ postingCap: UNCAPPED }),
    );
  }

  async save(store: BlobStore): Promise<void> {
    if (Object.keys(this.state.ghosts).length) await store.put(GHOSTS_BLOB, this.index.serialize());
  }

  /** A doc leaves the corpus: if it was mailed, keep it as a ghost. */
  leave(record: FileRecord, doc: StoredFeatures): void {
    const edition = this.state.mailedDocs[record.docId];
    if (edition === undefined || this.state.ghosts[record.docId]) return;
    this.state.ghosts[record.docId] = {
      docNum: record.docNum,
      seg: record.seg,
      off: record.off,
      len: record.len,
      edition,
    };
    this.index.add(record.docNum, doc.fps);
  }

  /**
   * The edition a new story's content already went out in, if any. `members` are the story's docs
   * with their content features and index keys; `ghostFeatures` reads a ghost's content features.
   */
  async mailedIn(
    members: readonly { docId: string; features: DedupFeatures; keys: Uint32Array }[],
    ghostFeatures: (ghost: GhostRecord) => Promise<DedupFeatures>,
  ): Promise<number | undefined> {
    for (const member of members) {
      const edition = this.state.mailedDocs[member.docId];
      if (edition !== undefined) return edition;
    }
    if (Object.keys(this.state.ghosts).length === 0) return undefined;
    const byNum = new Map(Object.values(this.state.ghosts).map((ghost) => [ghost.docNum, ghost]));
    for (const member of members) {
      for (const docNum of this.index.candidates(member.keys, 1, DEFAULT_POSTING_CAP).keys()) {
        const ghost = byNum.get(docNum);
        if (ghost && isDuplicate(member.features, await ghostFeatures(ghost)).duplicate) return ghost.edition;
      }
    }
    return undefined;
  }

  /** An edition went out with these stories: remember their members. */
  mailed(edition: number, memberDocIds: readonly string[]): void {
    for (const docId of memberDocIds) this.state.mailedDocs[docId] ??= edition;
  }
}
