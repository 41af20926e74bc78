/**
 * Every way a story is syndicated is caught, and the look-alikes are not. Prints the measured figures
 * per variant kind: they are what DUPLICATE_THRESHOLDS is tuned on.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterDocs } from '../../functions/core/dedup/cluster.js';
import { dedupFeatures, type TextFeatures } from '../../functions/core/dedup/features.js';
import {
  type DuplicateVerdict,
  isDuplicate,
  leadShare,
  similarity,
} from '../../functions/core/dedup/similarity.js';
import {
  createRng,
  flipTypography,
  htmlEscaped,
  lightlyEdited,
  nfd,
  quotingArticle,
  type Rng,
  readSeeds,
  reorderedParagraphs,
  reworded,
  roundup,
  seedText,
  syntheticArticle,
  syntheticBrief,
  truncatedParagraphs,
  truncatedThird,
  updatedWithNewLead,
  withBoilerplate,
  withNewDate,
  withSharedBackground,
} from '../fixtures/syndication.js';

interface Measured {
  kind: string;
  verdict: DuplicateVerdict;
  pairContainment: number;
  lead: number;
}

const measured: Measured[] = [];

function measure(kind: string, a: TextFeatures, b: TextFeatures): DuplicateVerdict {
  const verdict = isDuplicate(a, b);
  measured.push({
    kind,
    verdict,
    pairContainment: similarity(a.pairs, b.pairs).containment,
    lead: leadShare(a, b) ?? 0,
  });
  return verdict;
}

afterAll(() => {
  const kinds = [...new Set(measured.map((row) => row.kind))];
  const span = (values: number[]) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
  const table = kinds.map((kind) => {
    const rows = measured.filter((row) => row.kind === kind);
    return {
      kind,
      n: rows.length,
      merged: rows.filter((row) => row.verdict.duplicate).length,
      rules: [...new Set(rows.map((row) => row.verdict.rule ?? '-'))].join(','),
      containment: span(rows.map((row) => row.verdict.similarity.containment)),
      coverage: span(rows.map((row) => row.verdict.similarity.coverage)),
      pairContainment: span(rows.map((row) => row.pairContainment)),
      leadShare: span(rows.map((row) => row.lead)),
    };
  });
  console.table(table);
});

const seeds = readSeeds();
const seedBases = ['000', '001', '003', '004'].map((name) => {
  const seed = seeds.find((candidate) => candidate.name === name)!;
  return { name: `seed ${name}`, text: seed.text };
});
const syntheticBases = [4, 8, 15].flatMap((paragraphs) =>
  [11, 12].map((seed) => ({
    name: `synthetic ${paragraphs}p #${seed}`,
    text: syntheticArticle(createRng(seed * 100 + paragraphs), paragraphs),
  })),
);
const bases = [...seedBases, ...syntheticBases];

type Variant = (text: string, rng: Rng) => string;

/** The copies that must merge with their original. */
const COPIES: Record<string, Variant> = {
  'truncated: first third, cut with …': (text) => truncatedThird(text),
  'truncated: first 2 paragraphs': (text) => truncatedParagraphs(text, 2),
  'truncated: first 3 paragraphs': (text) => truncatedParagraphs(text, 3),
  'outlet boilerplate added': (text) => withBoilerplate(text),
  'lightly edited (2 words/paragraph)': (text, rng) => lightlyEdited(text, rng, 2),
  'reworded 15%': (text, rng) => reworded(text, rng, 0.15),
  'reworded 20%': (text, rng) => reworded(text, rng, 0.2),
  'paragraphs reordered': (text, rng) => reorderedParagraphs(text, rng),
  'update: new lead on top': (text, rng) => updatedWithNewLead(text, rng),
  'update: new lead replaces old': (text, rng) => updatedWithNewLead(text, rng, { dropOldLead: true }),
  'straight vs curly quotes, -- vs — dashes': (text) => flipTypography(text),
  'HTML entities': (text) => htmlEscaped(text),
  'NFD instead of NFC': (text) => nfd(text),
};

/** Kinds the containment rule alone catches, i.e. with bare shingle sets (no lead or pair features). */
const CAUGHT_BY_SHINGLES_ALONE = new Set([
  'outlet boilerplate added',
  'paragraphs reordered',
  'update: new lead on top',
  'update: new lead replaces old',
  'straight vs curly quotes, -- vs — dashes',
  'HTML entities',
  'NFD instead of NFC',
]);

