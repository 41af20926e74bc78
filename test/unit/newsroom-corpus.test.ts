/**
 * The newsroom corpus generator (eval/newsroom): deterministic, every labelled kind present often
 * enough, the constructs shaped as specified, heldout templates disjoint from train ones, and text
 * that reads like news.
 */
import { describe, expect, it } from 'vitest';
import {
  COPY_KINDS,
  corpusArticles,
  corpusEnd,
  corpusOutlets,
  type GeneratedArticle,
  generateCorpus,
  NEGATIVE_KINDS,
  pairCounts,
  pairsOf,
} from '../../eval/newsroom/index.js';

const EVAL = { seed: 7, articles: 2000 } as const;
const corpus = generateCorpus(EVAL);
const byPath = new Map(corpus.map((a) => [a.path, a]));
const outlets = corpusOutlets(EVAL);
const templateLines = new Set(outlets.flatMap((o) => o.lines));
/** Template lines other than the lists of other headlines (which may repeat an article's headline). */
const pageLines = new Set(outlets.flatMap((o) => o.lines.filter((l) => !o.pieces.more?.includes(l))));

function lines(article: GeneratedArticle): string[] {
  return article.text
    .replace(/^ date \d{4}-\d{2}-\d{2} /, '')
    .split(/\n+/)
    .filter((line) => line.length > 0);
}

