/**
 * The labelled pairs of a corpus, by kind: copies with their original and with the other copies of
 * it (must merge), and the look-alikes that must not merge. Each unordered pair appears once, under
 * the most specific kind. Linear in the corpus except for same-event pairs, which grow with the
 * square of an event's size (at most a few hundred per event).
 */
import type { GeneratedArticle } from './corpus.js';

export interface LabelledPair {
  /** Paths (ids) of the two articles. */
  a: string;
  b: string;
  /** A copy kind for pairs that must merge; a negative kind otherwise. */
  kind: string;
  merge: boolean;
}

export const NEGATIVE_KINDS = [
  'story-page-other',
  'roundup',
  'shared-quote',
  'shared-background',
  'same-outlet-short',
  'same-event',
] as const;

export function pairsOf(corpus: Iterable<GeneratedArticle>): LabelledPair[] {
  const articles = [...corpus];
  const seen = new Set<string>();
  const out: LabelledPair[] = [];
  const add = (a: string, b: string, kind: string, merge: boolean) => {
    if (a === b) return;
    const key = a < b ? `${a}\n${b}` : `${b}\n${a}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ a, b, kind, merge });
  };

  // Copies: with the original, and with the copies of the same original listed before them.
  const copiesOf = new Map<string, GeneratedArticle[]>();
  for (const article of articles) {
    if (article.original === article.path) continue;
    const group = copiesOf.get(article.original) ?? [];
    for (const earlier of group) add(article.path, earlier.path, article.kind, true);
    add(article.path, article.original, article.kind, true);
    group.push(article);
    copiesOf.set(article.original, group);
  }

  // Pages that carry other articles.
  for (const article of articles) {
    const included = article.includes ?? [];
    if (article.kind === 'story-page') {
      for (const other of included) add(article.path, other, 'story-page-other', false);
    } else if (article.kind === 'roundup') {
      for (const brief of included) add(article.path, brief, 'roundup', false);
      for (let i = 0; i < included.length; i++) {
        for (let j = i + 1; j < included.length; j++) add(included[i]!, included[j]!, 'roundup', false);
      }
    } else if (article.kind === 'shared-quote' || article.kind === 'shared-background') {
      for (const source of included) add(article.path, source, article.kind, false);
    }
  }

  // Short articles of one outlet published on the same day.
  const shortGroups = new Map<string, string[]>();
  for (const article of articles) {
    if (article.kind !== 'same-outlet-short') continue;
    const day = article.path.slice(article.path.indexOf('/') + 1, article.path.indexOf('/') + 11);
    const key = `${article.outlet}\n${day}`;
    const group = shortGroups.get(key) ?? [];
    for (const other of group) add(article.path, other, 'same-outlet-short', false);
    group.push(article.path);
    shortGroups.set(key, group);
  }

  // Every other pair of one event with different originals.
  const byEvent = new Map<string, GeneratedArticle[]>();
  for (const article of articles) {
    const group = byEvent.get(article.event) ?? [];
    for (const other of group) {
      if (other.original !== article.original) add(article.path, other.path, 'same-event', false);
    }
    group.push(article);
    byEvent.set(article.event, group);
  }
  return out;
}

/** Number of pairs of each kind. */
export function pairCounts(pairs: readonly LabelledPair[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pair of pairs) counts[pair.kind] = (counts[pair.kind] ?? 0) + 1;
  return counts;
}
