/**
 * `--explain A B`: loads two articles and the templates the build state has learned, and explains
 * whether deduplication makes them one story, and why.
 */
import { articleText } from '../article/article-text.js';
import { parseArticle } from '../article/parse-article.js';
import { storedFeatures } from '../dedup/doc-features.js';
import { entityHashes } from '../dedup/entities.js';
import { type ExplainedDoc, type Explanation, explainPair } from '../dedup/explain.js';
import type { BlobStore } from '../ports.js';
import { CorpusIndex } from './corpus-index.js';
import { openState } from './state-open.js';

export interface ExplainInput {
  /** The article's key relative to the articles folder (how the state names it), or its path when outside. */
  key: string;
  bytes: Uint8Array;
}

export interface ExplainReport extends Explanation {
  /** How many template lines the build state knows (0 without a state: run a build first). */
  templatesKnown: number;
  /** What the last build did with the two, when both are in it. */
  lastBuild?: { storyA: string; storyB: string; sameStory: boolean };
}

function explained(input: ExplainInput, maxBytes: number, now: Date): ExplainedDoc {
  const { article } = parseArticle(input.key, input.bytes, { maxBytes, now });
  const lines = articleText(article).split('\n');
  return {
    source: input.key,
    lines,
    stored: storedFeatures(lines, !article.titleDerived, entityHashes(lines)),
  };
}

export async function explainFiles(
  state: BlobStore,
  a: ExplainInput,
  b: ExplainInput,
  options: { maxBytes: number; now: Date },
): Promise<ExplainReport> {
  // A damaged state opens empty (the next build rebuilds it): no templates are known then.
  const { state: build, store } = await openState(state);
  const index = await CorpusIndex.load(store, Object.keys(build.files).length === 0);
  const report: ExplainReport = {
    ...explainPair(
      explained(a, options.maxBytes, options.now),
      explained(b, options.maxBytes, options.now),
      index.isTemplate,
    ),
    templatesKnown: index.templates.size,
  };
  const storyA = build.files[a.key]?.story;
  const storyB = build.files[b.key]?.story;
  if (storyA && storyB) report.lastBuild = { storyA, storyB, sameStory: storyA === storyB };
  return report;
}
