/**
 * What the subscribe API does, independent of HTTP. `requestSubscription` never reads the subscriber:
 * it validates, counts the source and queues, so its answer and its timing are the same for a new,
 * pending, confirmed or unsubscribed address (the confirm mailer decides, out of band). Confirm and
 * unsubscribe act on the subscriber named by a signed token, with conditional writes only.
 */
import type { Clock } from '../ports.js';
import { normalizeAddress } from './address.js';
import type { KeyringSource } from './ports.js';
import { requestSource, secondsUntilReset, sourceCounter } from './subscribe-rate.js';
import type { RateLimiter, SubscribeQueue, SubscriberStore } from './subscriptions.js';
import { type TokenPurpose, type TokenRejection, verifyToken } from './tokens.js';

export interface SubscribeActionDeps {
  store: SubscriberStore;
  limiter: RateLimiter;
  queue: SubscribeQueue;
  keyring: KeyringSource;
  /** The token `list` (LIST_ID). */
  listId: string;
  perSourcePerHour: number;
  clock: Clock;
}

export type SubscribeOutcome =
  | { kind: 'invalid'; reason: string }
  | { kind: 'limited'; retryAfterSeconds: number }
  | { kind: 'accepted'; address: string };

export interface RequestOrigin {
  /** The `CloudFront-Viewer-Address` header of a request that came through CloudFront. */
  viewerAddress?: string;
}

export async function requestSubscription(
  deps: Pick<SubscribeActionDeps, 'limiter' | 'queue' | 'perSourcePerHour' | 'clock'>,
  rawAddress: unknown,
  origin: RequestOrigin,
): Promise<SubscribeOutcome> {
  if (typeof rawAddress !== 'string') return { kind: 'invalid', reason: 'address is missing' };
  const address = normalizeAddress(rawAddress);
  if (!address.ok) return { kind: 'invalid', reason: address.reason };
  const now = deps.clock.now();
  const counter = sourceCounter(requestSource(origin.viewerAddress), deps.perSourcePerHour, now);
  if (!(await deps.limiter.take(counter))) {
    return { kind: 'limited', retryAfterSeconds: secondsUntilReset(counter, now) };
  }
  await deps.queue.enqueue({ kind: 'subscribe', address: address.address, requestedAt: now.toISOString() });
  return { kind: 'accepted', address: address.address };
}

export type TokenCheck =
  | { ok: true; subscriberId: string; generation: number }
  | { ok: false; reason: TokenRejection };

export async function checkToken(
  deps: Pick<SubscribeActionDeps, 'keyring' | 'listId' | 'clock'>,
  token: string | undefined,
  purpose: TokenPurpose,
): Promise<TokenCheck> {
  if (token === undefined || token === '') return { ok: false, reason: 'malformed' };
  const ring = await deps.keyring.keyring();
  return verifyToken(ring, token, { purpose, list: deps.listId }, deps.clock.now());
}

export type ConfirmOutcome =
  | { kind: 'invalid-token'; reason: TokenRejection }
  | {
      /** `stale`: the link was mailed for an earlier subscription of the address (another generation). */
      kind: 'confirmed' | 'already-confirmed' | 'stale' | 'unsubscribed' | 'suppressed' | 'unknown';
      subscriberId: string;
    };

/**
 * pending → confirmed, for the generation the link names only. Idempotent; never re-activates an
 * unsubscribed or suppressed subscriber, and a link from an earlier subscription changes nothing.
 */
export async function confirmSubscription(
  deps: Pick<SubscribeActionDeps, 'store' | 'keyring' | 'listId' | 'clock'>,
  token: string | undefined,
): Promise<ConfirmOutcome> {
  const check = await checkToken(deps, token, 'confirm');
  if (!check.ok) return { kind: 'invalid-token', reason: check.reason };
  return confirmAt(deps, check.subscriberId, check.generation, true);
}

async function confirmAt(
  deps: Pick<SubscribeActionDeps, 'store' | 'clock'>,
  subscriberId: string,
  generation: number,
  followMove: boolean,
): Promise<Exclude<ConfirmOutcome, { kind: 'invalid-token' }>> {
  if (await deps.store.confirm(subscriberId, generation, deps.clock.now().toISOString())) {
    return { kind: 'confirmed', subscriberId };
  }
  const profile = await deps.store.get(subscriberId);
  if (!profile && followMove) {
    const moved = await deps.store.movedTo(subscriberId);
    if (moved) return confirmAt(deps, moved, generation, false);
  }
  if (profile && profile.generation !== generation) return { kind: 'stale', subscriberId };
  switch (profile?.status) {
    case 'confirmed':
      return { kind: 'already-confirmed', subscriberId };
    case 'unsubscribed':
      return { kind: 'unsubscribed', subscriberId };
    case 'suppressed':
      return { kind: 'suppressed', subscriberId };
    default:
      // Pending here means the profile changed between the two calls; the next click settles it.
      return { kind: 'unknown', subscriberId };
  }
}

export type UnsubscribeOutcome =
  | { kind: 'invalid-token'; reason: TokenRejection }
  | { kind: 'unsubscribed' | 'already-unsubscribed' | 'suppressed' | 'unknown'; subscriberId: string };

/**
 * The RFC 8058 one-click action: pending or confirmed → unsubscribed; idempotent. A link naming an
 * id from before subscriber ids were keyed reaches the profile the id migration moved it to.
 */
export async function unsubscribeByToken(
  deps: Pick<SubscribeActionDeps, 'store' | 'keyring' | 'listId' | 'clock'>,
  token: string | undefined,
): Promise<UnsubscribeOutcome> {
  const check = await checkToken(deps, token, 'unsubscribe');
  if (!check.ok) return { kind: 'invalid-token', reason: check.reason };
  return unsubscribeAt(deps, check.subscriberId, true);
}

async function unsubscribeAt(
  deps: Pick<SubscribeActionDeps, 'store' | 'clock'>,
  subscriberId: string,
  followMove: boolean,
): Promise<Exclude<UnsubscribeOutcome, { kind: 'invalid-token' }>> {
  if (await deps.store.unsubscribe(subscriberId, deps.clock.now().toISOString())) {
    return { kind: 'unsubscribed', subscriberId };
  }
  const profile = await deps.store.get(subscriberId);
  if (!profile && followMove) {
    const moved = await deps.store.movedTo(subscriberId);
    if (moved) return unsubscribeAt(deps, moved, false);
  }
  if (profile?.status === 'unsubscribed') return { kind: 'already-unsubscribed', subscriberId };
  if (profile?.status === 'suppressed') return { kind: 'suppressed', subscriberId };
  return { kind: 'unknown', subscriberId };
}
