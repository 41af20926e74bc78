/**
 * What deduplication stores about one article, and what it compares.
 *
 * Stored (`StoredFeatures`): the article's word-token hashes with its line structure, its index
 * fingerprints and its named-entity hashes. Everything the rules need is derived from these on
 * demand, because the derived sets depend on which lines the corpus has since learned to be an
 * outlet's page template (`contentFeatures` leaves those lines out), and that changes as the
 * corpus grows.
 *
 * Lines are the lines of `articleText`: the headline (when the author wrote one), the standfirst,
 * then one line per body block. A line's hash is the hash of its token sequence, so the same line
 * reached through other typography, entities or Unicode forms hashes the same.
 */

import { type Derived, type HoldsDerived, type Sets, usedDerived } from './derived-cache.js';
import { particulars } from './entities.js';
import { winnow } from './fingerprints.js';
import { combineTokenHashes } from './hash.js';
import { SHINGLE_WORDS, shingleSequenceOfTokens } from './shingle-sequence.js';
import { sortedUnique } from './sorted-sets.js';
import { DUPLICATE_THRESHOLDS } from './thresholds.js';
import { tokenHashes } from './tokens.js';

/**
 * Shingles in the opening: ~28 words, the length of a typical first sentence. Long enough that sharing
 * it is not a coincidence of a stock phrase, short enough that a two-paragraph teaser contains it.
 */
export const LEAD_SHINGLES = 24;
/** Lines of fewer words do not count as an opening line (bylines, kickers, button rows, datelines). */
export const OPENING_LINE_MIN_TOKENS = 6;
/** How many substantial lines make the opening. */
export const OPENING_LINES = 3;
/**
 * The opening is compared in 3-word shingles: they survive a copy-editor's pass and a 20 % rewording
 * (about half remain) yet two unrelated news texts share few of them (measured: 0.06–0.12 of an
 * opening; word pairs share 0.10–0.24, through "of the", "in the", "said the").
 */
export const OPENING_SHINGLE_WORDS = 3;

/** A line of more words is not a headline. */
export const HEADLINE_MAX_WORDS = 20;

/** Bit flags of `StoredFeatures.flags`. */
export const HAS_HEADLINE = 1;

export interface StoredFeatures {
  /** Token hashes of the whole text, in order (see `tokenHashes`). */
  tokens: Uint32Array;
  /** End offset (exclusive) in `tokens` of each line, ascending; the last equals `tokens.length`. */
  lineEnds: Uint32Array;
  /** Sorted unique index keys: winnowed 5-shingle hashes of the whole text. */
  fps: Uint32Array;
  /** Sorted unique hashes of the named entities (see `entityHashes`). */
  entities: Uint32Array;
  /** Names and numbers with their line: (hash, line index) pairs sorted by hash (see `particulars`). */
  particulars: Uint32Array;
  /** `HAS_HEADLINE` when the first line is a headline the author wrote. */
  flags: number;
}

/** One line of a stored doc. */
export interface DocLine {
  /** Hash of the line's token sequence; 0 only for a line without tokens. */
  hash: number;
  start: number;
  end: number;
  /** Index among the article's lines (counting lines without tokens). */
  index: number;
}

/** The lines of a stored doc, with their hashes. Lines without tokens are left out. */
export function docLines(doc: Pick<StoredFeatures, 'tokens' | 'lineEnds'>): DocLine[] {
  const lines: DocLine[] = [];
  let start = 0;
  doc.lineEnds.forEach((end, index) => {
    if (end > start) lines.push({ hash: combineTokenHashes(doc.tokens, start, end) || 1, start, end, index });
    start = end;
  });
  return lines;
}

/** Sorted unique line hashes of a stored doc. */
export function lineHashSet(doc: Pick<StoredFeatures, 'tokens' | 'lineEnds'>): Uint32Array {
  return sortedUnique(docLines(doc).map((line) => line.hash));
}

/**
 * Features of an article given as its lines (`articleText(article).split('\n')`). `headline` says
 * whether the first line is an author-written headline.
 */
export function storedFeatures(
  lines: readonly string[],
  headline: boolean,
  entities: Uint32Array,
): StoredFeatures {
  const parts: Uint32Array[] = [];
  const lineEnds = new Uint32Array(lines.length);
  let total = 0;
  lines.forEach((line, i) => {
    const tokens = tokenHashes(line);
    parts.push(tokens);
    total += tokens.length;
    lineEnds[i] = total;
  });
  const tokens = new Uint32Array(total);
  let at = 0;
  for (const part of parts) {
    tokens.set(part, at);
    at += part.length;
  }
  return {
    tokens,
    lineEnds,
    fps: sortedUnique(winnow(shingleSequenceOfTokens(tokens))),
    entities,
    particulars: particulars(lines),
    flags: headline ? HAS_HEADLINE : 0,
  };
}

