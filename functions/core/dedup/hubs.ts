/**
 * Hubs: a roundup or digest carries several different articles. Each article may look like a
 * duplicate of it (it is wholly contained), so without a rule two briefs would end in one story
 * through the roundup they both appear in.
 *
 * The rule: a part of a doc X is a smaller doc that X contains (containment ≥ the duplicate
 * threshold) but that is not a copy of X, i.e. covers less than `HUB_PART_MAX_COVERAGE` of it and is
 * not a truncated copy of it (which starts the way X starts). X is a hub when its parts hold two
 * different articles (see `hasTwoDistinctParts`); a hub then merges with none of its parts (it may still merge with its
 * own copies, e.g. the same roundup syndicated elsewhere). A story page carries one article whole and
 * only pieces of others, so it has one part; a roundup carries several briefs whole.
 */
import type { PairTable } from './pair-verdicts.js';
import { DUPLICATE_THRESHOLDS } from './similarity.js';

/** A part covering more than this share of the larger doc is a copy of it, not a part. */
export const HUB_PART_MAX_COVERAGE = 0.6;
/** The second article in a hub is at least this share of the size of the first (see `hasTwoDistinctParts`). */
export const HUB_PART_MIN_SHARE = 0.25;

/**
 * For docs of the given sizes (shingle counts), the parts each hub must not merge with; an empty set
 * for docs that are not hubs. A part is smaller than its hub (ties: later in the order).
 */
export function hubParts(sizes: readonly number[], pairs: PairTable): Set<number>[] {
  const count = sizes.length;
  const cut: Set<number>[] = [];
  for (let hub = 0; hub < count; hub++) {
    const parts: number[] = [];
    const openings: number[] = [];
    for (let part = 0; part < count; part++) {
      if (part === hub || sizes[part]! > sizes[hub]! || (sizes[part] === sizes[hub] && part < hub)) continue;
      const facts = pairs.get(hub, part);
      if (
        facts.similarity.containment >= DUPLICATE_THRESHOLDS.containment &&
        facts.similarity.coverage < HUB_PART_MAX_COVERAGE
      ) {
        (facts.partialCopy ? openings : parts).push(part);
      }
    }
    // In a hub, what looks like a teaser (it holds the hub's opening) is the first of its parts: the
    // brief a roundup opens with.
    const all = [...parts, ...openings];
    cut.push(hasTwoDistinctParts(all, pairs, sizes) ? new Set(all) : new Set());
  }
  return cut;
}

/**
 * Whether the parts hold two different articles of comparable size: they fall into two or more groups
 * when parts that are duplicates of each other are grouped (a teaser and a copy-edited version of one
 * article are one article: both duplicate the original, though not each other), and a second group
 * has a part at least `HUB_PART_MIN_SHARE` the size of the largest. A roundup carries briefs of a
 * kind; a story page carries its article whole, and of other stories a headline and a paragraph
 * that may happen to be all of a teaser.
 */
function hasTwoDistinctParts(parts: readonly number[], pairs: PairTable, sizes: readonly number[]): boolean {
  if (parts.length < 2) return false;
  const root = parts.map((_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i]!;
    return i;
  };
  for (let a = 0; a < parts.length; a++) {
    for (let b = a + 1; b < parts.length; b++) {
      if (pairs.get(parts[a]!, parts[b]!).duplicate) root[find(a)] = find(b);
    }
  }
  const largest = new Map<number, number>();
  parts.forEach((part, i) => {
    const group = find(i);
    largest.set(group, Math.max(largest.get(group) ?? 0, sizes[part]!));
  });
  const bySize = [...largest.values()].sort((x, y) => y - x);
  return bySize.length >= 2 && bySize[1]! >= bySize[0]! * HUB_PART_MIN_SHARE;
}
