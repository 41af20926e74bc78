/**
 * Writes a sample corpus to /tmp for reading, with its labels and pair counts:
 *
 *   npx tsx eval/newsroom/sample.ts [seed] [articles] [--heldout] [--bench]
 *
 * Output: /tmp/newsroom-<profile>-<templates>-<seed>/articles/<outlet>/<date>-<slug>.txt, plus
 * labels.jsonl (one line per article: everything but the text) and pairs.json (counts by kind).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { corpusEnd, generateCorpus, pairCounts, pairsOf } from './index.js';

const args = process.argv.slice(2);
const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
const seed = numbers[0] ?? 1;
const articles = numbers[1] ?? 2000;
const templates = args.includes('--heldout') ? 'heldout' : 'train';
const profile = args.includes('--bench') ? 'bench' : 'eval';
const options = { seed, articles, templates, profile } as const;

const out = `/tmp/newsroom-${profile}-${templates}-${seed}`;
rmSync(out, { recursive: true, force: true });
const start = performance.now();
const corpus = generateCorpus(options);
const seconds = (performance.now() - start) / 1000;
const labels: string[] = [];
for (const article of corpus) {
  const file = join(out, 'articles', article.path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, article.text);
  const { text: _text, ...label } = article;
  labels.push(JSON.stringify(label));
}
writeFileSync(join(out, 'labels.jsonl'), `${labels.join('\n')}\n`);
const counts = pairCounts(pairsOf(corpus));
writeFileSync(join(out, 'pairs.json'), `${JSON.stringify(counts, null, 2)}\n`);
const kinds: Record<string, number> = {};
for (const article of corpus) kinds[article.kind] = (kinds[article.kind] ?? 0) + 1;
console.log(
  `${corpus.length} articles in ${seconds.toFixed(1)} s → ${out} (dates before ${corpusEnd(options)})`,
);
console.log('articles by kind:', kinds);
console.log('pairs by kind:', counts);
