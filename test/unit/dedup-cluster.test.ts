import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClusterDoc, clusterDocs, DuplicateDocIdError } from '../../functions/core/dedup/cluster.js';
import { dedupFeatures, headlinedFeatures } from '../../functions/core/dedup/features.js';
import { shingleSet } from '../../functions/core/dedup/shingles.js';
import { similarity } from '../../functions/core/dedup/similarity.js';
import type { Cluster } from '../../functions/core/dedup/types.js';
import {
  createRng,
  lightlyEdited,
  readSeeds,
  reworded,
  roundup,
  syntheticArticle,
  syntheticBrief,
  truncatedParagraphs,
  truncatedThird,
  withBoilerplate,
} from '../fixtures/syndication.js';

/** Hand-made shingle sets: [from, to) ranges, so containment and coverage are exact by construction. */
function doc(docId: string, seq: number, ranges: [number, number][], storyId?: string): ClusterDoc {
  const values = ranges.flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i));
  const made: ClusterDoc = { docId, seq, shingles: Uint32Array.from(values).sort() };
  if (storyId !== undefined) made.storyId = storyId;
  return made;
}

const members = (clusters: Cluster[]) => clusters.map((cluster) => cluster.members);

const seeds = readSeeds();

describe('clusterDocs on the seeds', () => {
  for (const withFeatures of [true, false]) {
    it(`groups {000, 001}, {002}, {003}, {004} (${withFeatures ? 'with' : 'without'} lead and pair features)`, () => {
      const docs = seeds.map((seed, seq) => ({
        docId: seed.name,
        seq,
        ...(withFeatures ? dedupFeatures(seed.text) : { shingles: shingleSet(seed.text) }),
      }));
      const clusters = clusterDocs(docs);
      expect(members(clusters)).toEqual([['001', '000'], ['002'], ['003'], ['004']]);
      expect(clusters.map((cluster) => cluster.storyId)).toEqual(['000', '002', '003', '004']);
      expect(clusters[0]!.canonical).toBe('001');
      const expected = similarity(docs[0]!.shingles, docs[1]!.shingles);
      expect(clusters[0]!.evidence).toEqual([
        { docId: '000', into: '001', containment: expected.containment, coverage: expected.coverage },
      ]);
      for (const cluster of clusters.slice(1)) expect(cluster.evidence).toEqual([]);
    });
  }
});