/** What the verification rules compare (see `similarity.ts`); derived from stored features. */
export interface ContentFeatures {
  /** Sorted unique 5-shingle hashes. */
  shingles: Uint32Array;
  /** Sorted unique hashes of the first `LEAD_SHINGLES` shingles: how the text opens. */
  lead: Uint32Array;
  /** Sorted unique word 2-shingles: survive rewording far better than 5-shingles. */
  pairs: Uint32Array;
  /** Sorted unique hashes of the names and numbers in the content lines. */
  particulars: Uint32Array;
  /** Sorted unique word 3-shingles: what an opening is looked for in. */
  triples: Uint32Array;
  /** Sorted unique word 3-shingles of the first `OPENING_LINES` lines of at least `OPENING_LINE_MIN_TOKENS` words. */
  opening: Uint32Array;
  /** Token hashes of the author-written headline, when there is one and it is content. */
  headline?: Uint32Array;
  /**
   * The headline as written, when it was left out as template: a headline repeated in the
   * related-coverage blocks of many pages reads as template, yet pages are still found by it.
   */
  writtenHeadline?: Uint32Array;
  /** Token hashes of each content line, for finding another text's headline among them. */
  lines: Uint32Array[];
  /** Sorted unique word pairs of each line of at least `OPENING_LINE_MIN_TOKENS` words, with its length. */
  linePairs: { words: number; pairs: Uint32Array }[];
  /** The same lines cut into sentence-sized pieces (`lineMatchChunkWords`), each with its word pairs. */
  passagePairs: { words: number; pairs: Uint32Array }[];
}

/**
 * Content features of a token sequence with its lines, each set computed on first use: most docs a
 * run touches are compared with nothing, or only on their shingles.
 */
class LazyFeatures implements ContentFeatures, HoldsDerived {
  private cache: Partial<Derived> = {};
  readonly headline?: Uint32Array;
  readonly writtenHeadline?: Uint32Array;
  readonly lines: Uint32Array[];
  readonly particulars: Uint32Array;

  constructor(
    private readonly tokens: Uint32Array,
    private readonly docLines: readonly DocLine[],
    headline: boolean,
    particulars: Uint32Array,
    writtenHeadline?: Uint32Array,
  ) {
    this.particulars = particulars;
    const lines = docLines;
    this.lines = lines.map((line) => tokens.subarray(line.start, line.end));
    const first = lines[0];
    if (headline && first) this.headline = tokens.subarray(first.start, first.end);
    if (writtenHeadline) this.writtenHeadline = writtenHeadline;
  }

  dropDerived(): void {
    this.cache = {};
  }

  /** A derived set, made on first use; marks this doc as recently used. */
  private derived<K extends keyof Derived>(name: K, make: () => Derived[K]): Derived[K] {
    usedDerived(this);
    const known = this.cache[name];
    if (known) return known;
    const made = make();
    this.cache[name] = made;
    return made;
  }

  private shingleSequence(): Uint32Array {
    return this.derived('sequence', () => shingleSequenceOfTokens(this.tokens));
  }

  private triplesSequence(): Uint32Array {
    return this.derived('tripleSequence', () => shingleSequenceOfTokens(this.tokens, OPENING_SHINGLE_WORDS));
  }

  get shingles(): Uint32Array {
    return this.derived('shingles', () => sortedUnique(this.shingleSequence()));
  }

  get lead(): Uint32Array {
    return this.derived('lead', () => sortedUnique(this.shingleSequence().subarray(0, LEAD_SHINGLES)));
  }

  get pairs(): Uint32Array {
    return this.derived('pairs', () => sortedUnique(shingleSequenceOfTokens(this.tokens, 2)));
  }

  get triples(): Uint32Array {
    return this.derived('triples', () => sortedUnique(this.triplesSequence()));
  }

  get linePairs(): Sets {
    return this.derived('linePairs', () =>
      this.docLines
        .filter((line) => line.end - line.start >= OPENING_LINE_MIN_TOKENS)
        .map((line) => ({
          words: line.end - line.start,
          pairs: sortedUnique(shingleSequenceOfTokens(this.tokens.subarray(line.start, line.end), 2)),
        })),
    );
  }

