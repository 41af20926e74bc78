/**
 * Pacing for the sender: batches sized for the SES API, a token bucket that keeps the send rate
 * under the account's quota, and jittered backoff for throttled or failed calls.
 */

/** Splits `items` into consecutive batches of `size` (the last may be shorter). The caller caps `size` (SES: 50). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/**
 * A token bucket holding up to `burst` sends and refilling at `ratePerSecond`, written as the
 * equivalent GCRA (one "theoretical arrival time" instead of a fractional token count). Time is
 * kept in whole microseconds and the interval between sends rounded up, so float drift can never
 * let a send through early: over any span of T ms at most `burst + rate * T / 1000` sends pass.
 */
export class TokenBucket {
  /** Microseconds between sends at the sustained rate. */
  readonly #intervalUs: number;
  /** How far ahead of the sustained schedule a burst may run, in microseconds. */
  readonly #toleranceUs: number;
  readonly #now: () => number;
  /** When the bucket will be full again at the sustained schedule; a send advances it by one interval. */
  #theoreticalArrivalUs = Number.NEGATIVE_INFINITY;

  constructor(ratePerSecond: number, burst: number, now: () => number) {
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
    }
    if (!Number.isInteger(burst) || burst < 1)
      throw new RangeError(`burst must be a positive integer, got ${burst}`);
    this.#intervalUs = Math.ceil(1_000_000 / ratePerSecond);
    this.#toleranceUs = (burst - 1) * this.#intervalUs;
    this.#now = now;
  }

  /**
   * 0 when a send may go now (and that send is counted); otherwise the whole milliseconds to wait
   * before calling again, which is then guaranteed to return 0 if nothing else took the token.
   */
  take(): number {
    const nowUs = Math.floor(this.#now() * 1000);
    const arrivalUs = Math.max(this.#theoreticalArrivalUs, nowUs);
    const allowedAtUs = arrivalUs - this.#toleranceUs;
    if (nowUs < allowedAtUs) return Math.ceil((allowedAtUs - nowUs) / 1000);
    this.#theoreticalArrivalUs = arrivalUs + this.#intervalUs;
    return 0;
  }
}

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(cap, base * 2^attempt)) ms, with
 * `attempt` counting retries from 0. Spreading retries over the whole range keeps many throttled
 * senders from retrying in step.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = 100, capMs = 20_000): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be a whole number ≥ 0, got ${attempt}`);
  if (!(baseMs > 0) || !(capMs >= 0)) throw new RangeError('baseMs must be > 0 and capMs ≥ 0');
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  const draw = random();
  // A faulty random source must not produce a negative delay or one past the ceiling.
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1 - Number.EPSILON) : 0;
  return Math.floor(unit * ceiling);
}
