/**
 * Deterministic, labelled, newsroom-shaped corpora for evaluating and benchmarking deduplication:
 * events covered by several outlets (different articles sharing facts, quotes and background), outlet
 * page templates, briefs, live blogs, near-copies of every syndication kind and the look-alikes that
 * must stay apart. See README.md in this folder.
 */
export {
  type CorpusOptions,
  corpusArticles,
  corpusEnd,
  corpusOutlets,
  type GeneratedArticle,
  generateCorpus,
} from './corpus.js';
export type { Outlet } from './outlets.js';
export { type LabelledPair, NEGATIVE_KINDS, pairCounts, pairsOf } from './pairs.js';
export { COPY_KINDS } from './profiles.js';
