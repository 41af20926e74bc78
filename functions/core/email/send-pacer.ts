/**
 * Keeps one sender container under its share of the account's SES rate. SEND_CONCURRENCY
 * containers run at once (the queue's maximum concurrency), each with its own token bucket at
 * MaxSendRate ÷ SEND_CONCURRENCY, so together they stay at or under MaxSendRate without talking to
 * each other. The quota is read once per container (SES `GetAccount`).
 */
import type { Clock } from '../ports.js';
import type { Sleep } from './edition-ports.js';
import type { SendQuotaSource } from './ports.js';
import { TokenBucket } from './send-rate.js';

/**
 * Each container's rate. With burst 1 a container sends at most ⌈rate⌉ times in any one-second
 * window, so a whole number per container keeps the sum at or under MaxSendRate in every window
 * (14/s over 3 containers: 4 each, not 4.67, which would allow 5 + 5 + 5 in one second). Below one
 * per container (MaxSendRate < SEND_CONCURRENCY, e.g. the sandbox's 1/s with 2 containers) the
 * long-run rate is still right but two containers can meet in one second: keep SEND_CONCURRENCY at
 * or under MaxSendRate there.
 */
export function perSenderRate(maxSendRate: number, concurrency: number): number {
  if (!(maxSendRate > 0) || !Number.isFinite(maxSendRate)) {
    throw new RangeError(`maxSendRate must be a positive number, got ${maxSendRate}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const share = Math.floor(maxSendRate / concurrency);
  return share >= 1 ? share : maxSendRate / concurrency;
}

export interface SendPacerOptions {
  quota: SendQuotaSource;
  concurrency: number;
  clock: Clock;
  sleep: Sleep;
  /** Sends a container may make back to back after an idle spell. @default 1 */
  burst?: number;
}

export class SendPacer {
  /** Read once per container; a failed read is not kept, so the next message tries again. */
  #bucket: Promise<{ bucket: TokenBucket; rate: number }> | undefined;

  constructor(private readonly options: SendPacerOptions) {}

  /** Resolves when one send may go; every call (a retry too) takes a token. */
  async acquire(): Promise<void> {
    const { bucket } = await this.state();
    for (;;) {
      const wait = bucket.take();
      if (wait === 0) return;
      await this.options.sleep(wait);
    }
  }

  /** This container's sends per second. */
  async rate(): Promise<number> {
    return (await this.state()).rate;
  }

  private state(): Promise<{ bucket: TokenBucket; rate: number }> {
    if (!this.#bucket) {
      const { quota, concurrency, clock, burst = 1 } = this.options;
      const state = quota.quota().then(({ maxSendRate }) => {
        const rate = perSenderRate(maxSendRate, concurrency);
        return { rate, bucket: new TokenBucket(rate, burst, () => clock.now().getTime()) };
      });
      state.catch(() => {
        if (this.#bucket === state) this.#bucket = undefined;
      });
      this.#bucket = state;
    }
    return this.#bucket;
  }
}
