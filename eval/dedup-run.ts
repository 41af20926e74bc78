/**
 * Runs the local pipeline's deduplication (parse, features, template learning, candidates,
 * verification, clustering, related coverage: `ingest`, what `npm start` runs) over labelled
 * articles held in memory, cold or in batches, and scores the result against the labels.
 */
import { MemoryBlobStore } from '../functions/adapters/memory/memory-blob-store.js';
import { ingest } from '../functions/core/local/ingest.js';
import { type BuildState, emptyState } from '../functions/core/local/state.js';
import { prepareArticle } from '../functions/core/stories/prepare.js';

export interface LabelledArticle {
  path: string;
  text: string;
  /** Articles about one news event share it. */
  event: string;
  /** The event, or the one a follow-up event follows: stories of one storyline are related coverage. */
  storyline?: string;
  /** Copies of one article share it: they must be one story. */
  original: string;
  kind: string;
}

export interface LabelledPair {
  a: string;
  b: string;
  kind: string;
  /** Whether the two must be one story. */
  same: boolean;
}

export interface DedupOutcome {
  /** path → story id. */
  storyOf: Map<string, string>;
  /** story id → related story ids. */
  related: Map<string, string[]>;
  state: BuildState;
  /** The stored state (indexes, template lines, features). */
  store: MemoryBlobStore;
  seconds: number;
  verified: number;
}

const encoder = new TextEncoder();
const NOW = '2030-01-01T00:00:00.000Z';

/** Ingests the articles in `batches` runs (1: a cold build), in the given order. */
export async function dedupArticles(
  articles: readonly LabelledArticle[],
  batches = 1,
): Promise<DedupOutcome> {
  const store = new MemoryBlobStore();
  const state = emptyState();
  const size = Math.ceil(articles.length / batches);
  const started = performance.now();
  let verified = 0;
  for (let at = 0, build = 1; at < articles.length; at += size, build++) {
    const batch = articles.slice(at, at + size);
    const outcomes = batch.map((article) => {
      const bytes = encoder.encode(article.text);
      return prepareArticle({ key: article.path, size: bytes.length, version: '1' }, bytes, {
        maxBytes: 1 << 20,
        now: NOW,
      });
    });
    const result = await ingest(store, state, {
      gone: [],
      processed: batch.map((article) => article.path),
      outcomes,
      now: NOW,
      build,
    });
    verified += result.verified;
    state.build = build;
  }
  const storyOf = new Map<string, string>();
  for (const [key, record] of Object.entries(state.files)) storyOf.set(key, record.story);
  const related = new Map<string, string[]>();
  for (const [id, record] of Object.entries(state.stories)) related.set(id, record.related ?? []);
  return { storyOf, related, state, store, seconds: (performance.now() - started) / 1000, verified };
}

export interface KindScore {
  kind: string;
  same: boolean;
  pairs: number;
  /** Pairs put in one story. */
  merged: number;
}

/** Per kind: how many of its pairs ended in one story. */
export function scorePairs(
  pairs: readonly LabelledPair[],
  storyOf: ReadonlyMap<string, string>,
): KindScore[] {
  const byKind = new Map<string, KindScore>();
  for (const pair of pairs) {
    const key = `${pair.same ? '+' : '-'}${pair.kind}`;
    const score = byKind.get(key) ?? { kind: pair.kind, same: pair.same, pairs: 0, merged: 0 };
    const a = storyOf.get(pair.a);
    const b = storyOf.get(pair.b);
    score.pairs++;
    if (a !== undefined && a === b) score.merged++;
    byKind.set(key, score);
  }
  return [...byKind.values()].sort((x, y) => Number(y.same) - Number(x.same) || (x.kind < y.kind ? -1 : 1));
}

/**
 * Every wrong merge, labelled or not: pairs put in one story whose articles have different originals,
 * by the kinds of the two articles. (Labelled pairs cover the kinds; this catches the rest.)
 */
export function falseMerges(
  outcome: DedupOutcome,
  articles: readonly LabelledArticle[],
): { pairs: number; byKinds: Map<string, number> } {
  const byPath = new Map(articles.map((article) => [article.path, article]));
  const byStory = new Map<string, LabelledArticle[]>();
  for (const [path, story] of outcome.storyOf) {
    const list = byStory.get(story) ?? [];
    list.push(byPath.get(path)!);
    byStory.set(story, list);
  }
  const byKinds = new Map<string, number>();
  let pairs = 0;
  for (const members of byStory.values()) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [a, b] = [members[i]!, members[j]!];
        if (a.original === b.original) continue;
        pairs++;
        const key = [a.kind, b.kind].sort().join(' + ');
        byKinds.set(key, (byKinds.get(key) ?? 0) + 1);
      }
    }
  }
  return { pairs, byKinds };
}

export interface Totals {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export function totals(scores: readonly KindScore[]): Totals {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const score of scores) {
    if (score.same) {
      tp += score.merged;
      fn += score.pairs - score.merged;
    } else {
      fp += score.merged;
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePositives: tp, falsePositives: fp, falseNegatives: fn };
}

/** Stories whose member sets differ between two outcomes over the same articles. */
export function partitionDifferences(a: DedupOutcome, b: DedupOutcome): number {
  const groups = (outcome: DedupOutcome) => {
    const byStory = new Map<string, string[]>();
    for (const [path, story] of outcome.storyOf) {
      const list = byStory.get(story) ?? [];
      list.push(path);
      byStory.set(story, list);
    }
    return new Set([...byStory.values()].map((list) => list.sort().join('\n')));
  };
  const ga = groups(a);
  const gb = groups(b);
  let differences = 0;
  for (const group of ga) if (!gb.has(group)) differences++;
  return differences;
}

export interface RelatedScore {
  /** Related links between stories whose canonical articles report one event. */
  correct: number;
  links: number;
  /** Same-event story pairs (different stories), and how many are linked either way. */
  sameEventPairs: number;
  linkedSameEvent: number;
}

/** Scores related coverage: a link is right when the two stories' canonical articles share a storyline. */
export function scoreRelated(outcome: DedupOutcome, articles: readonly LabelledArticle[]): RelatedScore {
  const eventOfPath = new Map(articles.map((article) => [article.path, article.storyline ?? article.event]));
  const eventOfStory = new Map<string, string>();
  for (const [id, record] of Object.entries(outcome.state.stories)) {
    eventOfStory.set(id, eventOfPath.get(record.canonical) ?? '');
  }
  let correct = 0;
  let links = 0;
  const linked = new Set<string>();
  for (const [id, related] of outcome.related) {
    for (const other of related) {
      links++;
      if (eventOfStory.get(id) === eventOfStory.get(other)) correct++;
      linked.add(id < other ? `${id} ${other}` : `${other} ${id}`);
    }
  }
  const byEvent = new Map<string, string[]>();
  for (const [id, event] of eventOfStory) {
    const list = byEvent.get(event) ?? [];
    list.push(id);
    byEvent.set(event, list);
  }
  let sameEventPairs = 0;
  let linkedSameEvent = 0;
  for (const ids of byEvent.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        sameEventPairs++;
        const [x, y] = ids[i]! < ids[j]! ? [ids[i]!, ids[j]!] : [ids[j]!, ids[i]!];
        if (linked.has(`${x} ${y}`)) linkedSameEvent++;
      }
    }
  }
  return { correct, links, sameEventPairs, linkedSameEvent };
}
