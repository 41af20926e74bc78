/**
 * Why two articles are, or are not, one story: every figure the rules looked at, before and after
 * the learned template lines are left out, and the rule (or veto) that decided. `npm start --
 * --explain A B` prints it.
 */
import { contentFeatures, docLines, type StoredFeatures } from './doc-features.js';
import {
  DUPLICATE_THRESHOLDS,
  type DuplicateVerdict,
  headedBy,
  isDuplicate,
  isTruncation,
  leadShare,
  openingShare,
  particularsShare,
  similarity,
} from './similarity.js';

export interface ExplainedDoc {
  source: string;
  /** The article's lines as published, in order: the text the features were computed from. */
  lines: readonly string[];
  stored: StoredFeatures;
}

export interface Figures {
  words: number;
  shingles: [number, number];
  containment: number;
  coverage: number;
}

export interface Explanation {
  a: string;
  b: string;
  sameStory: boolean;
  /** The rule that merged them, or the veto that refused them, or `none`. */
  decidedBy: string;
  /** The rule in words, with its thresholds. */
  reason: string;
  raw: Figures;
  content: Figures;
  /** Template lines left out of each text, as they read. */
  removed: { a: string[]; b: string[] };
  /** Share of each text's opening word pairs found in the other. */
  openings: { aInB: number | undefined; bInA: number | undefined };
  /** Whether the larger text is headed by the smaller's headline (story page). */
  headedBy: boolean;
  truncation: boolean;
  leadShare: number | undefined;
  pairs: { containment: number; coverage: number };
  /** Share of names and numbers one text has of the other's (see `particularsShare`). */
  particulars: number | undefined;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function figures(a: StoredFeatures, b: StoredFeatures, isTemplate: (line: number) => boolean): Figures {
  const fa = contentFeatures(a, isTemplate);
  const fb = contentFeatures(b, isTemplate);
  const sim = similarity(fa.shingles, fb.shingles);
  const words = (doc: StoredFeatures) =>
    docLines(doc)
      .filter((line) => !isTemplate(line.hash))
      .reduce((n, line) => n + line.end - line.start, 0);
  return {
    words: words(a) + words(b),
    shingles: [fa.shingles.length, fb.shingles.length],
    containment: round(sim.containment),
    coverage: round(sim.coverage),
  };
}

function reasonOf(verdict: DuplicateVerdict): string {
  const t = DUPLICATE_THRESHOLDS;
  if (verdict.veto === 'different-openings')
    return `neither text holds ${t.openingShared} of the other's opening lines: different articles, whatever else they share`;
  switch (verdict.rule) {
    case 'containment':
      return `containment ≥ ${t.containment} and coverage ≥ ${t.coverage} (below ${t.containmentSure}, names and numbers shared ≥ ${t.particularsShared})`;
    case 'story-page':
      return `the larger is headed by the smaller's headline and contains ≥ ${t.storyPageContainment} of it, or ≥ ${t.storyPageCopyContainment} of it and ≥ ${t.storyPagePairContainment} of its word pairs (a story page)`;
    case 'truncation':
      return `containment ≥ ${t.truncationContainment} and the smaller holds the larger's opening (a truncated copy)`;
    case 'rewording':
      return `word-pair containment ≥ ${t.pairContainment} and coverage ≥ ${t.pairCoverage}, sentence-sized passages in order ≥ ${t.lineMatch}, names and numbers shared ≥ ${t.particularsShared} (a reworded copy)`;
    default:
      return 'no rule matched: containment, coverage, headline, opening and word pairs are all below their thresholds';
  }
}

/** Explains the verdict on two articles, given the lines the corpus has learned to be template. */
export function explainPair(
  a: ExplainedDoc,
  b: ExplainedDoc,
  isTemplate: (line: number) => boolean,
): Explanation {
  const fa = contentFeatures(a.stored, isTemplate);
  const fb = contentFeatures(b.stored, isTemplate);
  const verdict = isDuplicate(fa, fb);
  const removedLines = (doc: ExplainedDoc) => {
    const lines = docLines(doc.stored);
    // docLines leaves out lines without words; map back to the published lines by token range.
    const texts: string[] = [];
    let start = 0;
    doc.stored.lineEnds.forEach((end, i) => {
      const line = lines.find((l) => l.start === start && l.end === end);
      if (line && isTemplate(line.hash)) texts.push(doc.lines[i] ?? '');
      start = end;
    });
    return texts;
  };
  const [smaller, larger] = fa.shingles.length <= fb.shingles.length ? [fa, fb] : [fb, fa];
  const pairs = similarity(fa.pairs, fb.pairs);
  return {
    a: a.source,
    b: b.source,
    sameStory: verdict.duplicate,
    decidedBy: verdict.rule ?? verdict.veto ?? 'none',
    reason: reasonOf(verdict),
    raw: figures(a.stored, b.stored, () => false),
    content: figures(a.stored, b.stored, isTemplate),
    removed: { a: removedLines(a), b: removedLines(b) },
    openings: { aInB: openingShare(fa, fb), bInA: openingShare(fb, fa) },
    headedBy: headedBy(larger, smaller),
    truncation: isTruncation(fa, fb),
    leadShare: leadShare(fa, fb),
    pairs: { containment: round(pairs.containment), coverage: round(pairs.coverage) },
    particulars: (() => {
      const share = particularsShare(fa, fb);
      return share === undefined ? undefined : round(share);
    })(),
  };
}

/** The explanation as lines for a terminal. */
export function formatExplanation(e: Explanation): string {
  const pct = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));
  const lines = [
    `${e.a} and ${e.b}: ${e.sameStory ? 'ONE story' : 'DIFFERENT stories'} (decided by: ${e.decidedBy})`,
    `  why: ${e.reason}`,
    `  sizes: ${e.raw.shingles[0]} and ${e.raw.shingles[1]} shingles as written; ${e.content.shingles[0]} and ${e.content.shingles[1]} without template lines`,
    `  as written:            containment ${pct(e.raw.containment)}, coverage ${pct(e.raw.coverage)}`,
    `  without template lines: containment ${pct(e.content.containment)}, coverage ${pct(e.content.coverage)}`,
    `  word pairs: containment ${pct(e.pairs.containment)}, coverage ${pct(e.pairs.coverage)}`,
    `  names and numbers shared: ${pct(e.particulars)}`,
    `  openings: ${pct(e.openings.aInB)} of ${e.a}'s opening in ${e.b}, ${pct(e.openings.bInA)} of ${e.b}'s in ${e.a}`,
    `  story page (larger headed by the smaller's headline): ${e.headedBy ? 'yes' : 'no'}; truncated copy: ${e.truncation ? 'yes' : 'no'} (lead share ${pct(e.leadShare)})`,
  ];
  for (const [name, removed] of [
    [e.a, e.removed.a],
    [e.b, e.removed.b],
  ] as const) {
    if (removed.length === 0) lines.push(`  template lines left out of ${name}: none`);
    else {
      lines.push(`  template lines left out of ${name} (${removed.length}):`);
      for (const text of removed) lines.push(`    | ${text.length > 100 ? `${text.slice(0, 99)}…` : text}`);
    }
  }
  return lines.join('\n');
}
