/**
 * Grouping of near-duplicate docs into stories. Not transitive on purpose: a doc joins a story only
 * when it is a duplicate of the story's canonical (most complete) member, so a chain of partial
 * overlaps (A ⊂ B, B ∩ C) or a roundup carrying several briefs never glues unrelated articles.
 */
import { hubParts } from './hubs.js';
import { PairTable } from './pair-verdicts.js';
import type { DedupFeatures } from './similarity.js';
import { assignStoryIds } from './story-ids.js';
import type { Cluster, DedupDoc, MergeEvidence } from './types.js';

/** A doc as the clustering takes it: the contract's fields, plus the optional verification features. */
export type ClusterDoc = DedupDoc & DedupFeatures;

export class DuplicateDocIdError extends Error {
  constructor(docId: string) {
    super(`clusterDocs: docId ${docId} appears more than once`);
    this.name = 'DuplicateDocIdError';
  }
}

/** Most complete first: more shingles, then first seen, then docId (a total order, so the result never depends on input order). */
function byCompleteness(a: DedupDoc, b: DedupDoc): number {
  return (
    b.shingles.length - a.shingles.length ||
    a.seq - b.seq ||
    (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0)
  );
}

function bySeq(a: DedupDoc, b: DedupDoc): number {
  return a.seq - b.seq || (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0);
}

/**
 * Groups docs into stories. Pure and deterministic; independent of input array order.
 *
 * Docs are taken most complete first; each joins the existing story whose canonical it duplicates
 * with the highest containment (ties: the canonical first seen), unless that canonical is a hub and
 * the doc one of its parts (see hubs.ts); otherwise it starts a story of its own, as its canonical.
 * Story ids follow `assignStoryIds`. Clusters come out in the order of their first-seen member.
 */
export function clusterDocs(docs: readonly ClusterDoc[]): Cluster[] {
  const seen = new Set<string>();
  for (const doc of docs) {
    if (seen.has(doc.docId)) throw new DuplicateDocIdError(doc.docId);
    seen.add(doc.docId);
  }
  const sorted = [...docs].sort(byCompleteness);
  const pairs = new PairTable(sorted);
  const cut = hubParts(sorted.length, pairs);

  const groups: { canonical: number; members: number[] }[] = [];
  for (let doc = 0; doc < sorted.length; doc++) {
    let best: { canonical: number; members: number[] } | undefined;
    let bestContainment = -1;
    for (const group of groups) {
      const facts = pairs.get(group.canonical, doc);
      if (!facts.duplicate || cut[group.canonical]!.has(doc)) continue;
      // Groups are in canonical order, which does not follow seq: compare seq explicitly for ties.
      const containment = facts.similarity.containment;
      if (
        containment > bestContainment ||
        (containment === bestContainment && sorted[group.canonical]!.seq < sorted[best!.canonical]!.seq)
      ) {
        best = group;
        bestContainment = containment;
      }
    }
    if (best) best.members.push(doc);
    else groups.push({ canonical: doc, members: [doc] });
  }

  const memberLists = groups.map((group) => group.members.map((i) => sorted[i]!).sort(bySeq));
  const order = memberLists.map((_, i) => i).sort((a, b) => bySeq(memberLists[a]![0]!, memberLists[b]![0]!));
  const storyIds = assignStoryIds(order.map((i) => memberLists[i]!));

  return order.map((groupIndex, position) => {
    const group = groups[groupIndex]!;
    const canonical = sorted[group.canonical]!;
    const others = memberLists[groupIndex]!.filter((doc) => doc !== canonical);
    const evidence: MergeEvidence[] = others.map((doc) => {
      const { similarity } = pairs.get(group.canonical, sorted.indexOf(doc));
      return {
        docId: doc.docId,
        into: canonical.docId,
        containment: similarity.containment,
        coverage: similarity.coverage,
      };
    });
    return {
      storyId: storyIds[position]!,
      canonical: canonical.docId,
      members: [canonical.docId, ...others.map((doc) => doc.docId)],
      evidence,
    };
  });
}
