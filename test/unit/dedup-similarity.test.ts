import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupFeatures, headlinedFeatures } from '../../functions/core/dedup/features.js';
import { isDuplicate, isTruncation, leadShare, similarity } from '../../functions/core/dedup/similarity.js';
import { intersectionSize, sortedUnique } from '../../functions/core/dedup/sorted-sets.js';

const set = (...values: number[]) => Uint32Array.from(values);
const hashSets = fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 80 }).map(sortedUnique);

describe('similarity', () => {
  it('computes shared, containment and coverage on small sets', () => {
    expect(similarity(set(1, 2, 3, 4), set(2, 4, 6, 8, 10, 12, 14, 16))).toEqual({
      shared: 2,
      containment: 2 / 4,
      coverage: 2 / 8,
    });
    expect(similarity(set(5), set(1, 2, 3, 4, 5))).toEqual({ shared: 1, containment: 1, coverage: 1 / 5 });
    expect(similarity(set(1, 2), set(3, 4))).toEqual({ shared: 0, containment: 0, coverage: 0 });
    expect(similarity(set(0, 0xffffffff), set(0xffffffff))).toEqual({
      shared: 1,
      containment: 1,
      coverage: 1 / 2,
    });
  });

  it('gives zero, not NaN, for empty sets', () => {
    expect(similarity(set(), set(1, 2))).toEqual({ shared: 0, containment: 0, coverage: 0 });
    expect(similarity(set(), set())).toEqual({ shared: 0, containment: 0, coverage: 0 });
  });

  it('matches a set-based reference and is symmetric', () => {
    fc.assert(
      fc.property(hashSets, hashSets, (a, b) => {
        const inB = new Set(b);
        const shared = [...a].filter((value) => inB.has(value)).length;
        const result = similarity(a, b);
        expect(result.shared).toBe(shared);
        expect(intersectionSize(b, a)).toBe(shared);
        if (a.length > 0 && b.length > 0) {
          expect(result.containment).toBeCloseTo(shared / Math.min(a.length, b.length), 12);
          expect(result.coverage).toBeCloseTo(shared / Math.max(a.length, b.length), 12);
        }
        expect(similarity(b, a)).toEqual(result);
        expect(result.coverage).toBeLessThanOrEqual(result.containment);
      }),
    );
  });
});

describe('isDuplicate', () => {
  const range = (from: number, to: number) => Uint32Array.from({ length: to - from }, (_, i) => from + i);

  it('applies the containment rule to bare shingle sets', () => {
    // 60 of the smaller's 60 in a larger of 150: containment 1, coverage 0.4.
    expect(isDuplicate(range(0, 60), range(0, 150))).toMatchObject({ duplicate: true, rule: 'containment' });
    // Coverage 0.3: below the floor, whatever the containment.
    expect(isDuplicate(range(0, 30), range(0, 100)).duplicate).toBe(false);
    // Containment 0.5 with full coverage of an equal-size text: not enough.
    expect(isDuplicate(range(0, 100), range(50, 150)).duplicate).toBe(false);
    expect(isDuplicate(range(0, 100), range(50, 150)).similarity).toEqual({
      shared: 50,
      containment: 0.5,
      coverage: 0.5,
    });
  });

  it('uses the opening for truncated copies, only when the larger text carries one', () => {
    const full = { shingles: range(0, 300), lead: range(0, 24) };
    const teaser = { shingles: range(0, 40), lead: range(0, 24) };
    expect(isDuplicate(teaser, full)).toMatchObject({ duplicate: true, rule: 'truncation' });
    expect(isTruncation(teaser, full)).toBe(true);
    expect(leadShare(teaser, full)).toBe(1);
    // The same 40 shingles taken from the middle do not include the opening.
    const middle = { shingles: range(100, 140), lead: range(100, 124) };
    expect(isDuplicate(middle, full).duplicate).toBe(false);
    expect(leadShare(middle, full)).toBe(0);
    // A teaser shorter than the opening window only has to be all opening…
    const short = { shingles: range(0, 15), lead: range(0, 15) };
    expect(isDuplicate(short, full)).toMatchObject({ duplicate: true, rule: 'truncation' });
    // …but a few words are too short to tell from a stock phrase.
    const stock = { shingles: range(0, 8), lead: range(0, 8) };
    expect(isDuplicate(stock, full).duplicate).toBe(false);
    // Without features the teaser is judged by the containment rule alone.
    expect(isDuplicate(teaser.shingles, full.shingles).duplicate).toBe(false);
  });

  it('uses word pairs for reworded copies, with a floor on verbatim shingles', () => {
    const a = { shingles: range(0, 100), pairs: range(0, 100) };
    const reworded = { shingles: range(70, 170), pairs: range(30, 130) };
    expect(isDuplicate(a, reworded)).toMatchObject({ duplicate: true, rule: 'rewording' });
    const noVerbatim = { shingles: range(95, 195), pairs: range(30, 130) };
    expect(isDuplicate(a, noVerbatim).duplicate).toBe(false);
    expect(isDuplicate(a.shingles, reworded.shingles).duplicate).toBe(false);
  });

  it('is symmetric in its arguments', () => {
    const features = fc.record({ shingles: hashSets, lead: hashSets, pairs: hashSets });
    fc.assert(
      fc.property(features, features, (a, b) => {
        expect(isDuplicate(a, b)).toEqual(isDuplicate(b, a));
      }),
    );
  });

  it('catches seed 000 inside seed 001, which a Jaccard threshold would miss', () => {
    const [s000, s001] = [
      'The Panjshir based anti-Taliban movement in Afghanistan has made gains in the northern Baghlan province as talks to form a new government continue.',
      'Taliban resistance movement claims gains in two Afghanistan districts\nThe Panjshir based anti-Taliban movement in Afghanistan has made gains in the northern Baghlan province as talks to form a new government continue.\nMeanwhile, all banks, forex markets, and much of the public and private business remained closed across Afghanistan.',
    ].map(dedupFeatures);
    const verdict = isDuplicate(s000!, s001!);
    const jaccard =
      verdict.similarity.shared / (s000!.shingles.length + s001!.shingles.length - verdict.similarity.shared);
    expect(jaccard).toBeLessThan(0.5);
    expect(verdict.similarity.containment).toBe(1);
    expect(verdict.duplicate).toBe(true);
  });
});

