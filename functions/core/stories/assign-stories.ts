import { clusterDocs } from '../dedup/cluster.js';
import { type DedupFeatures, isDuplicate } from '../dedup/similarity.js';
import type { Cluster, DedupDoc } from '../dedup/types.js';

/** A doc as the assignment sees it. */
export interface AssignDoc {
  docId: string;
  seq: number;
  storyId?: string;
}

/** A stored doc sharing index keys with a doc being placed. */
export interface CandidateHit {
  docId: string;
  /** Index keys shared (keys indexed under more than `DEFAULT_POSTING_CAP` docs are not counted). */
  shared: number;
  /** The candidate's own number of index keys. */
  keys: number;
}

/** A doc under one index key, with its own number of keys. */
export interface Posting {
  docId: string;
  keys: number;
}

/** The candidates of `fps` from each one's postings (a frequent key has none), by docId. */
export function candidatesFrom(
  fps: Uint32Array,
  postings: ReadonlyMap<number, readonly Posting[]>,
): CandidateHit[] {
  const found = new Map<string, CandidateHit>();
  for (const fp of new Set(fps)) {
    for (const { docId, keys } of postings.get(fp) ?? []) {
      const hit = found.get(docId);
      if (hit) hit.shared++;
      else found.set(docId, { docId, shared: 1, keys });
    }
  }
  return [...found.values()].sort((a, b) => (a.docId < b.docId ? -1 : 1));
}

/**
 * What the assignment reads of the stored corpus. The local state answers from memory; the cloud
 * answers from DynamoDB. The fingerprint index must already hold the placed docs and no longer hold
 * the removed ones.
 */
export interface DedupView {
  /** Stored docs sharing at least one rare fingerprint with `fps` (from the candidate index, never a scan). */
  candidates(fps: Uint32Array): Promise<CandidateHit[]>;
  /** A current doc, or undefined when it no longer exists. */
  doc(docId: string): Promise<AssignDoc | undefined>;
  /** Members of a story as it was before this run. */
  storyMembers(storyId: string): Promise<readonly string[]>;
  /** What the rules compare: the doc's text with the learned template lines left out. */
  features(docId: string): Promise<DedupFeatures>;
  /** The doc's content index keys (what `candidates` is asked with for it). */
  keys(docId: string): Promise<Uint32Array>;
}

/**
 * Duplicates found for a placed doc are looked up in turn, to this depth: a roundup already stored
 * must meet all its briefs again to be known as a hub when one more arrives, whatever the order the
 * briefs came in.
 */
export const EXPAND_DEPTH = 2;

/**
 * A doc to place: new or changed, or one whose content changed because lines it carries became (or
 * stopped being) template. `fps` are its index keys, `features` what the rules compare.
 */
export type AddedDoc = AssignDoc & { features: DedupFeatures; fps: Uint32Array };

export interface AssignResult {
  /** Clusters of every affected doc; each becomes (or updates) a story. */
  clusters: Cluster[];
  /** Story ids that no longer exist. */
  retired: string[];
  /** How many candidate pairs were verified exactly. */
  verified: number;
}

/**
 * At most this many candidates are verified exactly per placed doc: the best by share of rare keys
 * in common. Near-copies of one article share most of their keys; a doc has few of those.
 */
export const MAX_VERIFIED_PER_DOC = 12;
/**
 * Candidates whose rare keys in common are less than this share of the smaller doc's keys are not
 * verified: every rule needs more overlap (a reworded copy keeps about a third of its 5-word runs).
 */
export const MIN_KEY_SHARE = 0.08;

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
 * The candidates worth verifying: those whose rare keys in common are at least `MIN_KEY_SHARE` of
 * the smaller doc's keys, best first, at most `MAX_VERIFIED_PER_DOC`. The share is symmetric in the
 * two docs, so a pair is chosen the same way from either side.
 */
export function bestCandidates(docId: string, keys: number, hits: readonly CandidateHit[]): CandidateHit[] {
  const share = (hit: CandidateHit) => hit.shared / Math.max(1, Math.min(keys, hit.keys));
  return hits
    .filter((hit) => hit.docId !== docId && share(hit) >= MIN_KEY_SHARE)
    .sort((a, b) => share(b) - share(a) || b.shared - a.shared || (a.docId < b.docId ? -1 : 1))
    .slice(0, MAX_VERIFIED_PER_DOC);
}

/**
 * Re-clusters the part of the corpus a run touches. Candidates come from the fingerprint index (no
 * all-pairs comparison), the best few of each placed doc are verified exactly on the stored
 * features, and the connected groups of verified pairs, together with the stories they touch, are
 * clustered again.
 */
export async function assignStories(
  view: DedupView,
  added: readonly AddedDoc[],
  removed: readonly AssignDoc[],
): Promise<AssignResult> {
  const components = new Components();
  const addedById = new Map(added.map((doc) => [doc.docId, doc]));
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
  const checked = new Set<string>();
  const expanded = new Set<string>();
  const queue: { docId: string; depth: number }[] = [];
  for (const doc of added) {
    components.add(doc.docId);
    await touchStory(doc.storyId, doc.docId);
    queue.push({ docId: doc.docId, depth: 0 });
    expanded.add(doc.docId);
  }
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { docId, depth } = next;
    const fresh = addedById.get(docId);
    const keys = fresh ? fresh.fps : await view.keys(docId);
    const features = await featuresOf(docId);
    for (const hit of bestCandidates(docId, keys.length, await view.candidates(keys))) {
      // A pair may be chosen from both sides: verify it once.
      const pair = docId < hit.docId ? `${docId} ${hit.docId}` : `${hit.docId} ${docId}`;
      if (checked.has(pair)) continue;
      checked.add(pair);
      const candidate = await docOf(hit.docId);
      if (!candidate) continue;
      verified++;
      const { duplicate } = isDuplicate(features, await featuresOf(hit.docId));
      if (!duplicate) continue;
      components.union(docId, hit.docId);
      await touchStory(candidate.storyId, hit.docId);
      if (depth + 1 < EXPAND_DEPTH && !expanded.has(hit.docId)) {
        expanded.add(hit.docId);
        queue.push({ docId: hit.docId, depth: depth + 1 });
      }
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
    const docs: (DedupDoc & DedupFeatures)[] = [];
    for (const docId of group) {
      const doc = (await docOf(docId))!;
      if (doc.storyId) affectedStories.add(doc.storyId);
      // The features are lazy (computed on first use): delegate to them rather than copy them.
      const clusterDoc = Object.create(await featuresOf(docId)) as DedupDoc & DedupFeatures;
      Object.assign(clusterDoc, { docId, seq: doc.seq }, doc.storyId ? { storyId: doc.storyId } : {});
      docs.push(clusterDoc);
    }
    clusters.push(...clusterDocs(docs));
  }
  const kept = new Set(clusters.map((cluster) => cluster.storyId));
  const retired = [...affectedStories].filter((id) => !kept.has(id)).sort();
  clusters.sort((a, b) => (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0));
  return { clusters, retired, verified };
}
