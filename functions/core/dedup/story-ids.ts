/**
 * Story ids are RSS guids: once published they must survive re-clustering. A cluster continues the
 * earlier story of its earliest member that had one; a story that splits stays with the part holding
 * its earliest member; new stories are named after their earliest member.
 */

export interface IdMember {
  docId: string;
  seq: number;
  storyId?: string;
}

/**
 * One story id per group of members (each group sorted by seq ascending), in the groups' order.
 * A previous story id goes to at most one group: the group holding that story's lowest-seq member;
 * a group claiming several keeps the one whose member has the lowest seq. A group with none takes the
 * docId of its lowest-seq member whose docId is not a story id already (previous or given).
 */
export function assignStoryIds(groups: readonly (readonly IdMember[])[]): string[] {
  const owner = new Map<string, { group: number; seq: number }>();
  groups.forEach((members, group) => {
    for (const member of members) {
      if (member.storyId === undefined) continue;
      const current = owner.get(member.storyId);
      if (!current || member.seq < current.seq) owner.set(member.storyId, { group, seq: member.seq });
    }
  });

  const ids: (string | undefined)[] = groups.map((members, group) => {
    // Members are in seq order, so the first owned story id met is the one with the lowest-seq member.
    for (const member of members) {
      if (member.storyId !== undefined && owner.get(member.storyId)?.group === group) return member.storyId;
    }
    return undefined;
  });

  const taken = new Set<string>(owner.keys());
  return ids.map((id, group) => {
    if (id !== undefined) return id;
    const members = groups[group]!;
    const fresh =
      members.find((member) => !taken.has(member.docId))?.docId ?? uniqueSuffix(members[0]!.docId, taken);
    taken.add(fresh);
    return fresh;
  });
}

/** Only when every member's docId already names another story: `docId~2`, `docId~3`, … */
function uniqueSuffix(docId: string, taken: ReadonlySet<string>): string {
  let n = 2;
  while (taken.has(`${docId}~${n}`)) n++;
  return `${docId}~${n}`;
}