describe('story pages that carry another copy of the article', () => {
  // Deterministic prose: sentence i of story s uses words no other sentence uses.
  const sentence = (s: string, i: number) =>
    `${s}alpha${i} reported that the ${s}council${i} would review ${s}plan${i} after ${s}residents${i} objected strongly on ${s}monday${i}.`;
  const body = (s: string, n: number) => Array.from({ length: n }, (_, i) => sentence(s, i));
  // Copy-edited: one word in every second sentence changed, so 5-word runs break but word pairs stay.
  const edited = (lines: string[]) =>
    lines.map((line, i) => (i % 2 === 1 ? line.replace(' would review ', ' will review ') : line));
  const headline = 'Harbour council delays the ferry terminal vote again';
  const article = headlinedFeatures([headline, '', ...body('a', 12)].join('\n\n'), true);
  const other = headlinedFeatures(
    ['Bridge repairs close the northern road', '', ...body('b', 12)].join('\n\n'),
    true,
  );
  const page = dedupFeatures(
    [
      'More on this story',
      'Bridge repairs close the northern road',
      ...body('b', 2),
      headline,
      ...edited(body('a', 12)),
      'Schools reopen after the storm',
      ...body('c', 8),
      'Related coverage',
      ...['d', 'e', 'f'].flatMap((story) => [`Story ${story} headline words here`, ...body(story, 6)]),
    ].join('\n\n'),
  );

  it('is one story with the article: the page holds its headline and a copy-edited copy of it', () => {
    const sim = similarity(article.shingles, page.shingles);
    // The page is mostly other stories: the article covers a third of it at most.
    expect(sim.coverage).toBeLessThan(0.35);
    // The edit breaks the 5-word runs enough to fall under the plain story-page threshold…
    expect(sim.containment).toBeLessThan(0.85);
    expect(sim.containment).toBeGreaterThanOrEqual(0.75);
    // …while the word pairs still hold the article.
    expect(isDuplicate(article, page)).toMatchObject({ duplicate: true, rule: 'story-page' });
  });

  it('is not one story with the article whose headline and two paragraphs it carries as a piece', () => {
    expect(isDuplicate(other, page).duplicate).toBe(false);
  });
});

describe('briefs that share their first sentence and then say different things', () => {
  const shared =
    'The number of people infected in a legionnaires disease outbreak in Torstad climbed to 288 on Saturday, the Ossia Public Health Agency said.';
  const first = [
    'Legionnaires disease outbreak in Torstad: 288 cases reported',
    `${shared} Inspectors took samples at a wedding reception on Friday while workers at the venue were questioned.`,
  ].join('\n\n');
  const second = [
    'Health officials warn parents as legionnaires disease cases rise in Torstad',
    `${shared.replace(' said.', ' added.')} Pop-up vaccination clinics opened in Torstad this weekend for the families of guests.`,
  ].join('\n\n');
  // The first brief reworded: a few words of every sentence replaced, as a rewrite desk does.
  const rewrite = [
    'Legionnaires disease outbreak in Torstad: 288 cases confirmed',
    'The number of people taken ill in a legionnaires disease outbreak in Torstad rose to 288 on Saturday, the Ossia Public Health Agency stated. Inspectors took samples at a wedding party on Friday while staff at the venue were interviewed.',
  ].join('\n\n');

  it('keeps them apart, though their one paragraph shares its first sentence', () => {
    expect(isDuplicate(headlinedFeatures(first, true), headlinedFeatures(second, true)).duplicate).toBe(
      false,
    );
  });

  it('still merges a reworded copy, whose every sentence has a counterpart', () => {
    expect(isDuplicate(headlinedFeatures(first, true), headlinedFeatures(rewrite, true))).toMatchObject({
      duplicate: true,
    });
  });
});
