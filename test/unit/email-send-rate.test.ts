import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, chunk, TokenBucket } from '../../functions/core/email/send-rate.js';

/** A clock the test moves by hand. */
function manualClock(start = 0) {
  const clock = { time: start, now: () => clock.time };
  return clock;
}

describe('chunk', () => {
  it('splits into batches of at most `size`, in order, losing nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        (items, size) => {
          const batches = chunk(items, size);
          expect(batches.flat()).toEqual(items);
          expect(batches).toHaveLength(Math.ceil(items.length / size));
          for (const batch of batches.slice(0, -1)) expect(batch).toHaveLength(size);
          const last = batches.at(-1);
          if (last) expect(last.length).toBeGreaterThanOrEqual(1);
          if (last) expect(last.length).toBeLessThanOrEqual(size);
        },
      ),
    );
  });

  it('makes SES-sized batches of 50', () => {
    const recipients = Array.from({ length: 120 }, (_, i) => `r${i}@example.org`);
    expect(chunk(recipients, 50).map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(chunk(recipients, 50)[2]![0]).toBe('r100@example.org');
    expect(chunk([], 50)).toEqual([]);
  });

  it('refuses a size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => chunk([1, 2, 3], size)).toThrow(RangeError);
    }
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then waits exactly one interval per send', () => {
    const clock = manualClock(1_000);
    const bucket = new TokenBucket(2, 3, clock.now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(500);
    // Asking again does not consume anything or move the deadline.
    expect(bucket.take()).toBe(500);
    clock.time += 499;
    expect(bucket.take()).toBe(1);
    clock.time += 1;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(500);
  });

  it('refills to the burst size after an idle period, never more', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(1, 3, clock.now);
    for (let i = 0; i < 3; i++) expect(bucket.take()).toBe(0);
    clock.time += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0, 1000]);
  });

  it('handles fractional rates and clocks that step backwards without sending early', () => {
    const clock = manualClock(10_000);
    const slow = new TokenBucket(0.5, 1, clock.now);
    expect(slow.take()).toBe(0);
    expect(slow.take()).toBe(2000);
    clock.time = 5_000;
    expect(slow.take()).toBe(7000);
  });

  it('sustains the configured rate: 14/s with a burst of 5 sends 144 in the first 10 s', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(14, 5, clock.now);
    const sends: number[] = [];
    while (clock.time < 10_000) {
      const wait = bucket.take();
      if (wait === 0) sends.push(clock.time);
      else clock.time += wait;
    }
    // 5 at once, then one every 71.429 ms (1/14 s rounded up to the microsecond): 139 more before 10 s.
    expect(sends.filter((t) => t === 0)).toHaveLength(5);
    expect(sends.filter((t) => t < 10_000)).toHaveLength(144);
    const steady = sends.filter((t) => t >= 1 && t < 1_001);
    expect(steady.length).toBeLessThanOrEqual(14);
  });

  it('over any schedule, keeps to the rate envelope and never asks for a longer wait than needed', () => {
    const rate = fc.oneof(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.2, max: 60, noNaN: true }));
    const attempt = fc.record({
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_500 })),
      obey: fc.boolean(),
    });
    fc.assert(
      fc.property(
        rate,
        fc.integer({ min: 1, max: 20 }),
        fc.array(attempt, { maxLength: 300 }),
        (ratePerSecond, burst, schedule) => {
          const clock = manualClock(1_700_000_000_000);
          const bucket = new TokenBucket(ratePerSecond, burst, clock.now);
          const sends: number[] = [];
          for (const { gap, obey } of schedule) {
            clock.time += gap;
            const wait = bucket.take();
            if (wait === 0) {
              sends.push(clock.time);
              continue;
            }
            expect(Number.isInteger(wait) && wait > 0).toBe(true);
            if (!obey) continue;
            // One millisecond earlier is still too early; exactly `wait` later goes.
            clock.time += wait - 1;
            expect(bucket.take()).toBeGreaterThan(0);
            clock.time += 1;
            expect(bucket.take()).toBe(0);
            sends.push(clock.time);
          }
          const intervalMs = 1000 / ratePerSecond;
          const violations: string[] = [];
          for (let i = 0; i < sends.length; i++) {
            // Any two sends j - i apart are at least (j - i - burst + 1) intervals apart...
            for (let j = i + burst; j < sends.length; j++) {
              if (sends[j]! - sends[i]! < (j - i - burst + 1) * intervalMs - 1e-6)
                violations.push(`pair ${i},${j}`);
            }
            // ...so no 1-second window holds `rate + burst` sends or more.
            let inWindow = 0;
            for (let j = i; j < sends.length && sends[j]! < sends[i]! + 1000; j++) inWindow++;
            if (inWindow >= ratePerSecond + burst) violations.push(`window at ${i}: ${inWindow}`);
          }
          expect(violations).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a rate or burst that cannot work', () => {
    const now = () => 0;
    expect(() => new TokenBucket(0, 1, now)).toThrow(RangeError);
    expect(() => new TokenBucket(-1, 1, now)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.NaN, 1, now)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.POSITIVE_INFINITY, 1, now)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0, now)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 2.5, now)).toThrow(RangeError);
  });
});

describe('backoffDelay', () => {
  it('draws a whole number of ms in [0, min(cap, base * 2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        (attempt, draw, baseMs, capMs) => {
          const delay = backoffDelay(attempt, () => draw, baseMs, capMs);
          const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          if (ceiling > 0) expect(delay).toBeLessThan(ceiling);
          else expect(delay).toBe(0);
          expect(delay).toBe(Math.floor(draw * ceiling));
        },
      ),
    );
  });

  it('doubles the range per attempt up to the cap (defaults 100 ms and 20 s)', () => {
    const top = () => 1 - Number.EPSILON;
    expect([0, 1, 2, 3, 7, 8, 9, 50, 5000].map((attempt) => backoffDelay(attempt, top))).toEqual([
      99, 199, 399, 799, 12_799, 19_999, 19_999, 19_999, 19_999,
    ]);
    expect(backoffDelay(10, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(400);
  });

  it('stays in range when the random source misbehaves', () => {
    for (const draw of [1, 2, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const delay = backoffDelay(4, () => draw);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(1_600);
    }
  });

  it('refuses a negative or fractional attempt and a non-positive base', () => {
    expect(() => backoffDelay(-1, Math.random)).toThrow(RangeError);
    expect(() => backoffDelay(1.5, Math.random)).toThrow(RangeError);
    expect(() => backoffDelay(1, Math.random, 0)).toThrow(RangeError);
    expect(() => backoffDelay(1, Math.random, 100, -1)).toThrow(RangeError);
  });
});
