/**
 * Ports of the subscription side: the subscriber profiles (every status change a conditional write,
 * so two requests racing for one profile cannot both win), rate-limit counters and the queue between
 * the subscribe API and the confirm mailer. DynamoDB implements the first two
 * (`adapters/aws/subscriber-store.ts`), SQS the third.
 */
import type { Subscriber } from './ports.js';

export interface SubscriberStore {
  get(id: string): Promise<Subscriber | undefined>;
  /** Writes a new pending profile; false (and nothing written) when a profile with its id exists. */
  createPending(subscriber: Subscriber): Promise<boolean>;
  /**
   * unsubscribed → pending (a new subscribe after an unsubscribe), advancing the generation from
   * `generation` to `generation + 1`; false when not unsubscribed or not at `generation`.
   */
  reopen(id: string, generation: number, at: string): Promise<boolean>;
  /** pending → confirmed, listed from `at` on; false when not pending or not at `generation`. */
  confirm(id: string, generation: number, at: string): Promise<boolean>;
  /** pending or confirmed → unsubscribed, unlisted; false otherwise. */
  unsubscribe(id: string, at: string): Promise<boolean>;
  /** Any status but suppressed → suppressed, unlisted; false when unknown or already suppressed. */
  suppress(id: string, reason: NonNullable<Subscriber['suppressReason']>, at: string): Promise<boolean>;
  /**
   * Where the one-off id migration (README: "Keyed subscriber ids") moved the profile that had this id
   * before subscriber ids were keyed; undefined for any other id. Links in old mails name such ids.
   */
  movedTo(id: string): Promise<string | undefined>;
  /**
   * Counts one transient bounce; false when the profile is unknown or this feedback id was the last
   * one counted (SNS delivers at least once).
   */
  recordTransientBounce(id: string, at: string, feedbackId: string): Promise<boolean>;
}

/** One fixed-window counter: `scope` and `key` name what is counted, `window` which period. */
export interface RateCounter {
  scope: 'source' | 'confirm';
  key: string;
  /** e.g. `2026-11-25T07` for an hour, `2026-11-25` for a day (UTC). */
  window: string;
  limit: number;
  /** Epoch seconds after which the counter may be deleted (the table's TTL). */
  expiresAt: number;
}

export interface RateLimiter {
  /** Counts one use; false (and nothing counted) when `limit` uses are already counted in the window. */
  take(counter: RateCounter): Promise<boolean>;
  /** Gives back a use taken for something that then did not happen (never below zero). */
  release(counter: RateCounter): Promise<void>;
}

/** What the subscribe API hands the confirm mailer. */
export interface SubscribeRequest {
  kind: 'subscribe';
  /** Normalised. */
  address: string;
  /** ISO time the API accepted the request. */
  requestedAt: string;
}

export interface SubscribeQueue {
  enqueue(request: SubscribeRequest): Promise<void>;
}

/** A queue message that is not a subscribe request: it is reported and never retried into success. */
export class SubscribeMessageError extends Error {
  override name = 'SubscribeMessageError';
}

/** A profile changed under every conditional write tried: the message is retried later. */
export class SubscriberContentionError extends Error {
  override name = 'SubscriberContentionError';
}
