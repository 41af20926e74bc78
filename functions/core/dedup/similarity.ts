/**
 * Exact verification of a candidate pair. Resemblance (Jaccard) is the wrong measure for syndication:
 * a copy that adds five paragraphs to the original has Jaccard ≈ 0.5 with it, yet contains all of it.
 * So the rules look at containment (how much of the smaller text the larger holds) and coverage (how
 * much of the larger text the smaller accounts for), and at two optional features that tell truncated
 * and reworded copies from look-alikes; see `DUPLICATE_THRESHOLDS` for the measured reasons.
 */
import { intersectionSize } from './sorted-sets.js';

export interface Similarity {
  /** |A ∩ B| over shingles. */
  shared: number;
  /** |A ∩ B| / |smaller|: how much of the smaller text the larger contains. */
  containment: number;
  /** |A ∩ B| / |larger|: how much of the larger text the smaller covers. */
  coverage: number;
}

/** Containment and coverage of two sorted unique hash sets, by one linear merge. Empty sets share nothing. */
export function similarity(a: Uint32Array, b: Uint32Array): Similarity {
  const shared = intersectionSize(a, b);
  const smaller = Math.min(a.length, b.length);
  const larger = Math.max(a.length, b.length);
  return {
    shared,
    containment: smaller === 0 ? 0 : shared / smaller,
    coverage: larger === 0 ? 0 : shared / larger,
  };
}

/**
 * What the verification knows of one text. Only `shingles` is required; the optional features
 * (computed by `dedupFeatures`) enable the truncation and rewording rules when both texts carry them.
 */
export interface DedupFeatures {
  /** `shingleSet(text)`. */
  shingles: Uint32Array;
  /** Sorted unique hashes of the first `LEAD_SHINGLES` shingles: how the text opens. */
  lead?: Uint32Array;
  /** Sorted unique hashes of the word 2-shingles: survive rewording far better than 5-shingles. */
  pairs?: Uint32Array;
}

/**
 * Thresholds, tuned on the seeds and the generated variants (test/unit/dedup-variants.test.ts prints
 * the table). Measured, for the record:
 * - copies (boilerplate, new date, typography, reordering, new lead): containment ≥ 0.84, coverage ≥ 0.80;
 *   a brief with ~50 shingles of outlet boilerplate around it: coverage 0.40;
 * - seed 000 in seed 001: containment 1.00, coverage 0.50;
 * - a brief in a roundup of 3 or 5: containment 1.00, coverage 0.14–0.28 (2 briefs: 0.38–0.43);
 * - truncated copies: containment 1.00, coverage 0.05–0.45, the larger text's lead fully contained;
 * - light edits (2 words per paragraph): containment 0.62–0.82, pair containment ≥ 0.81;
 *   rewording 15–20 % of the words: containment 0.30–0.45, pair containment 0.63–0.77;
 * - different articles: containment ≤ 0.31 and pair containment ≤ 0.35 (seeds: ≤ 0.12 and ≤ 0.24),
 *   except a short text quoted whole inside a long one: containment 0.82 but coverage 0.06–0.08.
 */
export const DUPLICATE_THRESHOLDS = {
  /** Rule "containment": most of the smaller text is in the larger… */
  containment: 0.6,
  /** …and it is a substantial share of the larger one (above a brief in a roundup of three, 0.28). */
  coverage: 0.35,
  /** Rule "truncation": nearly all of the smaller text is in the larger… */
  truncationContainment: 0.8,
  /** …and it includes the larger text's opening; no coverage floor (a teaser of 2 paragraphs covers 5 %). */
  leadContained: 0.8,
  /** Rule "rewording": most word pairs of the smaller text are in the larger… */
  pairContainment: 0.55,
  /** …and they cover half of the larger text's pairs, so a brief in a roundup does not qualify… */
  pairCoverage: 0.5,
  /** …and some verbatim 5-word runs remain (rewording 20 % leaves 0.30). */
  rewordedContainment: 0.2,
} as const;

export type DuplicateRule = 'containment' | 'truncation' | 'rewording';

export interface DuplicateVerdict {
  duplicate: boolean;
  /** Over the 5-shingle sets. */
  similarity: Similarity;
  /** The first rule that matched, when `duplicate`. */
  rule?: DuplicateRule;
}

/** Share of `larger`'s opening found in `smaller`'s shingles, or undefined when leads are missing. */
function leadContained(larger: DedupFeatures, smaller: DedupFeatures): number | undefined {
  if (!larger.lead || larger.lead.length === 0) return undefined;
  return intersectionSize(larger.lead, smaller.shingles) / larger.lead.length;
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
  return sim.containment >= t.truncationContainment && (leadShare(a, b) ?? 0) >= t.leadContained;
}

function asFeatures(value: Uint32Array | DedupFeatures): DedupFeatures {
  return value instanceof Uint32Array ? { shingles: value } : value;
}

/**
 * Whether two texts are copies of one story. Symmetric in its arguments. Shingle sets alone decide by
 * the containment rule; features with `lead` and `pairs` also catch truncated and reworded copies.
 */
export function isDuplicate(
  a: Uint32Array | DedupFeatures,
  b: Uint32Array | DedupFeatures,
): DuplicateVerdict {
  const fa = asFeatures(a);
  const fb = asFeatures(b);
  const sim = similarity(fa.shingles, fb.shingles);
  const t = DUPLICATE_THRESHOLDS;
  if (sim.containment >= t.containment && sim.coverage >= t.coverage) {
    return { duplicate: true, similarity: sim, rule: 'containment' };
  }
  if (isTruncation(fa, fb, sim)) {
    return { duplicate: true, similarity: sim, rule: 'truncation' };
  }
  if (sim.containment >= t.rewordedContainment && fa.pairs && fb.pairs) {
    const pairs = similarity(fa.pairs, fb.pairs);
    if (pairs.containment >= t.pairContainment && pairs.coverage >= t.pairCoverage) {
      return { duplicate: true, similarity: sim, rule: 'rewording' };
    }
  }
  return { duplicate: false, similarity: sim };
}