describe('clusterDocs rules', () => {
  it('returns nothing for no docs and refuses repeated docIds', () => {
    expect(clusterDocs([])).toEqual([]);
    expect(() => clusterDocs([doc('a', 1, [[0, 10]]), doc('a', 2, [[0, 10]])])).toThrow(DuplicateDocIdError);
  });

  it('makes the most complete member canonical, first-seen on ties, and lists the others by seq', () => {
    const clusters = clusterDocs([
      doc('late-copy', 7, [[0, 100]]),
      doc('full', 9, [[0, 120]]),
      doc('first', 2, [[0, 100]]),
      doc('teaser', 4, [[0, 80]]),
    ]);
    expect(members(clusters)).toEqual([['full', 'first', 'teaser', 'late-copy']]);
    const tied = clusterDocs([doc('b', 5, [[0, 100]]), doc('a', 3, [[0, 100]])]);
    expect(tied[0]!.canonical).toBe('a');
    expect(tied[0]!.evidence).toEqual([{ docId: 'b', into: 'a', containment: 1, coverage: 1 }]);
  });

  it('joins a doc only to a story whose canonical it duplicates (not transitive)', () => {
    // B is a copy of A's first half; C shares B's second half, but little of A.
    const a = doc('A', 1, [
      [0, 150],
      [2000, 2150],
    ]);
    const b = doc('B', 2, [[0, 200]]);
    const c = doc('C', 3, [
      [100, 200],
      [3000, 3040],
    ]);
    expect(members(clusterDocs([a, b, c]))).toEqual([['A', 'B'], ['C']]);
    // Without A, B is the canonical and C joins it.
    expect(members(clusterDocs([b, c]))).toEqual([['B', 'C']]);
  });

  it('joins the story whose canonical contains the doc most, whatever the seq', () => {
    const d = doc('D', 1, [[0, 100]]);
    const a = doc('A', 9, [
      [0, 100],
      [1000, 1150],
    ]);
    const b = doc('B', 2, [
      [0, 80],
      [2000, 2130],
    ]);
    const clusters = clusterDocs([d, a, b]);
    expect(members(clusters)).toEqual([['A', 'D'], ['B']]);
    expect(clusters[0]!.evidence[0]!.containment).toBe(1);
  });

  it('on equal containment, joins the story whose canonical was seen first', () => {
    const d = doc('D', 5, [[0, 100]]);
    const smallerFirst = doc('A', 1, [
      [0, 100],
      [1000, 1140],
    ]);
    const largerLater = doc('B', 2, [
      [0, 100],
      [2000, 2150],
    ]);
    expect(members(clusterDocs([d, smallerFirst, largerLater]))).toEqual([['A', 'D'], ['B']]);
    const largerFirst = { ...largerLater, seq: 0 };
    expect(members(clusterDocs([d, smallerFirst, largerFirst]))).toEqual([['B', 'D'], ['A']]);
  });

  it('does not merge a hub with its parts, but merges it with its own copies', () => {
    const p = doc('P', 1, [[0, 100]]);
    const q = doc('Q', 2, [[100, 200]]);
    const hub = doc('R', 3, [[0, 200]]);
    const hubCopy = doc('R2', 4, [
      [0, 200],
      [500, 520],
    ]);
    // Pairwise, each part is a duplicate of the hub (containment 1, coverage 0.5).
    expect(members(clusterDocs([p, hub]))).toEqual([['R', 'P']]);
    expect(members(clusterDocs([hub, q, p, hubCopy]))).toEqual([['P'], ['Q'], ['R2', 'R']]);
  });

  it('does not count copies of one article as two parts of a hub', () => {
    // 000 and a truncated copy of it are both inside 001: they are duplicates, so 001 is no hub.
    const texts = [seeds[0]!.text, seeds[1]!.text, truncatedThird(seeds[0]!.text)];
    const docs = texts.map((text, seq) => ({ docId: `d${seq}`, seq, ...dedupFeatures(text) }));
    const clusters = clusterDocs(docs);
    expect(clusters[0]!.canonical).toBe('d1');
    expect(clusters[0]!.members).toContain('d0');
  });
});

