/**
 * Exact verification of a candidate pair. Resemblance (Jaccard) is the wrong measure for syndication:
 * a copy that adds five paragraphs to the original has Jaccard ≈ 0.5 with it, yet contains all of it.
 * So the rules look at containment (how much of the smaller text the larger holds) and coverage (how
 * much of the larger text the smaller accounts for), and at two optional features that tell truncated
 * and reworded copies from look-alikes; see `DUPLICATE_THRESHOLDS` for the measured reasons.
 */
import { headedBy, headlineLine } from './headlines.js';
import { intersectionSize } from './sorted-sets.js';
import { type DedupFeatures, DUPLICATE_THRESHOLDS, type Similarity, similarity } from './thresholds.js';

export { carriesAmongOthers, headedBy, headlineAt, headlineLine } from './headlines.js';
export { type DedupFeatures, DUPLICATE_THRESHOLDS, type Similarity, similarity } from './thresholds.js';

export type DuplicateRule = 'containment' | 'story-page' | 'truncation' | 'rewording';

export interface DuplicateVerdict {
  duplicate: boolean;
  /** Over the 5-shingle sets. */
  similarity: Similarity;
  /** The first rule that matched, when `duplicate`. */
  rule?: DuplicateRule;
  /** Why the pair was refused whatever its overlap. */
  veto?: 'different-openings';
}

/**
 * Share of `larger`'s opening found in `smaller`'s shingles, out of the opening or out of the smaller
 * text when that is shorter than the opening; undefined when the larger carries no `lead`.
 */
function leadContained(larger: DedupFeatures, smaller: DedupFeatures): number | undefined {
  if (!larger.lead || larger.lead.length === 0 || smaller.shingles.length === 0) return undefined;
  return (
    intersectionSize(larger.lead, smaller.shingles) / Math.min(larger.lead.length, smaller.shingles.length)
  );
}

/**
 * Share of the larger text's opening (`lead`) found in the smaller text: near 1 when the smaller is a
 * truncated copy, or another copy, of the larger. Undefined when the larger carries no `lead`.
 */
export function leadShare(a: DedupFeatures, b: DedupFeatures): number | undefined {
  if (a.shingles.length > b.shingles.length) return leadContained(a, b);
  if (b.shingles.length > a.shingles.length) return leadContained(b, a);
  // Same size: take the weaker direction, so the verdict does not depend on argument order.
  const ab = leadContained(a, b);
  const ba = leadContained(b, a);
  return ab === undefined || ba === undefined ? undefined : Math.min(ab, ba);
}

/** Whether the smaller of two texts is a truncated copy of the larger: the truncation rule alone. */
export function isTruncation(
  a: DedupFeatures,
  b: DedupFeatures,
  sim: Similarity = similarity(a.shingles, b.shingles),
): boolean {
  const t = DUPLICATE_THRESHOLDS;
  if (
    Math.min(a.shingles.length, b.shingles.length) < t.truncationMinShingles ||
    sim.containment < t.truncationContainment ||
    (leadShare(a, b) ?? 0) < t.leadContained
  ) {
    return false;
  }
  // A teaser keeps the headline: a brief opening a roundup starts the way the roundup starts, all but
  // the roundup's own headline.
  const [smaller, larger] = a.shingles.length <= b.shingles.length ? [a, b] : [b, a];
  return !larger.headline || !smaller.lines || headlineLine(smaller, larger) >= 0;
}

function asFeatures(value: Uint32Array | DedupFeatures): DedupFeatures {
  return value instanceof Uint32Array ? { shingles: value } : value;
}

/** Share of `a`'s opening 3-shingles found in `b`; undefined when either lacks them. */
export function openingShare(a: DedupFeatures, b: DedupFeatures): number | undefined {
  if (!a.opening || a.opening.length === 0 || !b.triples) return undefined;
  return intersectionSize(a.opening, b.triples) / a.opening.length;
}

/** Whether neither text holds the other's opening: the veto of `DUPLICATE_THRESHOLDS.openingShared`. */
export function openingsDiffer(a: DedupFeatures, b: DedupFeatures): boolean {
  const ab = openingShare(a, b);
  const ba = openingShare(b, a);
  if (ab === undefined || ba === undefined) return false;
  return Math.max(ab, ba) < DUPLICATE_THRESHOLDS.openingShared;
}

/**
 * Share of `a`'s words that stand in passages with a counterpart in `b`, in the same order (a passage
 * holding `lineMatchPairs` of its word pairs in one line of `b`; the longest such chain, by words). A
 * passage is a line of `a`, cut into pieces of about `lineMatchChunkWords` words: a reworded copy
 * rewords every sentence of its original, while a brief that shares its first sentence with another
 * and then says something else has a piece with no counterpart, even when the two sentences stand in
 * one paragraph. Pieces of one line of `a` may match one line of `b`. Undefined when either lacks
 * line features.
 */
