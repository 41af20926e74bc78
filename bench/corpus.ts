/**
 * The benchmark's corpora, in the seed format. By default the newsroom corpus of eval/newsroom
 * (profile 'bench'): events covered by several outlets with their page templates, shared quotes and
 * facts, briefs, and a fifth near-copies of every syndication kind, dated over years. With
 * BENCH_CORPUS=easy, the earlier corpus of random words from a small vocabulary (articles that share
 * almost no phrases), kept to compare with figures measured on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { corpusArticles, corpusEnd } from '../eval/newsroom/index.js';
import { createRng } from '../test/fixtures/rng.js';

export type CorpusKind = 'newsroom' | 'easy';

export const CORPUS_KIND: CorpusKind = process.env.BENCH_CORPUS === 'easy' ? 'easy' : 'newsroom';

export interface CorpusFile {
  /** Path relative to the articles folder (the newsroom corpus has a folder per outlet). */
  name: string;
  text: string;
}

const newsroom = (size: number, seed: number) => ({ seed, articles: size, profile: 'bench' }) as const;

/** The first day after every date of the corpus of `size` articles: increments are dated then. */
export function corpusEndOf(size: number, kind: CorpusKind = CORPUS_KIND): string {
  return kind === 'easy' ? CORPUS_END : corpusEnd(newsroom(size, 1));
}

/** Writes the corpus of `size` articles into `dir`. */
export function writeCorpus(dir: string, size: number, kind: CorpusKind = CORPUS_KIND): void {
  if (kind === 'easy') {
    writeEasyCorpus(dir, 0, size);
    return;
  }
  const folders = new Set<string>();
  for (const article of corpusArticles(newsroom(size, 1))) {
    const file = join(dir, article.path);
    const folder = dirname(file);
    if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
    folders.add(folder);
    writeFileSync(file, article.text);
  }
}

/**
 * `count` new articles for an incremental build on the corpus of `size`: news that arrives after the
 * corpus (another seed, every file dated `corpusEndOf(size)`), in a folder of its own.
 */
export function incrementFiles(size: number, count: number, kind: CorpusKind = CORPUS_KIND): CorpusFile[] {
  const end = corpusEndOf(size, kind);
  if (kind === 'easy')
    return Array.from({ length: count }, (_, i) => corpusArticle(10_000_000 + size + i, 2, end));
  const files: CorpusFile[] = [];
  for (const article of corpusArticles(newsroom(count, 2))) {
    if (files.length === count) break;
    const body = article.text.replace(/^ date \d{4}-\d{2}-\d{2} /, '');
    files.push({ name: join('incoming', article.path), text: ` date ${end} ${body}` });
  }
  return files;
}

const WORDS = (
  'government minister council election market report police court river valley province district city ' +
  'airport border talks peace fighters forces leader spokesman statement agency reporters officials week ' +
  'monday tuesday wednesday thursday friday saturday sunday morning evening capital country region local ' +
  'national international security economy bank prices workers union strike school hospital doctors ' +
  'water power energy roads bridge railway flights trade exports imports budget tax reform law vote ' +
  'parliament opposition party campaign protest crowd square village farmers harvest weather storm flood ' +
  'fire rescue teams aid convoy supplies food fuel medicine talks deal agreement ceasefire army commander'
).split(' ');

function sentence(rand: () => number): string {
  const n = 12 + Math.floor(rand() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rand: () => number): string {
  const n = 2 + Math.floor(rand() * 3);
  return Array.from({ length: n }, () => sentence(rand)).join(' ');
}

/** The easy corpus spans 1,500 days from 2020-01-01; `CORPUS_END` is the day after. */
export const CORPUS_END = '2024-02-09';

function dateOf(i: number): string {
  const day = new Date(Date.UTC(2020, 0, 1) + (i % 1500) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/**
 * Article `i` of the easy corpus. `date` overrides its date: increments are news that arrives after the
 * corpus, so the benchmark dates them after it, as real new articles are.
 */
export function corpusArticle(i: number, seed = 1, date?: string): CorpusFile {
  const rand = createRng(seed * 1_000_003 + i);
  const name = `${String(i).padStart(7, '0')}_${Math.floor(rand() * 0xffffffff)
    .toString(16)
    .padStart(8, '0')}.txt`;
  // One in five articles is a near-copy of an earlier original.
  if (i >= 10 && i % 5 === 4) {
    let source = i - 3 - Math.floor(rand() * 6);
    if (source % 5 === 4) source--;
    const original = corpusBody(source, seed);
    const kind = i % 3;
    let body: string[];
    if (kind === 0) body = original.slice(0, Math.max(2, Math.ceil(original.length * 0.6)));
    else if (kind === 1)
      body = [sentence(rand).replace(/\.$/, ''), ...original, paragraph(rand), paragraph(rand)];
    else body = original.flatMap((p, j) => (j === 2 ? [p, `READ MORE: ${sentence(rand)}`] : [p]));
    return { name, text: ` date ${date ?? dateOf(i)} ${body.join('\n\n')}\n` };
  }
  return { name, text: ` date ${date ?? dateOf(i)} ${corpusBody(i, seed).join('\n\n')}\n` };
}

function corpusBody(i: number, seed: number): string[] {
  const rand = createRng(seed * 7_919 + i * 31);
  const n = 5 + Math.floor(rand() * 6);
  return Array.from({ length: n }, () => paragraph(rand));
}

/** Writes articles [from, to) of the easy corpus into `dir`. */
export function writeEasyCorpus(dir: string, from: number, to: number, seed = 1): void {
  mkdirSync(dir, { recursive: true });
  for (let i = from; i < to; i++) {
    const file = corpusArticle(i, seed);
    writeFileSync(join(dir, file.name), file.text);
  }
}
