import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupFeatures, LEAD_SHINGLES } from '../../functions/core/dedup/features.js';
import { WINNOW_WINDOW, winnow } from '../../functions/core/dedup/fingerprints.js';
import { combineTokenHashes, fnv1a } from '../../functions/core/dedup/hash.js';
import { decodeEntities } from '../../functions/core/dedup/normalize-text.js';
import { shingleSequence, shingleSequenceOfTokens } from '../../functions/core/dedup/shingle-sequence.js';
import { fingerprints, SHINGLE_WORDS, shingleSet, tokenize } from '../../functions/core/dedup/shingles.js';
import { intersectionSize, isSortedUnique } from '../../functions/core/dedup/sorted-sets.js';
import { tokenHashes } from '../../functions/core/dedup/tokens.js';
import { createRng, readSeeds, syntheticArticle } from '../fixtures/syndication.js';

const words = fc.constantFrom(
  'taliban',
  'Panjshir',
  'resistance',
  'the',
  'of',
  'Massoud’s',
  "don't",
  'café',
  'Zürich',
  '34',
  'Kabul',
  'fighters',
  'said',
  'a',
  'valley',
  '&amp;',
  '—',
  '“quote”',
  'naïve',
);
const texts = fc.array(words, { maxLength: 60 }).map((list) => list.join(' '));

describe('tokenize', () => {
  it('lower-cases, strips punctuation and joins apostrophes', () => {
    expect(tokenize('The Taliban’s "Red Unit" -- all set, (again)!')).toEqual([
      'the',
      'talibans',
      'red',
      'unit',
      'all',
      'set',
      'again',
    ]);
  });

  it('treats straight and typographic quotes, apostrophes and dashes alike', () => {
    const straight = `He said "it's a stand-off -- and a 'peaceful solution' isn't near"`;
    const curly = 'He said “it’s a stand‐off — and a ‘peaceful solution’ isn’t near”';
    expect(tokenize(curly)).toEqual(tokenize(straight));
  });

  it('decodes HTML entities, numeric and named', () => {
    expect(tokenize('AT&amp;T&#8217;s R&amp;D &mdash; caf&eacute; &#x2014; 5&nbsp;km')).toEqual(
      tokenize('AT&T’s R&D — café — 5 km'),
    );
    expect(decodeEntities('&#8217;&#x41;&lt;&unknownentity;&#xD800;')).toBe('’A<&unknownentity;&#xD800;');
  });

  it('gives the same tokens for NFC, NFD and compatibility forms', () => {
    const nfc = 'Ségolène a visité Zürich et Łódź ﬁnally'.normalize('NFC');
    expect(tokenize(nfc.normalize('NFD'))).toEqual(tokenize(nfc));
    expect(tokenize('ﬁnally')).toEqual(['finally']);
  });

  it('keeps letters and digits of any script', () => {
    expect(tokenize('Путин и 習近平 met in الرياض on 12.5')).toEqual([
      'путин',
      'и',
      '習近平',
      'met',
      'in',
      'الرياض',
      'on',
      '12',
      '5',
    ]);
  });

  it('hashes exactly the tokens that tokenize returns', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(Array.from(tokenHashes(text))).toEqual(tokenize(text).map(fnv1a));
      }),
    );
  });
});

