import type { Cluster } from '../dedup/types.js';
import { slugify } from '../slug.js';
import type { StoryRecord } from './state.js';

/** What a story record needs of each member. */
export interface MemberInfo {
  key: string;
  /** Member date: the article's own date, else when it was first seen. */
  date: string;
  title: string;
}

/**
 * The record of a clustered story: members by source key, the canonical member's title, the earliest
 * member date, and the slug it was first published under (slugs never change once published).
 */
export function storyRecordFromCluster(
  cluster: Cluster,
  members: ReadonlyMap<string, MemberInfo>,
  old: StoryRecord | undefined,
  createdBuild: number,
): StoryRecord {
  const member = (docId: string) => {
    const info = members.get(docId);
    if (!info) throw new Error(`story ${cluster.storyId}: no member info for doc ${docId}`);
    return info;
  };
  const keys = cluster.members.map((docId) => member(docId).key);
  const dates = cluster.members.map((docId) => member(docId).date).sort();
  const canonical = member(cluster.canonical);
  const evidence: StoryRecord['evidence'] = {};
  // Sorted by key: records compare equal whatever order the clustering listed the members in.
  const ordered = [...cluster.evidence].sort((a, b) => {
    const ka = member(a.docId).key;
    const kb = member(b.docId).key;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  for (const e of ordered) {
    evidence[member(e.docId).key] = {
      containment: Math.round(e.containment * 1000) / 1000,
      coverage: Math.round(e.coverage * 1000) / 1000,
    };
  }
  return {
    slug: old?.slug ?? slugify(canonical.title, cluster.storyId),
    canonical: canonical.key,
    members: keys,
    date: dates[0]!,
    updated: dates[dates.length - 1]!,
    title: canonical.title,
    evidence,
    createdBuild: old?.createdBuild ?? createdBuild,
  };
}