describe("a story page with another story's teaser in its related block", () => {
  const verdict = [
    'Jury clears Aleksi Stanhurst of bribery in Velara',
    'A jury in Velara acquitted Aleksi Stanhurst on Friday of accepting bribes in exchange for building permits, ending a case that started in 2010.',
    'The prosecution had argued that he used false invoices to hide the payments from auditors at the regional planning office.',
    'The jury heard evidence from 24 witnesses over eleven weeks, including two former business partners and a retired surveyor.',
    '"Nobody is above the law, whatever position they hold," the chief prosecutor Fatima Yarsted told reporters outside the court.',
    'Stanhurst, 56, sat in the dock as the verdict was read and left the building through a side door without speaking.',
    'A separate hearing next month will decide whether the state must pay his legal costs, his lawyer said on Friday evening.',
  ];
  const outbreak = [
    'Doctors warn parents as whooping cough cases rise in Eldavia',
    'Health authorities in Eldavia confirmed 319 cases of whooping cough late on Saturday, most of them linked to a hotel in Havfield.',
    'Several units at Havfield General Hospital were closed to visitors to limit the spread of the infection among patients.',
    'Of the 319 confirmed cases, 31 required hospital treatment and four children remain in intensive care, officials said.',
    'Pop-up vaccination clinics will open in three schools this weekend, and pharmacies have been asked to keep longer hours.',
    'The outbreak comes amid warnings about pressure on hospitals this winter from the regional association of doctors.',
  ];
  const other = [
    'Police question driver after Velcastle train derailment',
    'A train carrying 326 people derailed near Velcastle on Monday, killing at least five and injuring sixteen, police said.',
  ];
  const text = (lines: string[]) => lines.join('\n\n');
  const docs = [
    ['original', text(verdict)],
    ['copy', text(verdict).replaceAll('"', '\u201c')],
    // A teaser: the verdict's headline and opening, all another outlet ran.
    ['teaser', text(verdict.slice(0, 2))],
    ['outbreak', text(outbreak)],
    // The outbreak's page: the article whole, then a related block with the teaser and another one.
    ['page', text(['More on this story', ...outbreak, 'Related coverage', ...verdict.slice(0, 2), ...other])],
  ].map(([docId, body], seq) => ({ docId: docId!, seq, ...headlinedFeatures(body!, true) }));

  // The same, where the teaser is cut from the copy and the original's opening was edited since.
  const edited = docs.map((doc) =>
    doc.docId === 'original'
      ? {
          ...doc,
          ...headlinedFeatures(text(verdict).replace('on Friday of accepting', 'on Friday of taking'), true),
        }
      : doc,
  );

  it("joins the page to the story it carries whole, never to the teaser's story", () => {
    for (const order of [docs, [...docs].reverse(), edited, [...edited].reverse()]) {
      const clusters = clusterDocs(order);
      expect(members(clusters).map((m) => [...m].sort())).toEqual([
        ['copy', 'original', 'teaser'],
        ['outbreak', 'page'],
      ]);
    }
  });
});

describe('an article updated with a paragraph at its end, beside its truncated copy', () => {
  it('joins the story of its copies (a fuller version is not a page around a teaser)', () => {
    const rng = createRng(9);
    const article = syntheticArticle(rng, 2);
    const texts: Array<[string, string]> = [
      ['original', article],
      ['edited', withBoilerplate(lightlyEdited(article, createRng(1)))],
      ['truncated', truncatedParagraphs(article, 3)],
      ['fuller', `${article}\n${syntheticArticle(createRng(3), 1)}`],
    ];
    const docs = texts.map(([docId, text], seq) => ({ docId, seq, ...headlinedFeatures(text, true) }));
    for (const order of [docs, [...docs].reverse()])
      expect(members(clusterDocs(order)).map((m) => [...m].sort())).toEqual([
        ['edited', 'fuller', 'original', 'truncated'],
      ]);
  });
});