describe('shingleSet', () => {
  it('is sorted and unique, with one shingle per distinct 5-word run', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const set = shingleSet(text);
        expect(isSortedUnique(set)).toBe(true);
        const tokens = tokenize(text);
        const runs = new Set<string>();
        for (let i = 0; i + SHINGLE_WORDS <= tokens.length; i++)
          runs.add(tokens.slice(i, i + SHINGLE_WORDS).join(' '));
        if (tokens.length >= SHINGLE_WORDS) expect(set.length).toBe(runs.size);
      }),
    );
  });

  it('has a single shingle for texts shorter than five words, and none without words', () => {
    expect(shingleSet('Kabul airport')).toHaveLength(1);
    expect(shingleSet('Kabul airport')).not.toEqual(shingleSet('airport Kabul'));
    expect(shingleSet('  — … !! ')).toHaveLength(0);
  });

  it('depends on word order within a shingle', () => {
    const a = shingleSet('one two three four five');
    const b = shingleSet('two one three four five');
    expect(intersectionSize(a, b)).toBe(0);
  });

  it('ignores line breaks: splitting or joining paragraphs keeps the set', () => {
    const text = syntheticArticle(createRng(3), 5);
    expect(shingleSet(text.replaceAll('\n', ' '))).toEqual(shingleSet(text));
  });

  it('combines token hashes the same way in the inlined loop and in combineTokenHashes', () => {
    const tokens = tokenHashes(readSeeds()[0]!.text);
    const sequence = shingleSequenceOfTokens(tokens);
    for (let i = 0; i < sequence.length; i++) {
      expect(sequence[i]).toBe(combineTokenHashes(tokens, i, i + SHINGLE_WORDS));
    }
  });

  it('does not let callers corrupt the memoised sequence through shingleSet', () => {
    const text = readSeeds()[1]!.text;
    const before = Array.from(shingleSequence(text));
    shingleSet(text).fill(0);
    fingerprints(text).fill(0);
    expect(Array.from(shingleSequence(text))).toEqual(before);
  });
});

describe('fingerprints', () => {
  it('are a sorted unique subset of the shingles', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const fps = fingerprints(text);
        expect(isSortedUnique(fps)).toBe(true);
        expect(intersectionSize(fps, shingleSet(text))).toBe(fps.length);
        if (shingleSet(text).length > 0) expect(fps.length).toBeGreaterThan(0);
      }),
    );
  });

  it('keep about 2/(w+1) of the shingles, at most a quarter', () => {
    const seeds = readSeeds();
    let shingles = 0;
    let fps = 0;
    for (const seed of seeds) {
      shingles += shingleSet(seed.text).length;
      fps += fingerprints(seed.text).length;
    }
    const density = fps / shingles;
    expect(density).toBeLessThanOrEqual(0.25);
    expect(density).toBeGreaterThan(0.15);
  });

  it('are shared by any two texts sharing a run of 12 consecutive words', () => {
    const run = WINNOW_WINDOW + SHINGLE_WORDS - 1;
    expect(run).toBe(12);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 0, max: 40 }), (seed, offset) => {
        const rng = createRng(seed);
        const shared = syntheticArticle(rng, 2).split(/\s+/).slice(0, run).join(' ');
        const left = syntheticArticle(rng, 1).split(/\s+/).slice(0, offset).join(' ');
        const a = `${left} ${shared} ${syntheticArticle(rng, 1)}`;
        const b = `${syntheticArticle(rng, 1)} ${shared}`;
        expect(intersectionSize(fingerprints(a), fingerprints(b))).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('winnow picks every window minimum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 50 }), (values) => {
        const sequence = Uint32Array.from(values);
        const chosen = winnow(sequence, 4);
        const expected: number[] = [];
        for (let start = 0; start === 0 || start + 4 <= values.length; start++) {
          if (values.length === 0) break;
          expected.push(Math.min(...values.slice(start, start + 4)));
        }
        expect(Array.from(chosen)).toEqual(expected);
      }),
    );
  });
});

describe('dedupFeatures', () => {
  it('agrees with shingleSet and fingerprints, and keeps the opening apart', () => {
    for (const seed of readSeeds()) {
      const features = dedupFeatures(seed.text);
      expect(features.shingles).toEqual(shingleSet(seed.text));
      expect(features.fingerprints).toEqual(fingerprints(seed.text));
      expect(features.lead.length).toBeLessThanOrEqual(LEAD_SHINGLES);
      expect(intersectionSize(features.lead, features.shingles)).toBe(features.lead.length);
      const opening = tokenize(seed.text)
        .slice(0, LEAD_SHINGLES + SHINGLE_WORDS - 1)
        .join(' ');
      expect(features.lead).toEqual(shingleSet(opening));
      expect(features.pairs.length).toBeGreaterThan(features.shingles.length * 0.8);
    }
  });
});
