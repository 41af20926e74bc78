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
  /** A headline of fewer words is too unspecific to tell a page by. */
  headlineMinWords: 3,
  /** Words a page may add around the headline ("LIVE:", "– as it happened", the outlet's name). */
  headlineExtraWords: 8,
  /** A headline this long is also found inside a longer line (see `headlineAt`). */
  headlineInlineMinWords: 6,
} as const;

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
 * Share of `a`'s words that stand in lines with a counterpart in `b`, in the same order (a line
 * holding `lineMatchPairs` of their word pairs; the longest such chain of lines, by words). A reworded
 * copy rewords its original line by line; another article on the same event tells the facts in
 * another order. Undefined when either lacks line features.
 */
export function lineMatch(a: DedupFeatures, b: DedupFeatures): number | undefined {
  if (!a.linePairs || !b.linePairs || a.linePairs.length === 0) return undefined;
  const rows = a.linePairs;
  const cols = b.linePairs;
  // Longest common subsequence of matching lines, weighted by the words of `a`'s lines.
  let previous = new Float64Array(cols.length + 1);
  let current = new Float64Array(cols.length + 1);
  let total = 0;
  for (const line of rows) {
    total += line.words;
    const need = line.pairs.length * DUPLICATE_THRESHOLDS.lineMatchPairs;
    for (let j = 1; j <= cols.length; j++) {
      const match =
        intersectionSize(line.pairs, cols[j - 1]!.pairs) >= need ? previous[j - 1]! + line.words : 0;
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

/** Where `needle` starts as a contiguous run in `line`, or -1. */
function runAt(line: Uint32Array, needle: Uint32Array): number {
  outer: for (let start = 0; start + needle.length <= line.length; start++) {
    for (let i = 0; i < needle.length; i++) if (line[start + i] !== needle[i]) continue outer;
    return start;
  }
  return -1;
}

/**
 * Where `page` holds `article`'s headline (see `headedBy`): its line and the word it starts at, or
 * undefined. A line of its own (with at most `headlineExtraWords` words around it) is looked for
 * first; a long headline may also stand inside a longer line, where a page run together lines (a
 * headline in lower case reads as the rest of the paragraph before it).
 */
export function headlineAt(
  page: DedupFeatures,
  article: DedupFeatures,
): { line: number; word: number } | undefined {
  for (const headline of [article.headline, article.writtenHeadline]) {
    const found = headline && findHeadline(page, headline);
    if (found) return found;
  }
  return undefined;
}

function findHeadline(
  page: DedupFeatures,
  headline: Uint32Array,
): { line: number; word: number } | undefined {
  const t = DUPLICATE_THRESHOLDS;
  if (headline.length < t.headlineMinWords || !page.lines) return undefined;
  const own = page.lines.findIndex(
    (line) => line.length <= headline.length + t.headlineExtraWords && runAt(line, headline) >= 0,
  );
  if (own >= 0) return { line: own, word: runAt(page.lines[own]!, headline) };
  if (headline.length < t.headlineInlineMinWords) return undefined;
  for (let line = 0; line < page.lines.length; line++) {
    const word = runAt(page.lines[line]!, headline);
    if (word >= 0) return { line, word };
  }
  return undefined;
}

/** Index of the line of `page` holding `article`'s headline, or -1. */
export function headlineLine(page: DedupFeatures, article: DedupFeatures): number {
  return headlineAt(page, article)?.line ?? -1;
}

/**
 * Whether `page` carries `article` under its headline: a line of the page holds the headline, with at
 * most `headlineExtraWords` words around it ("LIVE:", "— what we know"), in any case. The line may
 * stand anywhere: a story page may open with pieces of other stories.
 */
export function headedBy(page: DedupFeatures, article: DedupFeatures): boolean {
  return headlineLine(page, article) >= 0;
}

/** Lines of fewer words are not another story's text (a label, a byline, a button row). */
const PIECE_MIN_WORDS = 6;

const sameLine = (a: Uint32Array, b: Uint32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Whether `page` carries `article` among other stories' text: other prose stands above the article's
 * headline, or after its last line. Such a page is not the story's best representative, however
 * long: the article is (a live blog's newest version, headed by the headline and ending as the older
 * versions end, is not such a page). Says where the other text stands: only above, or also after
 * (which a fuller copy, the story updated with paragraphs at its end, looks like too).
 */
export function carriesAmongOthers(page: DedupFeatures, article: DedupFeatures): 'above' | 'after' | false {
  const found = headlineAt(page, article);
  if (!found || !page.lines || !article.lines?.length) return false;
  const at = found.line;
  const prose = (line: Uint32Array) => line.length >= PIECE_MIN_WORDS;
  if (found.word >= PIECE_MIN_WORDS || page.lines.slice(0, at).some(prose)) return 'above';
  const last = article.lines[article.lines.length - 1]!;
  const end = page.lines.findIndex((line, i) => i > at && sameLine(line, last));
  return end >= 0 && page.lines.slice(end + 1).filter(prose).length >= 1 ? 'after' : false;
}

/** Whether the larger text is a story page carrying the smaller one whole under its headline. */
export function isStoryPage(
  a: DedupFeatures,
  b: DedupFeatures,
  sim: Similarity = similarity(a.shingles, b.shingles),
): boolean {
  if (sim.containment < DUPLICATE_THRESHOLDS.storyPageContainment) return false;
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
