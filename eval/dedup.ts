/**
 * `npm run eval:dedup`: deduplication quality on generated newsroom corpora (eval/newsroom), with the
 * outlet templates the rules were tuned on (train) and a set never looked at while tuning (heldout).
 * Prints, per corpus: each labelled kind (copies that must merge, look-alikes that must not), pooled
 * precision/recall/F1 where every wrong merge counts (labelled or not), related-coverage precision and
 * recall, and how many stories an incremental build (in batches) forms differently from a cold one.
 *
 *   npm run eval:dedup -- [--articles N] [--seeds 1,2,3,4] [--batches 6] [--json]
 *
 * Odd seeds use the train templates, even seeds the heldout ones.
 */
import { parseArgs } from 'node:util';
import {
  type DedupOutcome,
  dedupArticles,
  falseMerges,
  type KindScore,
  partitionDifferences,
  scorePairs,
  scoreRelated,
  totals,
} from './dedup-run.js';
import { generateCorpus, pairsOf } from './newsroom/index.js';

export interface CorpusEvaluation {
  seed: number;
  templates: 'train' | 'heldout';
  articles: number;
  kinds: KindScore[];
  /** Labelled positives merged / missed, and every pair wrongly merged (labelled or not). */
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  precision: number;
  recall: number;
  f1: number;
  falseMergesByKinds: Record<string, number>;
  related: { links: number; correct: number; precision: number; recall: number };
  /** Stories an incremental build forms differently from the cold build (0 = order independent). */
  incrementalDifferences?: number;
  seconds: number;
}

export async function evaluateCorpus(
  seed: number,
  articles: number,
  batches: number,
): Promise<CorpusEvaluation> {
  const templates = seed % 2 === 1 ? 'train' : 'heldout';
  const corpus = [...generateCorpus({ seed, articles, templates, profile: 'eval' })];
  const labelled = corpus.map((a) => ({
    path: a.path,
    text: a.text,
    event: a.event,
    storyline: a.storyline,
    original: a.original,
    kind: a.kind,
  }));
  const pairs = pairsOf(corpus).map((p) => ({ a: p.a, b: p.b, kind: p.kind, same: p.merge }));
  const cold = await dedupArticles(labelled);
  const kinds = scorePairs(pairs, cold.storyOf);
  const labelledTotals = totals(kinds);
  const wrong = falseMerges(cold, labelled);
  const tp = labelledTotals.truePositives;
  const fn = labelledTotals.falseNegatives;
  const fp = wrong.pairs;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const related = scoreRelated(cold, labelled);
  let incrementalDifferences: number | undefined;
  if (batches > 1) {
    const incremental: DedupOutcome = await dedupArticles(labelled, batches);
    incrementalDifferences = partitionDifferences(cold, incremental);
  }
  return {
    seed,
    templates,
    articles: corpus.length,
    kinds,
    truePositives: tp,
    falseNegatives: fn,
    falsePositives: fp,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    falseMergesByKinds: Object.fromEntries(wrong.byKinds),
    related: {
      links: related.links,
      correct: related.correct,
      precision: related.links === 0 ? 1 : related.correct / related.links,
      recall: related.sameEventPairs === 0 ? 1 : related.linkedSameEvent / related.sameEventPairs,
    },
    incrementalDifferences,
    seconds: cold.seconds,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function formatEvaluation(e: CorpusEvaluation): string {
  const lines = [
    `seed ${e.seed} (${e.templates} templates), ${e.articles} articles, cold build ${e.seconds.toFixed(1)} s`,
    '  kind                       pairs   one story',
  ];
  for (const k of e.kinds) {
    const label = `${k.same ? 'copy' : 'apart'}: ${k.kind}`;
    lines.push(
      `  ${label.padEnd(26)} ${String(k.pairs).padStart(6)}   ${pct(k.merged / k.pairs).padStart(6)}`,
    );
  }
  lines.push(
    `  precision ${pct(e.precision)}  recall ${pct(e.recall)}  F1 ${e.f1.toFixed(4)}  (false merges: ${e.falsePositives} pairs, missed: ${e.falseNegatives})`,
  );
  const worst = Object.entries(e.falseMergesByKinds)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  if (worst.length > 0)
    lines.push(`  false merges by kinds: ${worst.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  lines.push(
    `  related coverage: ${e.related.links} links, precision ${pct(e.related.precision)}, recall ${pct(e.related.recall)}`,
  );
  if (e.incrementalDifferences !== undefined) {
    lines.push(`  incremental build differs from cold in ${e.incrementalDifferences} stories`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '3000' },
      seeds: { type: 'string', default: '1,2,3,4' },
      batches: { type: 'string', default: '6' },
      json: { type: 'boolean', default: false },
    },
  });
  const seeds = values.seeds.split(',').map(Number);
  const all: CorpusEvaluation[] = [];
  for (const seed of seeds) {
    const e = await evaluateCorpus(seed, Number(values.articles), Number(values.batches));
    all.push(e);
    if (!values.json) console.log(`${formatEvaluation(e)}\n`);
  }
  const tp = all.reduce((s, e) => s + e.truePositives, 0);
  const fp = all.reduce((s, e) => s + e.falsePositives, 0);
  const fn = all.reduce((s, e) => s + e.falseNegatives, 0);
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  if (values.json) console.log(JSON.stringify({ corpora: all, pooled: { precision, recall, f1 } }, null, 2));
  else console.log(`pooled: precision ${pct(precision)}  recall ${pct(recall)}  F1 ${f1.toFixed(4)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
