/**
 * What the verification measures and its thresholds: the feature types of a text, containment and
 * coverage, and `DUPLICATE_THRESHOLDS`. Apart from the rules (`similarity.ts`) so that the headline
 * tests (`headlines.ts`) can use them without an import cycle.
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
 * (computed by `dedupFeatures` and `contentFeatures`) enable the other rules when both texts carry them.
 */
export interface DedupFeatures {
  /** `shingleSet(text)`. */
  shingles: Uint32Array;
  /** Sorted unique hashes of the first `LEAD_SHINGLES` shingles: how the text opens. */
  lead?: Uint32Array;
  /** Sorted unique hashes of the word 2-shingles: survive rewording far better than 5-shingles. */
  pairs?: Uint32Array;
  /** Sorted unique word 3-shingles of the text. */
  triples?: Uint32Array;
  /** Sorted unique word 3-shingles of the first substantial lines (see `OPENING_LINES`). */
  opening?: Uint32Array;
  /** Token hashes of the author-written headline. */
  headline?: Uint32Array;
  /** The headline as written, when template removal took it (see `ContentFeatures`). */
  writtenHeadline?: Uint32Array;
  /** Token hashes of each line, where a story page carries another text's headline. */
  lines?: readonly Uint32Array[];
  /** Sorted unique hashes of the names and numbers: what a reworded copy keeps and a formulaic look-alike changes. */
  particulars?: Uint32Array;
  /** Word pairs of each substantial line: how a reworded copy keeps every line of its original. */
  linePairs?: readonly { words: number; pairs: Uint32Array }[];
  /** The substantial lines cut into sentence-sized pieces, with their word pairs (see `lineMatch`). */
  passagePairs?: readonly { words: number; pairs: Uint32Array }[];
}

/**
 * Thresholds, tuned on the seeds and the generated variants (test/unit/dedup-variants.test.ts prints
 * the table; ranges below also cover 1,500 random synthetic articles per kind). Measured:
 * - copies with boilerplate, another date, other typography or normalisation, reordered paragraphs or
 *   a new lead: containment ≥ 0.84, coverage ≥ 0.79; a 40-word brief inside ~50 words of outlet
 *   boilerplate: coverage 0.34–0.5;
 * - seed 000 in seed 001: containment 1.00, coverage 0.50;
 * - a brief in a roundup of 5: containment 1.00, coverage 0.10–0.28; of 3: 0.20–0.41; of 2: 0.30–0.56
 *   (the short roundups are the hub rule's job, see hubs.ts);
 * - truncated copies: containment 1.00, coverage 0.03–0.49, opening contained ≥ 0.88;
 * - light edits (2 words per paragraph): containment 0.62–0.83, pair containment ≥ 0.81;
 *   rewording 15–20 % of the words: containment 0.13–0.45, pair containment 0.59–0.77;
 * - different articles: containment ≤ 0.34, pair containment ≤ 0.42 (seeds: ≤ 0.12 and ≤ 0.24), and
 *   both ≤ 0.01 and ≤ 0.26 for unrelated texts; a short text quoted whole inside a long one:
 *   containment 1.00 but coverage 0.06–0.14.
 */
export const DUPLICATE_THRESHOLDS = {
  /** Rule "containment": most of the smaller text is in the larger… */
  containment: 0.6,
  /** …and it is a substantial share of the larger one (a brief in a roundup of five stays below 0.28). */
  coverage: 0.35,
  /** Rule "truncation": nearly all of the smaller text is in the larger… */
  truncationContainment: 0.8,
  /**
   * …and it includes the larger text's opening (all of the opening, or all of the smaller text when
   * that is shorter); no coverage floor: a teaser of 2 paragraphs covers 5 % of a long article…
   */
  leadContained: 0.8,
  /** …but a text of fewer shingles (~16 words) is too short to tell a teaser from a stock phrase. */
  truncationMinShingles: 12,
  /** Rule "rewording": most word pairs of the smaller text are in the larger… */
  pairContainment: 0.5,
  /** …and they cover much of the larger text's pairs, so a brief in a roundup does not qualify… */
  pairCoverage: 0.4,
  /**
   * …and line by line: this share of the smaller text's words stand in lines with a counterpart in
   * the larger (a line holding `lineMatchPairs` of their word pairs). A reworded copy rewords every
   * line of its original (measured 0.81–1.00); a different article on the same event shares some
   * lines whole and has others of its own (0.40–0.76, when its word pairs pass the two tests above).
   */
  lineMatch: 0.8,
  lineMatchPairs: 0.35,
  /**
   * …where a long line counts as pieces of about this many words (see `lineMatch`): about a sentence.
   * Measured on the eval corpora (seeds 1–8): 18 words refuses briefs that share only their first
   * sentence (false merges 58 → 46 pairs) for one copy missed (98 → 99); 12 words misses more.
   */
  lineMatchChunkWords: 18,
  /**
   * …and it keeps the names and numbers: a copy rewords the prose around them, while a formulaic
   * brief on another event ("Port staff vote by 68 per cent to strike") changes exactly them.
   */
  particularsShared: 0.7,
  /** Containment at or above which shared particulars are not asked for. */
  containmentSure: 0.85,
  /** …and some verbatim 5-word runs remain (rewording 20 % leaves 0.13–0.35; unrelated texts 0–0.01). */
  rewordedContainment: 0.1,
  /**
   * Veto "different openings": copies of every kind keep the smaller text's opening lines somewhere in
   * the larger one (a teaser, a story page, a live blog or an update all carry them), so when neither
   * text holds this share of the other's opening word pairs, the two are different articles however
   * much else they share: an outlet's page template, a quote, background paragraphs. Measured in 3-word
   * shingles: copies reworded 20 % keep 0.39–0.57 of the opening, unrelated texts share 0.06–0.12.
   */
  openingShared: 0.3,
  /**
   * Rule "story page": the larger text is a page carrying the smaller one's headline (words may be
   * added around it, case may change) that contains the smaller text whole, whatever else the page
   * carries (related-coverage blocks, pieces of other stories) and so whatever the coverage. A page
   * carrying several whole articles so is a roundup: the hub rule keeps it apart from all of them.
   */
  storyPageContainment: 0.85,
  /**
   * …or holds this share of it and `storyPagePairContainment` of its word pairs: the page carries another
   * copy of the article (copy-edited, a word changed in every few sentences), which breaks 5-word runs
   * but keeps the word pairs. Pieces of other stories on a page (a headline and a paragraph or two) stay
   * far below both.
   */
  storyPageCopyContainment: 0.75,
  storyPagePairContainment: 0.9,
  /** A headline of fewer words is too unspecific to tell a page by. */
  headlineMinWords: 3,
  /** Words a page may add around the headline ("LIVE:", "– as it happened", the outlet's name). */
  headlineExtraWords: 8,
  /** A headline this long is also found inside a longer line (see `headlineAt`). */
  headlineInlineMinWords: 6,
} as const;