export function lineMatch(a: DedupFeatures, b: DedupFeatures): number | undefined {
  if (!a.passagePairs || !b.linePairs || a.passagePairs.length === 0) return undefined;
  const rows = a.passagePairs;
  const cols = b.linePairs;
  // Longest chain of matching passages (columns non-decreasing), weighted by the words of `a`'s passages.
  let previous = new Float64Array(cols.length + 1);
  let current = new Float64Array(cols.length + 1);
  let total = 0;
  for (const row of rows) {
    total += row.words;
    const need = row.pairs.length * DUPLICATE_THRESHOLDS.lineMatchPairs;
    current[0] = 0;
    for (let j = 1; j <= cols.length; j++) {
      const match = intersectionSize(row.pairs, cols[j - 1]!.pairs) >= need ? previous[j]! + row.words : 0;
      current[j] = Math.max(match, previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return total === 0 ? undefined : previous[cols.length]! / total;
}

/**
 * How much of one text's particulars (names and numbers) the other has, in the direction where it is
 * most (a shorter copy's are all in the original); a name counts as found when the other has it whole
 * or as a word of a longer name. Undefined when either has fewer than two.
 */
export function particularsShare(a: DedupFeatures, b: DedupFeatures): number | undefined {
  if (!a.particulars || !b.particulars) return undefined;
  const [inA, foundA] = particularsFound(a.particulars, b.particulars);
  const [inB, foundB] = particularsFound(b.particulars, a.particulars);
  if (inA < 2 || inB < 2) return undefined;
  return Math.max(foundA / inA, foundB / inB);
}

/** How many whole particulars (even hashes) `x` has, and how many of them `y` has whole or as a name's word. */
function particularsFound(x: Uint32Array, y: Uint32Array): [number, number] {
  let whole = 0;
  let found = 0;
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    const h = x[i]!;
    if (h & 1) continue;
    whole++;
    while (j < y.length && y[j]! < h) j++;
    if (j < y.length && (y[j] === h || y[j] === h + 1 || y[j + 1] === h + 1)) found++;
  }
  return [whole, found];
}

/** Whether the larger text is a story page carrying the smaller one whole under its headline. */
export function isStoryPage(
  a: DedupFeatures,
  b: DedupFeatures,
  sim: Similarity = similarity(a.shingles, b.shingles),
): boolean {
  const t = DUPLICATE_THRESHOLDS;
  if (sim.containment < t.storyPageCopyContainment) return false;
  if (sim.containment < t.storyPageContainment) {
    if (!a.pairs || !b.pairs || similarity(a.pairs, b.pairs).containment < t.storyPagePairContainment)
      return false;
  }
  const [smaller, larger] = a.shingles.length <= b.shingles.length ? [a, b] : [b, a];
  return headedBy(larger, smaller) || (a.shingles.length === b.shingles.length && headedBy(smaller, larger));
}

/**
 * Whether two texts are copies of one story. Symmetric in its arguments. Shingle sets alone decide by
 * the containment rule; features with `lead`, `pairs`, `opening` and `headline` also catch truncated,
 * reworded and story-page copies, and refuse texts whose openings differ.
 */
export function isDuplicate(
  a: Uint32Array | DedupFeatures,
  b: Uint32Array | DedupFeatures,
): DuplicateVerdict {
  const fa = asFeatures(a);
  const fb = asFeatures(b);
  const sim = similarity(fa.shingles, fb.shingles);
  const t = DUPLICATE_THRESHOLDS;
  if (openingsDiffer(fa, fb)) return { duplicate: false, similarity: sim, veto: 'different-openings' };
  if (sim.containment >= t.containment && sim.coverage >= t.coverage) {
    // Below near-identity, shared wording may be one outlet's formula ("X staff have voted by 68 per
    // cent to strike"): a copy also keeps the names and numbers.
    const names = sim.containment < t.containmentSure ? particularsShare(fa, fb) : undefined;
    if (names === undefined || names >= t.particularsShared) {
      return { duplicate: true, similarity: sim, rule: 'containment' };
    }
  }
  if (isStoryPage(fa, fb, sim)) return { duplicate: true, similarity: sim, rule: 'story-page' };
  if (isTruncation(fa, fb, sim)) {
    return { duplicate: true, similarity: sim, rule: 'truncation' };
  }
  if (sim.containment >= t.rewordedContainment && fa.pairs && fb.pairs) {
    const pairs = similarity(fa.pairs, fb.pairs);
    if (pairs.containment >= t.pairContainment && pairs.coverage >= t.pairCoverage) {
      const [smaller, larger] = fa.shingles.length <= fb.shingles.length ? [fa, fb] : [fb, fa];
      const lines = lineMatch(smaller, larger);
      const names = particularsShare(fa, fb);
      if (
        (lines === undefined || lines >= t.lineMatch) &&
        (names === undefined || names >= t.particularsShared)
      ) {
        return { duplicate: true, similarity: sim, rule: 'rewording' };
      }
    }
  }
  return { duplicate: false, similarity: sim };
}