function words(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('newsroom corpus', () => {
  it('is deterministic: the same seed gives the same bytes, streamed or not', () => {
    const again = generateCorpus(EVAL);
    expect(again.map((a) => a.path)).toEqual(corpus.map((a) => a.path));
    expect(again.map((a) => a.text).join('\0')).toBe(corpus.map((a) => a.text).join('\0'));
    const streamed = [...corpusArticles({ seed: 3, articles: 300, profile: 'bench' })];
    expect(JSON.stringify(streamed)).toBe(
      JSON.stringify(generateCorpus({ seed: 3, articles: 300, profile: 'bench' })),
    );
    expect(generateCorpus({ seed: 8, articles: 200 })[0]!.text).not.toBe(corpus[0]!.text);
  });

  it('has about the requested number of articles, unique paths, labels that point into the corpus', () => {
    expect(corpus.length).toBeGreaterThan(1900);
    expect(corpus.length).toBeLessThan(2100);
    expect(byPath.size).toBe(corpus.length);
    for (const article of corpus) {
      expect(byPath.has(article.original)).toBe(true);
      expect(byPath.get(article.original)!.original).toBe(article.original);
      for (const included of article.includes ?? []) expect(byPath.has(included)).toBe(true);
      expect(article.path).toMatch(/^[a-z0-9-]+\/\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.txt$/);
      expect(article.path).not.toContain(article.kind);
      if (article.date) expect(article.text.startsWith(` date ${article.date} `)).toBe(true);
      else expect(article.text.startsWith(' date ')).toBe(false);
    }
    expect(new Set(corpus.map((a) => a.outlet)).size).toBeGreaterThanOrEqual(8);
    expect(corpus.every((a) => a.date === undefined || a.date < corpusEnd(EVAL))).toBe(true);
  });

  it('has at least 40 labelled pairs of every kind', () => {
    const counts = pairCounts(pairsOf(corpus));
    for (const kind of [...COPY_KINDS, 'story-page', 'live-blog', ...NEGATIVE_KINDS]) {
      expect(counts[kind] ?? 0, kind).toBeGreaterThanOrEqual(40);
    }
    const pairs = pairsOf(corpus);
    for (const pair of pairs) {
      const same = byPath.get(pair.a)!.original === byPath.get(pair.b)!.original;
      expect(same, `${pair.kind}: ${pair.a} ${pair.b}`).toBe(pair.merge);
    }
  });

  it('story pages carry their whole original, which covers 20–35 % of the page', () => {
    const pages = corpus.filter((a) => a.kind === 'story-page');
    expect(pages.length).toBeGreaterThan(40);
    for (const page of pages) {
      const own = new Set(lines(byPath.get(page.original)!).filter((line) => !templateLines.has(line)));
      const pageLines = lines(page);
      const covered = sum(pageLines.filter((line) => own.has(line)).map(words));
      const share = covered / sum(pageLines.map(words));
      expect(share, page.path).toBeGreaterThanOrEqual(0.2);
      expect(share, page.path).toBeLessThanOrEqual(0.35);
      expect(page.includes!.length).toBeGreaterThanOrEqual(2);
      for (const other of page.includes!) expect(byPath.get(other)!.original).not.toBe(page.original);
    }
  });

  it('same-outlet short articles come in groups and are 50–75 % template', () => {
    const shorts = corpus.filter((a) => a.kind === 'same-outlet-short');
    const perOutletDay = new Map<string, number>();
    for (const article of shorts) {
      const share =
        sum(
          lines(article)
            .filter((l) => templateLines.has(l))
            .map(words),
        ) / sum(lines(article).map(words));
      expect(share, article.path).toBeGreaterThanOrEqual(0.5);
      expect(share, article.path).toBeLessThanOrEqual(0.75);
      const key = `${article.outlet} ${article.path.split('/')[1]!.slice(0, 10)}`;
      perOutletDay.set(key, (perOutletDay.get(key) ?? 0) + 1);
    }
    expect([...perOutletDay.values()].filter((n) => n >= 3).length).toBeGreaterThan(10);
  });

  it('roundups carry 3–5 whole briefs of the corpus under a headline of their own', () => {
    for (const roundup of corpus.filter((a) => a.kind === 'roundup')) {
      expect(roundup.original).toBe(roundup.path);
      expect(roundup.includes!.length).toBeGreaterThanOrEqual(3);
      expect(roundup.includes!.length).toBeLessThanOrEqual(5);
      const text = roundup.text;
      for (const path of roundup.includes!) {
        const body = lines(byPath.get(path)!).filter((line) => !templateLines.has(line));
        for (const line of body) expect(text).toContain(line);
      }
    }
  });

  it('heldout templates share no line with train templates', () => {
    for (const seed of [1, 2, 3]) {
      const train = new Set(corpusOutlets({ seed, articles: 100 }).flatMap((o) => o.lines));
      for (const other of [1, 2, 3]) {
        const heldout = corpusOutlets({ seed: other, articles: 100, templates: 'heldout' }).flatMap(
          (o) => o.lines,
        );
        expect(heldout.filter((line) => train.has(line))).toEqual([]);
      }
    }
    const heldoutCorpus = generateCorpus({ seed: 7, articles: 300, templates: 'heldout' });
    const heldoutLines = new Set(
      corpusOutlets({ seed: 7, articles: 300, templates: 'heldout' }).flatMap((o) => o.lines),
    );
    expect(heldoutCorpus.some((a) => lines(a).some((l) => heldoutLines.has(l)))).toBe(true);
    expect(heldoutCorpus.some((a) => lines(a).some((l) => templateLines.has(l)))).toBe(false);
  });

  it('reads like news: sentence and paragraph lengths, headlines, quotes, Unicode names', () => {
    const originals = corpus.filter((a) => a.kind === 'original');
    const sentenceLengths: number[] = [];
    let quotes = 0;
    for (const article of originals) {
      const [headline, ...rest] = lines(article).filter((l) => !pageLines.has(l));
      expect(headline, article.path).not.toMatch(/\.$/);
      for (const line of rest) {
        if (/["“]/.test(line)) quotes++;
        for (const s of line.split(/(?<=[.?!]["”]?) (?=["“]?\p{Lu})/u)) sentenceLengths.push(words(s));
      }
    }
    const mean = sum(sentenceLengths) / sentenceLengths.length;
    expect(mean).toBeGreaterThanOrEqual(12);
    expect(mean).toBeLessThanOrEqual(30);
    expect(sentenceLengths.filter((n) => n > 45).length / sentenceLengths.length).toBeLessThan(0.01);
    expect(quotes / originals.length).toBeGreaterThan(2);
    const headlineWords = originals.map((a) => words(lines(a).find((l) => !pageLines.has(l))!));
    expect(headlineWords.filter((n) => n >= 6 && n <= 14).length / headlineWords.length).toBeGreaterThan(
      0.95,
    );
    expect(corpus.some((a) => /[łźśńøéèüöäçñ]/.test(a.text))).toBe(true);
  });

  it('different articles on one event overlap like real coverage, unrelated ones hardly at all', () => {
    const grams = (a: GeneratedArticle) => {
      const w = lines(a)
        .filter((l) => !templateLines.has(l))
        .join(' ')
        .toLowerCase()
        .replace(/["“”’']/g, '')
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      const out = new Set<string>();
      for (let i = 0; i + 5 <= w.length; i++) out.add(w.slice(i, i + 5).join(' '));
      return out;
    };
    const containment = (a: Set<string>, b: Set<string>) =>
      [...a].filter((g) => b.has(g)).length / Math.min(a.size, b.size);
    const originals = corpus.filter((a) => a.kind === 'original' && !/live|latest/i.test(lines(a)[0]!));
    const sets = originals.map(grams);
    const sameEvent: number[] = [];
    const unrelated: number[] = [];
    for (let i = 0; i < originals.length && i < 400; i++) {
      for (let j = i + 1; j < originals.length && j < 400; j++) {
        const c = containment(sets[i]!, sets[j]!);
        (originals[i]!.event === originals[j]!.event ? sameEvent : unrelated).push(c);
      }
    }
    const mean = (xs: number[]) => sum(xs) / xs.length;
    expect(mean(sameEvent)).toBeGreaterThan(0.05);
    expect(Math.max(...sameEvent)).toBeLessThan(0.7);
    expect(mean(unrelated)).toBeLessThan(0.03);
  });
});
