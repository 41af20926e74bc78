/**
 * The shapes of corpus: 'eval' has every labelled kind often enough to measure (at least 40 pairs of
 * each in 2,000 articles); 'bench' is shaped like a newsroom's archive (events of 1–30 articles, a
 * fifth of the articles near-copies, dates spread over years).
 */

export const COPY_KINDS = [
  'copy-boilerplate',
  'copy-same-outlet',
  'truncated',
  'light-edit',
  'reworded',
  'typography',
  'redated',
  'new-lead',
  'reordered',
  'correction',
] as const;
export type CopyKind = (typeof COPY_KINDS)[number];

export interface Profile {
  name: 'eval' | 'bench';
  /** Articles per block: a block is generated from a PRNG of its own and references nothing outside it. */
  blockSize: number;
  /** Days a block covers, and the first day of the first block (days since 2020-01-01). */
  daysPerBlock: number;
  firstDay: number;
  /** Weights of an event having 1, 2, 3, … different articles. */
  eventSizes: readonly number[];
  /** Share of each article kind among all articles (the rest are full originals). */
  briefs: number;
  copies: Record<CopyKind, number>;
  /** Live blogs per article, and the number of versions each has. */
  liveBlogs: number;
  liveVersions: [number, number];
  storyPages: number;
  roundups: number;
  sharedQuotes: number;
  sharedBackgrounds: number;
}

const EVAL_COPY = 0.028;

export const EVAL: Profile = {
  name: 'eval',
  blockSize: 100,
  daysPerBlock: 2,
  firstDay: 600,
  eventSizes: [30, 25, 18, 12, 9, 6],
  briefs: 0.15,
  copies: Object.fromEntries(COPY_KINDS.map((kind) => [kind, EVAL_COPY])) as Record<CopyKind, number>,
  liveBlogs: 0.008,
  liveVersions: [3, 5],
  storyPages: 0.028,
  roundups: 0.012,
  sharedQuotes: 0.028,
  sharedBackgrounds: 0.028,
};

/** Events of 1–30 articles, most with few: weights falling as k^-1.7. */
const BENCH_EVENT_SIZES = Array.from({ length: 30 }, (_, i) => (i + 1) ** -1.7);

export const BENCH: Profile = {
  name: 'bench',
  blockSize: 60,
  daysPerBlock: 1,
  firstDay: 0,
  eventSizes: BENCH_EVENT_SIZES,
  briefs: 0.12,
  copies: {
    'copy-boilerplate': 0.05,
    'copy-same-outlet': 0.02,
    truncated: 0.025,
    'light-edit': 0.015,
    reworded: 0.01,
    typography: 0.015,
    redated: 0.02,
    'new-lead': 0.015,
    reordered: 0.008,
    correction: 0.006,
  },
  liveBlogs: 0.004,
  liveVersions: [2, 4],
  storyPages: 0.006,
  roundups: 0.002,
  sharedQuotes: 0.008,
  sharedBackgrounds: 0.008,
};

export const PROFILES = { eval: EVAL, bench: BENCH } as const;
