import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CostCounts, monthlyCost, PRICES, SIZES } from '../../bench/cost-model.js';

const counts = JSON.parse(
  readFileSync(new URL('../../bench/cost-counts.json', import.meta.url), 'utf8'),
) as CostCounts;

describe('the cost model', () => {
  it('prices the three reference sizes, each bill the sum of its services, growing with size', () => {
    const totals = Object.values(SIZES).map((size) => {
      const { bill, total } = monthlyCost(counts, size);
      expect(total).toBeCloseTo(
        Object.values(bill).reduce((a, b) => a + b, 0),
        9,
      );
      for (const value of Object.values(bill)) expect(value).toBeGreaterThanOrEqual(0);
      return total;
    });
    expect(totals[0]!).toBeLessThan(totals[1]!);
    expect(totals[1]!).toBeLessThan(totals[2]!);
  });

  it('charges SES per mail sent: every edition to every subscriber, and the confirmations', () => {
    const { bill, volume } = monthlyCost(counts, {
      articlesPerDay: 0,
      subscribers: 10_000,
      editionsPerWeek: 7,
    });
    expect(volume.mails).toBeCloseTo(10_000 * 30.4, 6);
    expect(bill.SES).toBeCloseTo(((volume.mails! + volume.signups!) / 1000) * PRICES.sesPerThousandMails, 9);
  });

  it('derives DynamoDB and S3 from the measured requests per article', () => {
    const none = monthlyCost(counts, { articlesPerDay: 0, subscribers: 0, editionsPerWeek: 0 });
    const some = monthlyCost(counts, { articlesPerDay: 100, subscribers: 0, editionsPerWeek: 0 });
    const perArticleWrites = Object.entries(counts.perArticle)
      .filter(([key]) => /^DynamoDB\.(Put|Update|Delete|BatchWrite)/.test(key))
      .reduce((n, [, v]) => n + v.count, 0);
    expect(some.volume.dynamoWrites! - none.volume.dynamoWrites!).toBeGreaterThanOrEqual(
      perArticleWrites * 3040 - 1,
    );
    expect(some.bill.S3).toBeGreaterThan(none.bill.S3);
    // One invalidation per publish, each path of it billed beyond the free 1,000 a month.
    expect(some.volume.invalidationPaths).toBeGreaterThan(3040);
    expect(some.bill.CloudFront).toBeGreaterThan(none.bill.CloudFront);
  });
});