describe('clusterDocs is independent of input order', () => {
  const rng = createRng(77);
  const briefs = [syntheticBrief(rng), syntheticBrief(rng), syntheticBrief(rng)];
  const texts: Record<string, string> = {
    ...Object.fromEntries(seeds.map((seed) => [seed.name, seed.text])),
    '000-teaser': truncatedThird(seeds[0]!.text),
    '001-outlet': withBoilerplate(seeds[1]!.text),
    '003-reworded': reworded(seeds[3]!.text, createRng(5), 0.15),
    roundup: roundup(briefs),
    'roundup-outlet': withBoilerplate(roundup(briefs)),
    brief0: briefs[0]!,
    brief1: briefs[1]!,
    brief2: briefs[2]!,
  };
  const storyIds: Record<string, string> = {
    '001': 'story-a',
    '003': 'story-b',
    brief1: 'story-a',
    roundup: 'story-c',
  };
  const pool: ClusterDoc[] = Object.entries(texts).map(([docId, text], seq) => {
    const made: ClusterDoc = { docId, seq, ...dedupFeatures(text) };
    if (storyIds[docId]) made.storyId = storyIds[docId];
    return made;
  });
  // Equal sizes and equal seqs on purpose: the tie-breaks must not depend on input order either.
  pool.push({ ...pool[0]!, docId: '000-same-seq' }, { docId: 'tiny', seq: 3, shingles: Uint32Array.of(7) });

  it('gives the same clusters for any subset in any order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), (docs) => {
        const reference = [...docs].sort((a, b) => (a.docId < b.docId ? -1 : 1));
        expect(clusterDocs(docs)).toEqual(clusterDocs(reference));
      }),
      { numRuns: 200 },
    );
  });

  it('breaks exact ties (same shingles, same seq) by docId, not by position', () => {
    const tiePool: ClusterDoc[] = [
      doc('b', 1, [[0, 100]]),
      doc('a', 1, [[0, 100]]),
      doc('c', 1, [[0, 90]]),
      doc('d', 2, [
        [0, 50],
        [100, 150],
      ]),
      doc('e', 2, [
        [100, 150],
        [0, 50],
      ]),
      doc('p', 3, [[300, 350]]),
      doc('q', 3, [[350, 400]]),
      doc('hub', 3, [[300, 400]]),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(tiePool, { minLength: 1 }), (docs) => {
        const reference = [...docs].sort((x, y) => (x.docId < y.docId ? -1 : 1));
        expect(clusterDocs(docs)).toEqual(clusterDocs(reference));
      }),
      { numRuns: 500 },
    );
  });

  it('puts every doc in exactly one cluster, with a story id nobody else uses', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), (docs) => {
        const clusters = clusterDocs(docs);
        expect(clusters.flatMap((cluster) => cluster.members).sort()).toEqual(
          docs.map((d) => d.docId).sort(),
        );
        const ids = clusters.map((cluster) => cluster.storyId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const cluster of clusters) {
          expect(cluster.members[0]).toBe(cluster.canonical);
          expect(cluster.evidence.map((evidence) => evidence.docId)).toEqual(cluster.members.slice(1));
          const inCluster = docs.filter((d) => cluster.members.includes(d.docId));
          const ownIds = new Set(inCluster.flatMap((d) => [d.docId, ...(d.storyId ? [d.storyId] : [])]));
          expect(ownIds.has(cluster.storyId)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('clusterDocs story ids', () => {
  const copy = (docId: string, seq: number, storyId?: string) => doc(docId, seq, [[0, 100]], storyId);

  it('names a new story after its first-seen member', () => {
    expect(clusterDocs([copy('x', 5), copy('y', 2)])[0]!.storyId).toBe('y');
  });

  it('inherits an earlier story id, even from a member seen later than a newcomer', () => {
    expect(clusterDocs([copy('x', 5, 'S-old'), copy('y', 2)])[0]!.storyId).toBe('S-old');
  });

  it('keeps the story of the lowest-seq member when earlier stories merge', () => {
    const clusters = clusterDocs([copy('x', 4, 'S4'), copy('y', 2, 'S2'), copy('z', 1)]);
    expect(clusters[0]!.storyId).toBe('S2');
  });

  it('leaves a split story with the part holding its first member; the other part is named anew', () => {
    const p = doc('p', 1, [[0, 100]], 'S');
    const q = doc('q', 2, [[0, 100]], 'S');
    const r = doc('r', 3, [[500, 600]], 'S');
    const s = doc('s', 4, [[500, 600]]);
    const clusters = clusterDocs([s, r, q, p]);
    expect(members(clusters)).toEqual([
      ['p', 'q'],
      ['r', 's'],
    ]);
    expect(clusters.map((cluster) => cluster.storyId)).toEqual(['S', 'r']);
  });

  it('gives the split-off part its own earlier story when it had one', () => {
    const clusters = clusterDocs([
      doc('p', 1, [[0, 100]], 'S'),
      doc('r', 3, [[500, 600]], 'S'),
      doc('t', 2, [[500, 600]], 'T'),
    ]);
    expect(clusters.map((cluster) => [cluster.storyId, ...cluster.members])).toEqual([
      ['S', 'p'],
      ['T', 't', 'r'],
    ]);
  });
});
