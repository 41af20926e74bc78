/**
 * Deterministic synthetic corpora in the seed format: distinct articles built from a fixed vocabulary,
 * and about a fifth near-duplicates of others (truncated copies, copies with a headline and extra
 * paragraphs, copies with "READ MORE:" lines), as syndication produces them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../test/fixtures/syndication.js';

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

/** The corpus spans 1,500 days from 2020-01-01; `CORPUS_END` is the day after. */
export const CORPUS_END = '2024-02-09';

function dateOf(i: number): string {
  const day = new Date(Date.UTC(2020, 0, 1) + (i % 1500) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

export interface CorpusFile {
  name: string;
  text: string;
}

/**
 * Article `i` of a corpus. `date` overrides its date: increments are news that arrives after the
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

/** Writes articles [from, to) into `dir`. */
export function writeCorpus(dir: string, from: number, to: number, seed = 1): void {
  mkdirSync(dir, { recursive: true });
  for (let i = from; i < to; i++) {
    const file = corpusArticle(i, seed);
    writeFileSync(join(dir, file.name), file.text);
  }
}