  get passagePairs(): Sets {
    return this.derived('passagePairs', () => {
      const size = DUPLICATE_THRESHOLDS.lineMatchChunkWords;
      const out: Sets = [];
      for (const line of this.docLines) {
        const words = line.end - line.start;
        if (words < OPENING_LINE_MIN_TOKENS) continue;
        const pieces = Math.max(1, Math.round(words / size));
        for (let k = 0; k < pieces; k++) {
          const from = line.start + Math.floor((k * words) / pieces);
          const to = line.start + Math.floor(((k + 1) * words) / pieces);
          out.push({
            words: to - from,
            pairs: sortedUnique(shingleSequenceOfTokens(this.tokens.subarray(from, to), 2)),
          });
        }
      }
      return out;
    });
  }

  get opening(): Uint32Array {
    return this.derived('opening', () => {
      const triples = this.triplesSequence();
      const opening: number[] = [];
      let openingLines = 0;
      for (const line of this.docLines) {
        if (openingLines === OPENING_LINES) break;
        if (line.end - line.start < OPENING_LINE_MIN_TOKENS) continue;
        openingLines++;
        // Shingles inside the line only: the opening is these lines, wherever the other text has them.
        for (let i = line.start; i + OPENING_SHINGLE_WORDS <= line.end; i++) opening.push(triples[i]!);
      }
      return sortedUnique(opening);
    });
  }
}

function deriveFeatures(
  tokens: Uint32Array,
  lines: readonly DocLine[],
  headline: boolean,
  particulars: Uint32Array,
  writtenHeadline?: Uint32Array,
): ContentFeatures {
  return new LazyFeatures(tokens, lines, headline, particulars, writtenHeadline);
}

/** The hashes of `doc`'s particulars standing in the given lines (by index). */
function particularsIn(doc: StoredFeatures, lines: readonly DocLine[], all: boolean): Uint32Array {
  const pairs = doc.particulars ?? new Uint32Array(0);
  const keep = all ? undefined : new Set(lines.map((line) => line.index));
  const out: number[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) if (!keep || keep.has(pairs[i + 1]!)) out.push(pairs[i]!);
  return Uint32Array.from(out);
}

/**
 * The features of a doc with the lines `isBoilerplate` names left out: the text as if the outlet's
 * page template had never been there. Shingles run across the removed lines' gaps, as across any
 * line break.
 */
export function contentFeatures(
  doc: StoredFeatures,
  isBoilerplate: (lineHash: number) => boolean = () => false,
): ContentFeatures {
  const all = docLines(doc);
  const kept = all.filter((line) => !isBoilerplate(line.hash));
  if (kept.length === all.length)
    return deriveFeatures(doc.tokens, all, (doc.flags & HAS_HEADLINE) !== 0, particularsIn(doc, all, true));
  let size = 0;
  for (const line of kept) size += line.end - line.start;
  const tokens = new Uint32Array(size);
  const lines: DocLine[] = [];
  let at = 0;
  for (const line of kept) {
    tokens.set(doc.tokens.subarray(line.start, line.end), at);
    lines.push({ hash: line.hash, start: at, end: at + line.end - line.start, index: line.index });
    at += line.end - line.start;
  }
  // A first line that is template was a byline or kicker read as the headline: the headline is then
  // the first content line, when it is headline-sized.
  const first = kept[0];
  const headline =
    (doc.flags & HAS_HEADLINE) !== 0 &&
    first !== undefined &&
    (first === all[0] || first.end - first.start <= HEADLINE_MAX_WORDS);
  const written = all[0];
  const writtenHeadline =
    (doc.flags & HAS_HEADLINE) !== 0 && written && first !== written
      ? doc.tokens.subarray(written.start, written.end)
      : undefined;
  return deriveFeatures(tokens, lines, headline, particularsIn(doc, kept, false), writtenHeadline);
}

/** Every content feature computed, as a plain object (safe to spread or copy). */
export function materialized(features: ContentFeatures): ContentFeatures {
  const out: ContentFeatures = {
    shingles: features.shingles,
    lead: features.lead,
    pairs: features.pairs,
    triples: features.triples,
    opening: features.opening,
    lines: features.lines,
    linePairs: features.linePairs,
    passagePairs: features.passagePairs,
    particulars: features.particulars,
  };
  if (features.headline) out.headline = features.headline;
  if (features.writtenHeadline) out.writtenHeadline = features.writtenHeadline;
  return out;
}

/** Stored and content features of a text whose lines are separated by "\n", plus its fingerprints. */
export function textFeatures(
  text: string,
  headline = false,
): ContentFeatures & { fingerprints: Uint32Array; stored: StoredFeatures } {
  const stored = storedFeatures(text.split('\n'), headline, new Uint32Array(0));
  return { ...materialized(contentFeatures(stored)), fingerprints: stored.fps, stored };
}

/** Words in a shingle: re-exported for callers that size things in shingles. */
export { SHINGLE_WORDS };
