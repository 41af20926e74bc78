/**
 * Learning each outlet's page template from the corpus. A line (byline, button row, advertisement
 * marker, newsletter plug, list of other headlines, copyright footer) that recurs across many
 * articles that are not copies of each other is template, not content: deduplication leaves it out.
 * No phrase list: an outlet never seen before is learned after `TEMPLATE_WITNESSES` of its articles.
 *
 * The test, for a line h (after Kohlschütter et al. and Alonso, Fetterly and Manasse, adapted to
 * lines): take the articles carrying h (a sample of at most `TEMPLATE_SAMPLE`, chosen by a key that
 * does not depend on arrival order). Their *frame* is the lines most of them carry (h and the rest
 * of the template). What each article has outside the frame, leaving out lines that are themselves
 * common in the corpus, is its own content. h is template when at least `TEMPLATE_WITNESSES` of those
 * articles have own content that no other of them shares: different articles wrapped in one frame.
 *
 * Copies of one story do not pass: outside the story's lines they carry their outlets' templates,
 * which are common lines and so not own content, or the same additions (live-blog updates). A quote
 * or background paragraph repeated by several different articles does pass, which is right too:
 * sharing it says nothing about whether two articles are copies.
 *
 * The verdict depends only on the articles carrying h and on which lines are common, so it is the
 * same whatever order the articles arrived in; `affectedByCommonness` says what to re-test when a line
 * becomes common or stops being common.
 */

/** Own-content witnesses a line needs to be template. */
export const TEMPLATE_WITNESSES = 3;
/** Witnesses a long line (a paragraph: `LONG_LINE_TOKENS` words or more) needs: more evidence before dropping prose. */
export const TEMPLATE_WITNESSES_LONG = 5;
export const LONG_LINE_TOKENS = 20;
/** A line carried by this many articles is common: it is never an article's own content. */
export const COMMON_LINE_DOCS = 3;
/** At most this many carriers are examined per line. */
export const TEMPLATE_SAMPLE = 24;
/**
 * Own content must be at least this share of the article's words: an article wrapped in a template
 * is mostly its own text (a brief inside the heaviest template still a quarter), while a copy that adds
 * a paragraph, an update or a correction to an article is mostly that article.
 */
const OWN_SHARE_MIN = 0.2;
/** Own content must include a line of at least this many words (not a date or a one-word label). */
const OWN_LINE_MIN_TOKENS = 3;

/** One article carrying the line under test. */
export interface CarrierDoc {
  /** Order-independent sampling key (derived from the article id). */
  rank: number;
  /** Tie-break for equal ranks. */
  docNum: number;
  /** Its lines: hash → number of words. */
  lines: ReadonlyMap<number, number>;
  /** Where each line first stands: its index among the article's `count` lines. */
  positions: ReadonlyMap<number, { index: number; count: number }>;
}

/** What the test reads of a carrier: its lines and where they stand. */
export type CarrierLines = Pick<CarrierDoc, 'lines' | 'positions'>;

/**
 * A template line stands in the same place in every article it is in: so many lines from the top (a
 * byline, a button row), from the bottom (a footer, a newsletter plug), or at the same share of the
 * article (an advertisement marker mid-body). An article's headline is not template even when the
 * related-coverage blocks of many pages repeat it: it heads its article and stands mid-page in the
 * others.
 */
export const TEMPLATE_PLACE_LINES = 2;
export const TEMPLATE_PLACE_SHARE = 0.35;

/** Whether a line stands in one place in all its sampled carriers (see `TEMPLATE_PLACE_LINES`). */
export function samePlace(hash: number, sample: readonly CarrierLines[]): boolean {
  const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
  const places = sample.map((doc) => doc.positions.get(hash)).filter((p) => p !== undefined);
  if (places.length === 0) return true;
  return (
    spread(places.map((p) => p.index)) <= TEMPLATE_PLACE_LINES ||
    spread(places.map((p) => p.count - 1 - p.index)) <= TEMPLATE_PLACE_LINES ||
    spread(places.map((p) => (p.count > 1 ? p.index / (p.count - 1) : 0))) <= TEMPLATE_PLACE_SHARE
  );
}

/**
 * The carriers to examine: the `TEMPLATE_SAMPLE` docNums with the lowest (rank, docNum), in that order.
 * A selection, not a sort: a large outlet's template line has thousands of carriers, and an increment
 * samples every line its articles touch (sorting them all was 1 s of a 100-article increment at 100,000).
 */
export function templateSample(docNums: readonly number[], rankOf: (docNum: number) => number): number[] {
  const ranks: number[] = [];
  const docs: number[] = [];
  for (const docNum of docNums) {
    const rank = rankOf(docNum);
    let at = docs.length;
    while (at > 0 && (ranks[at - 1]! > rank || (ranks[at - 1] === rank && docs[at - 1]! > docNum))) at--;
    if (at >= TEMPLATE_SAMPLE) continue;
    ranks.splice(at, 0, rank);
    docs.splice(at, 0, docNum);
    if (docs.length > TEMPLATE_SAMPLE) {
      ranks.pop();
      docs.pop();
    }
  }
  return docs;
}

/** Witness count of line `hash` among its sampled carriers (see the file header). */
export function templateWitnesses(
  hash: number,
  sample: readonly CarrierLines[],
  isCommon: (lineHash: number) => boolean,
): number {
  if (sample.length < TEMPLATE_WITNESSES) return 0;
  const carriedBy = new Map<number, number>();
  for (const doc of sample)
    for (const line of doc.lines.keys()) carriedBy.set(line, (carriedBy.get(line) ?? 0) + 1);
  const frameMin = Math.ceil(sample.length / 2);
  const claimed = new Set<number>();
  let witnesses = 0;
  for (const doc of sample) {
    const own: number[] = [];
    let substantial = false;
    let ownWords = 0;
    let allWords = 0;
    for (const [line, words] of doc.lines) {
      allWords += words;
      if (line === hash || carriedBy.get(line)! >= frameMin || isCommon(line)) continue;
      own.push(line);
      ownWords += words;
      if (words >= OWN_LINE_MIN_TOKENS) substantial = true;
    }
    if (!substantial || ownWords < allWords * OWN_SHARE_MIN || own.some((line) => claimed.has(line)))
      continue;
    for (const line of own) claimed.add(line);
    witnesses++;
  }
  return witnesses;
}

/**
 * Whether a line of `words` words is template, given how many carriers were sampled, how many witness,
 * and whether it stands in one place in them.
 */
export function isTemplateLine(
  words: number,
  sampled: number,
  witnesses: number,
  onePlace: boolean,
): boolean {
  const needed = words >= LONG_LINE_TOKENS ? TEMPLATE_WITNESSES_LONG : TEMPLATE_WITNESSES;
  return sampled >= needed && witnesses >= needed && onePlace;
}
