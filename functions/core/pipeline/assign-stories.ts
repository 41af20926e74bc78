import type { CandidateIndex } from '../dedup/candidate-index.js';
import { clusterDocs } from '../dedup/cluster.js';
import { isDuplicate } from '../dedup/similarity.js';
import type { Cluster, DedupDoc } from '../dedup/types.js';

/** A doc as the assignment sees it: new ones carry their shingles, stored ones are fetched on demand. */
export interface AssignDoc {
  docId: string;
  docNum: number;
  seq: number;
  storyId?: string;
}

export interface AssignInput {
  index: CandidateIndex;
  /** Docs added (or changed) in this run, with their shingles and fingerprints; already in `docsByNum`. */
  added: ReadonlyArray<AssignDoc & { shingles: Uint32Array; fps: Uint32Array }>;
  /** Docs removed in this run, with their fingerprints (already removed from `docsByNum`). */
  removed: ReadonlyArray<AssignDoc & { fps: Uint32Array }>;
  /** Every current doc. */
  docsByNum: ReadonlyMap<number, AssignDoc>;
  /** Current members (docIds) of each existing story, before this run. */
  storyMembers: ReadonlyMap<string, readonly string[]>;
  docsById: ReadonlyMap<string, AssignDoc>;
  shinglesOf(docNum: number): Promise<Uint32Array>;
}

export interface AssignResult {
  /** Clusters of every affected doc; each becomes (or updates) a story. */
  clusters: Cluster[];
  /** Story ids that no longer exist. */
  retired: string[];
  /** How many candidate pairs were verified exactly. */
  verified: number;
}

/** Union-find over docIds. */
class Components {
  private readonly parent = new Map<string, string>();
  add(id: string): void {
    if (!this.parent.has(id)) this.parent.set(id, id);
  }
  find(id: string): string {
    let root = id;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    let node = id;
    while (node !== root) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    this.add(a);
    this.add(b);
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const id of this.parent.keys()) {
      const root = this.find(id);
      const group = byRoot.get(root);
      if (group) group.push(id);
      else byRoot.set(root, [id]);
    }
    return [...byRoot.values()];
  }
}

/**
 * Re-clusters the part of the corpus a run touches. Candidates come from the fingerprint index (no
 * all-pairs comparison), every candidate pair is verified exactly on the stored shingle sets, and the
 * connected groups of verified pairs, together with the stories they touch, are clustered again.
 * The index must already hold the added docs and no longer hold the removed ones.
 */
export async function assignStories(input: AssignInput): Promise<AssignResult> {
  const components = new Components();
  const addedByNum = new Map(input.added.map((doc) => [doc.docNum, doc]));
  const shingleCache = new Map<number, Uint32Array>();
  const shinglesOf = async (docNum: number): Promise<Uint32Array> => {
    const fresh = addedByNum.get(docNum)?.shingles ?? shingleCache.get(docNum);
    if (fresh) return fresh;
    const stored = await input.shinglesOf(docNum);
    shingleCache.set(docNum, stored);
    return stored;
  };
  const touchStory = (storyId: string | undefined, anchor: string) => {
    if (!storyId) return;
    for (const member of input.storyMembers.get(storyId) ?? []) {
      if (input.docsById.has(member)) components.union(anchor, member);
    }
  };

  let verified = 0;
  for (const doc of input.added) {
    components.add(doc.docId);
    touchStory(doc.storyId, doc.docId);
    for (const [candidateNum] of input.index.candidates(doc.fps)) {
      if (candidateNum === doc.docNum) continue;
      const candidate = input.docsByNum.get(candidateNum);
      if (!candidate) continue;
      // Pairs of two added docs are verified once, from the side with the larger docNum.
      if (addedByNum.has(candidateNum) && candidateNum > doc.docNum) continue;
      verified++;
      const { duplicate } = isDuplicate(doc.shingles, await shinglesOf(candidateNum));
      if (!duplicate) continue;
      components.union(doc.docId, candidate.docId);
      touchStory(candidate.storyId, candidate.docId);
    }
  }
  const affectedStories = new Set<string>();
  for (const doc of input.removed) {
    if (!doc.storyId) continue;
    affectedStories.add(doc.storyId);
    const remaining = (input.storyMembers.get(doc.storyId) ?? []).filter((id) => input.docsById.has(id));
    for (const member of remaining) components.add(member);
    for (let i = 1; i < remaining.length; i++) components.union(remaining[0]!, remaining[i]!);
  }

  const clusters: Cluster[] = [];
  for (const group of components.groups()) {
    const docs: DedupDoc[] = [];
    for (const docId of group) {
      const doc = input.docsById.get(docId)!;
      if (doc.storyId) affectedStories.add(doc.storyId);
      const dedupDoc: DedupDoc = { docId, seq: doc.seq, shingles: await shinglesOf(doc.docNum) };
      if (doc.storyId) dedupDoc.storyId = doc.storyId;
      docs.push(dedupDoc);
    }
    clusters.push(...clusterDocs(docs));
  }
  const kept = new Set(clusters.map((cluster) => cluster.storyId));
  const retired = [...affectedStories].filter((id) => !kept.has(id)).sort();
  clusters.sort((a, b) => (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0));
  return { clusters, retired, verified };
}