describe('syndicated copies are caught', () => {
  for (const [kind, variant] of Object.entries(COPIES)) {
    it(kind, () => {
      let changed = 0;
      bases.forEach((base, i) => {
        const copyText = variant(base.text, createRng(1000 + i));
        // Some seeds have nothing to change for a kind (no accents for NFD); the synthetic ones always do.
        if (copyText === base.text) return;
        changed++;
        const original = dedupFeatures(base.text);
        const copy = dedupFeatures(copyText);
        const verdict = measure(kind, original, copy);
        expect(verdict.duplicate, `${kind} of ${base.name}: ${JSON.stringify(verdict.similarity)}`).toBe(
          true,
        );
        const clusters = clusterDocs([
          { docId: 'original', seq: 1, ...original },
          { docId: 'copy', seq: 2, ...copy },
        ]);
        expect(clusters).toHaveLength(1);
        if (CAUGHT_BY_SHINGLES_ALONE.has(kind)) {
          expect(
            isDuplicate(original.shingles, copy.shingles).duplicate,
            `${kind} of ${base.name}, shingles only`,
          ).toBe(true);
        }
      });
      expect(changed).toBeGreaterThanOrEqual(syntheticBases.length);
    });
  }

  it('an exact copy with another date', () => {
    for (const seed of seeds.filter((candidate) => candidate.raw.trimStart().startsWith('date '))) {
      const copyRaw = withNewDate(seed.raw, '2021-09-30');
      expect(copyRaw).not.toBe(seed.raw);
      const original = dedupFeatures(seed.text);
      const copy = dedupFeatures(seedText(copyRaw));
      expect(copy.shingles).toEqual(original.shingles);
      expect(measure('exact copy, another date', original, copy).duplicate).toBe(true);
    }
  });

  it('every kind on random synthetic articles of 4–15 paragraphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 4, max: 15 }),
        fc.constantFrom(...Object.keys(COPIES)),
        (seed, paragraphs, kind) => {
          const rng = createRng(seed);
          const text = syntheticArticle(rng, paragraphs);
          const verdict = isDuplicate(dedupFeatures(text), dedupFeatures(COPIES[kind]!(text, rng)));
          expect(verdict.duplicate, `${kind}: ${JSON.stringify(verdict.similarity)}`).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('look-alikes stay separate', () => {
  it('the seeds: only 000 and 001 are copies', () => {
    const features = seeds.map((seed) => dedupFeatures(seed.text));
    for (let i = 0; i < seeds.length; i++) {
      for (let j = i + 1; j < seeds.length; j++) {
        const pair = `${seeds[i]!.name}-${seeds[j]!.name}`;
        const verdict = measure(
          pair === '000-001' ? 'seeds 000 in 001' : 'seeds, different articles',
          features[i]!,
          features[j]!,
        );
        expect(verdict.duplicate, pair).toBe(pair === '000-001');
      }
    }
  });

  it('an article quoting one paragraph of another', () => {
    bases.forEach((base, i) => {
      const quoting = quotingArticle(base.text, createRng(2000 + i));
      expect(
        measure('quotes one paragraph', dedupFeatures(base.text), dedupFeatures(quoting)).duplicate,
        base.name,
      ).toBe(false);
    });
  });

  it('an article sharing a background paragraph', () => {
    bases.forEach((base, i) => {
      const other = withSharedBackground(base.text, createRng(3000 + i));
      expect(
        measure('shares background paragraph', dedupFeatures(base.text), dedupFeatures(other)).duplicate,
      ).toBe(false);
    });
  });

  it('a short brief quoted whole inside a long article', () => {
    for (let i = 0; i < 10; i++) {
      const rng = createRng(4000 + i);
      const brief = syntheticBrief(rng);
      const article = quotingArticle(`Headline\n${brief.replace('\n', ' ')}`, rng);
      expect(measure('brief quoted in article', dedupFeatures(brief), dedupFeatures(article)).duplicate).toBe(
        false,
      );
    }
  });

  it('a brief and a roundup of 5 briefs carrying it', () => {
    for (let i = 0; i < 20; i++) {
      const rng = createRng(5000 + i);
      const briefs = Array.from({ length: 5 }, () => syntheticBrief(rng));
      const carrier = dedupFeatures(roundup(briefs));
      for (const brief of briefs) {
        expect(measure('brief in roundup of 5', dedupFeatures(brief), carrier).duplicate).toBe(false);
      }
    }
  });

  for (const size of [2, 3]) {
    it(`briefs and a roundup of ${size} carrying them: the hub rule keeps them apart`, () => {
      for (let i = 0; i < 20; i++) {
        const rng = createRng(6000 + 100 * size + i);
        const briefs = Array.from({ length: size }, () => syntheticBrief(rng));
        const carrier = dedupFeatures(roundup(briefs));
        // Pairwise, a brief may cover up to half a short roundup: some verdicts alone would merge them.
        for (const brief of briefs) measure(`brief in roundup of ${size}`, dedupFeatures(brief), carrier);
        const clusters = clusterDocs([
          { docId: 'roundup', seq: 0, ...carrier },
          ...briefs.map((brief, b) => ({ docId: `brief${b}`, seq: b + 1, ...dedupFeatures(brief) })),
        ]);
        expect(clusters.map((cluster) => cluster.members)).toEqual([
          ['roundup'],
          ...briefs.map((_, b) => [`brief${b}`]),
        ]);
      }
    });
  }

  it('reworded copies need the pair features: the shingles alone miss them', () => {
    // Documents the limit of the containment rule: without `pairs`, rewording 20 % leaves ≈ 0.3 containment.
    const text = seedBases[1]!.text;
    const copy = reworded(text, createRng(7), 0.2);
    expect(isDuplicate(dedupFeatures(text).shingles, dedupFeatures(copy).shingles).duplicate).toBe(false);
    expect(isDuplicate(dedupFeatures(text), dedupFeatures(copy)).duplicate).toBe(true);
  });
});
