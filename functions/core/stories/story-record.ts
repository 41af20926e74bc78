import type { Cluster } from '../dedup/types.js';
import type { StoryRecord } from '../model.js';
import { slugify } from '../slug.js';

/** What a story record needs of each member. */
export interface MemberInfo {
  key: string;
  /** Member date: the article's own date, else when it was first seen. */
  date: string;
  /** The article carries no date of its own: `date` is when it was first seen. */
  undated?: boolean;
  /** The version of the file or object the member was read from. */
  version: string;
  title: string;
  /** The article's tags (front matter); the canonical member's become the story's. */
  tags?: string[];
}

const max = (a: string, b: string) => (a > b ? a : b);

/**
 * The record of a clustered story: members by source key, the canonical member's title, and the
 * slug it was first published under (slugs never change once published).
 *
 * Dates are honest: `date` is the earliest date a member carries (first-seen times count only when
 * no member has a date of its own), so an undated copy never moves a dated story. `updated` is when
 * the content (the canonical member) last changed: at first publication, the canonical's own date
 * when it is later than `date`; afterwards it moves only when a run changes the canonical member or
 * its version, to that member's own date, or, when it has none, to `now`.
 */
export function storyRecordFromCluster(
  cluster: Cluster,
  members: ReadonlyMap<string, MemberInfo>,
  old: StoryRecord | undefined,
  createdBuild: number,
  now: string,
): StoryRecord {
  const member = (docId: string) => {
    const info = members.get(docId);
    if (!info) throw new Error(`story ${cluster.storyId}: no member info for doc ${docId}`);
    return info;
  };
  const keys = cluster.members.map((docId) => member(docId).key);
  const infos = cluster.members.map(member);
  const dated = infos.filter((info) => !info.undated).map((info) => info.date);
  const date = (dated.length ? dated : infos.map((info) => info.date)).sort()[0]!;
  const canonical = member(cluster.canonical);
  const own = canonical.undated ? undefined : canonical.date;
  let updated: string;
  if (!old) updated = max(date, own ?? date);
  else if (
    old.canonical !== canonical.key ||
    (old.canonicalVersion ?? canonical.version) !== canonical.version
  )
    updated = max(max(old.updated, date), own ?? now);
  else updated = max(old.updated, date);
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
    canonicalVersion: canonical.version,
    members: keys,
    date,
    updated,
    title: canonical.title,
    evidence,
    createdBuild: old?.createdBuild ?? createdBuild,
    ...(canonical.tags?.length ? { tags: [...canonical.tags] } : {}),
    ...(old?.mailed !== undefined ? { mailed: old.mailed } : {}),
  };
}

/**
 * Whether a story whose record changed left the pages it was on (its tags, date or slug changed): the
 * publish then renders those pages from the record as it was, as it does on AWS.
 */
export function leftItsPages(old: StoryRecord, record: StoryRecord): boolean {
  return (
    old.date !== record.date ||
    old.slug !== record.slug ||
    JSON.stringify(old.tags) !== JSON.stringify(record.tags)
  );
}
