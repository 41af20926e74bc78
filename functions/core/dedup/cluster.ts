/**
 * Grouping of near-duplicate docs into stories. Not transitive on purpose: a doc joins a story only
 * when it is a duplicate of the story's canonical (most complete) member, so a chain of partial
 * overlaps (A ⊂ B, B ∩ C) or a roundup carrying several briefs never glues unrelated articles.
 */
import { hubParts } from './hubs.js';
import { PairTable } from './pair-verdicts.js';
import { carriesAmongOthers, type DedupFeatures } from './similarity.js';
import { assignStoryIds } from './story-ids.js';
import type { Cluster, DedupDoc, MergeEvidence } from './types.js';

/** A doc as the clustering takes it: the contract's fields, plus the optional verification features. */
export type ClusterDoc = DedupDoc & DedupFeatures;

export class DuplicateDocIdError extends Error {
  override name = 'DuplicateDocIdError';
  constructor(docId: string) {
    super(`clusterDocs: docId ${docId} appears more than once`);
  }
}

/** Members this much smaller than the most complete one still compete to be the canonical (by how many members they duplicate). */
export const CANONICAL_SIZE_TOLERANCE = 0.15;

/** Most complete first: more shingles, then first seen, then docId (a total order, so the result never depends on input order). */
function byCompleteness(a: DedupDoc, b: DedupDoc): number {
  return (
    b.shingles.length - a.shingles.length ||
    a.seq - b.seq ||
    (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0)
  );
}

/**
 * Whether a doc carrying a smaller member among other text is a page around it. The original of a
 * teaser also carries it with more text after, but more copies duplicate the original than the
 * teaser, while a page duplicates no more than the article it carries. Text only after the article is
 * also how a fuller copy reads (the story updated at its end): a page then needs strictly fewer.
 */
function pageOf(articleDegree: number, pageDegree: number, carries: 'above' | 'after' | false): boolean {
  if (carries === 'above') return articleDegree >= pageDegree;
  if (carries === 'after') return articleDegree > pageDegree;
  return false;
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
  // Candidates for canonical, most complete first, with two exceptions. A page carrying another member
  // among other stories' text goes after every member that is not such a page: the article is the
  // story, not the page around it. And among members within `CANONICAL_SIZE_TOLERANCE` of the most
  // complete one left, the one that duplicates the most members goes first: a copy-edited version a
  // few words longer than the original must not become the canonical that the original's teaser does
  // not duplicate. Docs join a story only through its canonical, so this decides what merges.
  const complete = [...docs].sort(byCompleteness);
  const table = new PairTable(complete);
  const n = complete.length;
  const degree = complete.map((_, i) => {
    let d = 0;
    for (let j = 0; j < n; j++) if (j !== i && table.get(i, j).duplicate) d++;
    return d;
  });
  const carries = (i: number, j: number) =>
    complete[j]!.shingles.length < complete[i]!.shingles.length && table.get(i, j).duplicate
      ? carriesAmongOthers(complete[i]!, complete[j]!)
      : false;
  // A teaser's copies, not counting the pages that carry it under other stories' text: a story page
  // with the teaser in its related block must not make the teaser's original look like a page.
  const copies = complete.map((_, j) => {
    let d = degree[j]!;
    for (let i = 0; i < n; i++) if (i !== j && carries(i, j) === 'above') d--;
    return d;
  });
  const isPage = complete.map((_, i) =>
    complete.some((_, j) => {
      if (j === i) return false;
      const how = carries(i, j);
      return pageOf(how === 'after' ? copies[j]! : degree[j]!, degree[i]!, how);
    }),
  );
  const ranked: number[] = [];
  for (const pages of [false, true]) {
    const left = complete.map((_, i) => i).filter((i) => isPage[i] === pages);
    while (left.length) {
      const floor = complete[left[0]!]!.shingles.length * (1 - CANONICAL_SIZE_TOLERANCE);
      let best = 0;
      for (let k = 1; k < left.length && complete[left[k]!]!.shingles.length >= floor; k++) {
        if (degree[left[k]!]! > degree[left[best]!]!) best = k;
      }
      ranked.push(left.splice(best, 1)[0]!);
    }
  }
  const sorted = ranked.map((i) => complete[i]!);
  const pageAt = ranked.map((i) => isPage[i]!);
  const pairs = table.reordered(ranked);
  const cut = hubParts(
    sorted.map((doc) => doc.shingles.length),
    pairs,
  );

  const groups: { canonical: number; members: number[] }[] = [];
  /**
   * The member a page joins a story through: the article it carries, whichever copy of it is the
   * canonical, but never a teaser of it (a member that is a truncated copy of a larger member): a page
   * linked to a story only by teasers shows that story in a related block, and is not its page.
   */
  const pageLink = (group: { canonical: number; members: number[] }, page: number): number | undefined => {
    const size = (i: number) => sorted[i]!.shingles.length;
    const teaser = (member: number) =>
      group.members.some(
        (other) => other !== member && size(other) > size(member) && pairs.get(other, member).partialCopy,
      );
    const linked = group.members.filter((member) => pairs.get(member, page).duplicate && !teaser(member));
    const carried = linked.find((member) => pairs.get(member, page).rule === 'story-page') ?? linked[0];
    if (carried !== undefined || pairs.get(group.canonical, page).duplicate)
      return carried ?? group.canonical;
    return group.members.some((member) => pairs.get(member, page).duplicate) ? undefined : group.canonical;
  };
  for (let doc = 0; doc < sorted.length; doc++) {
    let best: { canonical: number; members: number[] } | undefined;
    let bestContainment = -1;
    for (const group of groups) {
      const via = pageAt[doc] ? pageLink(group, doc) : group.canonical;
      if (via === undefined) continue;
      const facts = pairs.get(via, doc);
      // A hub merges with none of its parts, whichever of the two is the group's canonical.
      if (!facts.duplicate || cut[group.canonical]!.has(doc) || cut[doc]!.has(group.canonical)) continue;
      if (cut[doc]!.has(via)) continue;
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
