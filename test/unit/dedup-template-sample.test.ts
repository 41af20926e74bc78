/**
 * The template sample (`templateSample`): the `TEMPLATE_SAMPLE` carriers of a line with the lowest
 * (rank, docNum), found by a bounded selection; checked against sorting every carrier.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_SAMPLE, templateSample } from '../../functions/core/dedup/template-lines.js';

/** What the selection must equal: every carrier sorted by (rank, docNum), the first `TEMPLATE_SAMPLE`. */
const bySorting = (docNums: number[], rank: (docNum: number) => number) =>
  [...docNums].sort((a, b) => rank(a) - rank(b) || a - b).slice(0, TEMPLATE_SAMPLE);

describe('templateSample', () => {
  it('equals sorting every carrier and taking the first, whatever the order and the ties', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        (docNums, spread, salt) => {
          // Few distinct ranks when `spread` is small: many ties, broken by docNum.
          const rank = (docNum: number) => Math.abs((docNum * 2654435761 + salt) % spread);
          expect(templateSample(docNums, rank)).toEqual(bySorting(docNums, rank));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes every carrier of a line carried by fewer than the sample', () => {
    expect(templateSample([9, 3, 7], (docNum) => 10 - docNum)).toEqual([9, 7, 3]);
    expect(templateSample([], () => 0)).toEqual([]);
  });
});
