import { clusterDocs } from '../dedup/cluster.js';
import { type DedupFeatures, isDuplicate } from '../dedup/similarity.js';
import type { Cluster, DedupDoc } from '../dedup/types.js';

/** A doc as the assignment sees it. */
export interface AssignDoc {
  docId: string;
  seq: number;
  storyId?: string;
}

/**
 * What the assignment reads of the stored corpus. The local state answers from memory; the cloud
 * answers from DynamoDB. The fingerprint index must already hold the added docs and no longer hold
 * the removed ones.
 */
export interface DedupView {
  /** Stored docs sharing at least one fingerprint with `fps` (from the candidate index, never a scan). */
  candidates(fps: Uint32Array): Promise<string[]>;
  /** A current doc, or undefined when it no longer exists. */
  doc(docId: string): Promise<AssignDoc | undefined>;
  /** Members of a story as it was before this run. */
  storyMembers(storyId: string): Promise<readonly string[]>;
  features(docId: string): Promise<DedupFeatures>;
}

export type AddedDoc = AssignDoc & { features: DedupFeatures; fps: Uint32Array };

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
    if (ra === rb) return;
    // The smaller id stays the root, so the grouping never depends on the order of unions.
    const [keep, drop] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent.set(drop, keep);
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
export async function assignStories(
  view: DedupView,
  added: readonly AddedDoc[],
  removed: readonly AssignDoc[],
): Promise<AssignResult> {
  const components = new Components();
  const addedById = new Map(added.map((doc) => [doc.docId, doc]));
  const addedOrder = new Map(added.map((doc, i) => [doc.docId, i]));
  const docCache = new Map<string, AssignDoc | undefined>();
  const docOf = async (docId: string) => {
    const fresh = addedById.get(docId);
    if (fresh) return fresh;
    if (!docCache.has(docId)) docCache.set(docId, await view.doc(docId));
    return docCache.get(docId);
  };
  const featureCache = new Map<string, DedupFeatures>();
  const featuresOf = async (docId: string): Promise<DedupFeatures> => {
    const known = addedById.get(docId)?.features ?? featureCache.get(docId);
    if (known) return known;
    const stored = await view.features(docId);
    featureCache.set(docId, stored);
    return stored;
  };
  const touchStory = async (storyId: string | undefined, anchor: string) => {
    if (!storyId) return;
    for (const member of await view.storyMembers(storyId)) {
      if (await docOf(member)) components.union(anchor, member);
    }
  };

  let verified = 0;
  for (const doc of added) {
    components.add(doc.docId);
    await touchStory(doc.storyId, doc.docId);
    for (const candidateId of await view.candidates(doc.fps)) {
      if (candidateId === doc.docId) continue;
      // Pairs of two added docs are verified once, from the later one.
      const order = addedOrder.get(candidateId);
      if (order !== undefined && order > addedOrder.get(doc.docId)!) continue;
      const candidate = await docOf(candidateId);
      if (!candidate) continue;
      verified++;
      const { duplicate } = isDuplicate(doc.features, await featuresOf(candidateId));
      if (!duplicate) continue;
      components.union(doc.docId, candidateId);
      await touchStory(candidate.storyId, candidateId);
    }
  }
  const affectedStories = new Set<string>();
  for (const doc of removed) {
    if (!doc.storyId) continue;
    affectedStories.add(doc.storyId);
    const remaining: string[] = [];
    for (const member of await view.storyMembers(doc.storyId))
      if (await docOf(member)) remaining.push(member);
    for (const member of remaining) components.add(member);
    for (let i = 1; i < remaining.length; i++) components.union(remaining[0]!, remaining[i]!);
  }

  const clusters: Cluster[] = [];
  for (const group of components.groups()) {
    const docs: DedupDoc[] = [];
    for (const docId of group) {
      const doc = (await docOf(docId))!;
      if (doc.storyId) affectedStories.add(doc.storyId);
      const { shingles, lead, pairs } = await featuresOf(docId);
      const dedupDoc: DedupDoc = { docId, seq: doc.seq, shingles };
      if (lead) dedupDoc.lead = lead;
      if (pairs) dedupDoc.pairs = pairs;
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
