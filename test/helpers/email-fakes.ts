/**
 * In-memory stand-ins for the subscription ports: for unit tests of the core (no network), for tests
 * that look at pages rather than storage, and for the subscribe queue, which has no emulator. The store
 * keeps the same conditions as the DynamoDB adapter, which the integration test checks against dynalite.
 */
import { ORIGIN_VERIFY_HEADER } from '../../functions/core/email/origin-check.js';
import type {
  KeyringSource,
  MailSender,
  OriginSecretSource,
  OutgoingMail,
  Subscriber,
  SubscriberIdKeySource,
} from '../../functions/core/email/ports.js';
import type { SubscribeApiDeps } from '../../functions/core/email/subscribe-http.js';
import { subscriberIdFor } from '../../functions/core/email/subscriber-id.js';
import type {
  RateCounter,
  RateLimiter,
  SubscribeQueue,
  SubscribeRequest,
  SubscriberStore,
} from '../../functions/core/email/subscriptions.js';
import type { TokenKeyring } from '../../functions/core/email/tokens.js';

export const RING: TokenKeyring = {
  current: { version: 1, secret: new Uint8Array(32).fill(7) },
  previous: [],
};
export const keyringSource: KeyringSource = { keyring: async () => RING };

/** The subscriber id key of the tests (as stored: text), its source, and the id an address gets under it. */
export const ID_KEY_TEXT = 'test-subscriber-id-key-0123456789abcdef';
export const ID_KEY = new Uint8Array(Buffer.from(ID_KEY_TEXT, 'utf8'));
export const idKeySource: SubscriberIdKeySource = { idKey: async () => ID_KEY };
export const idOf = (address: string): string => subscriberIdFor(ID_KEY, address);

/** The secret origin header value CloudFront sends in the tests, the source that accepts it, and the header. */
export const ORIGIN_VALUE = 'test-origin-header-value-0123456789abcdef';
export const ORIGIN_SECRET_JSON = JSON.stringify({ h1: ORIGIN_VALUE });
export const originSource: OriginSecretSource = { originSecrets: async () => [ORIGIN_VALUE] };
export const fromCloudFront = { [ORIGIN_VERIFY_HEADER]: ORIGIN_VALUE } as const;

export class MemoryStore implements SubscriberStore {
  readonly profiles = new Map<string, Subscriber & { lastBounceId?: string }>();
  /** Old id → new id, as the id migration leaves them. */
  readonly moved = new Map<string, string>();
  writes = 0;

  async movedTo(id: string) {
    return this.moved.get(id);
  }
  async get(id: string) {
    const found = this.profiles.get(id);
    return found ? { ...found } : undefined;
  }
  async createPending(subscriber: Subscriber) {
    if (this.profiles.has(subscriber.id)) return false;
    this.profiles.set(subscriber.id, { ...subscriber, status: 'pending' });
    this.writes++;
    return true;
  }
  async reopen(id: string, generation: number, at: string) {
    if (this.profiles.get(id)?.generation !== generation) return false;
    return this.change(id, ['unsubscribed'], (p) => {
      p.status = 'pending';
      p.generation = generation + 1;
      delete p.unsubscribedAt;
      delete p.confirmedAt;
      p.updatedAt = at;
    });
  }
  async confirm(id: string, generation: number, at: string) {
    if (this.profiles.get(id)?.generation !== generation) return false;
    return this.change(id, ['pending'], (p) => {
      p.status = 'confirmed';
      p.confirmedAt = at;
      p.updatedAt = at;
    });
  }
  async unsubscribe(id: string, at: string) {
    return this.change(id, ['pending', 'confirmed'], (p) => {
      p.status = 'unsubscribed';
      p.unsubscribedAt = at;
      p.updatedAt = at;
    });
  }
  async suppress(id: string, reason: 'permanent-bounce' | 'complaint', at: string) {
    return this.change(id, ['pending', 'confirmed', 'unsubscribed'], (p) => {
      p.status = 'suppressed';
      p.suppressReason = reason;
      p.suppressedAt = at;
      p.updatedAt = at;
    });
  }
  async recordTransientBounce(id: string, at: string, feedbackId: string) {
    const profile = this.profiles.get(id);
    if (!profile || profile.lastBounceId === feedbackId) return false;
    profile.transientBounces++;
    profile.lastBounceId = feedbackId;
    profile.updatedAt = at;
    this.writes++;
    return true;
  }
  private change(id: string, from: Subscriber['status'][], apply: (p: Subscriber) => void): boolean {
    const profile = this.profiles.get(id);
    if (!profile || !from.includes(profile.status)) return false;
    apply(profile);
    this.writes++;
    return true;
  }
}

export class MemoryLimiter implements RateLimiter {
  readonly counts = new Map<string, number>();
  async take(c: RateCounter) {
    const key = `${c.scope}#${c.key}#${c.window}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= c.limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
  async release(c: RateCounter) {
    const key = `${c.scope}#${c.key}#${c.window}`;
    this.counts.set(key, Math.max(0, (this.counts.get(key) ?? 0) - 1));
  }
}

export class MemoryQueue implements SubscribeQueue {
  readonly requests: SubscribeRequest[] = [];
  async enqueue(request: SubscribeRequest) {
    this.requests.push(request);
  }
}

export class MemoryMailer implements MailSender {
  readonly sent: OutgoingMail[] = [];
  /** Errors thrown by the next sends, in order. */
  readonly failures: Error[] = [];
  async send(mail: OutgoingMail) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(mail);
    return { messageId: `m-${this.sent.length}` };
  }
}

export function fixedClock(iso: string) {
  let now = new Date(iso);
  return {
    now: () => new Date(now),
    set(next: string) {
      now = new Date(next);
    },
  };
}

/** Wraps each port of the subscribe API so every call is logged as `port.method`. */
export function recording(deps: SubscribeApiDeps, log: string[]): SubscribeApiDeps {
  const wrap = <T extends object>(name: string, port: T): T =>
    new Proxy(port, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          log.push(`${name}.${String(property)}`);
          return value.apply(target, args);
        };
      },
    });
  return {
    ...deps,
    store: wrap('store', deps.store),
    limiter: wrap('limiter', deps.limiter),
    queue: wrap('queue', deps.queue),
    keyring: wrap('keyring', deps.keyring),
    origin: wrap('origin', deps.origin),
  };
}
