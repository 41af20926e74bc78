/**
 * The confirm mailer's use case: one queued subscribe request → at most one confirmation mail. It is
 * here, out of band, that the subscriber's state is read: a confirmed or suppressed address gets
 * nothing, an unsubscribed one becomes pending again, and a daily cap per address stops anyone from
 * using the form to flood a mailbox.
 */
import type { Clock } from '../ports.js';
import type { ConfirmationParts, ConfirmationRender } from '../render/confirmation.js';
import { normalizeAddress } from './address.js';
import { buildRawMessage } from './mime.js';
import {
  type KeyringSource,
  type MailSender,
  SendRejectedError,
  SendThrottledError,
  SendUnavailableError,
  type Subscriber,
  type SubscriberIdKeySource,
} from './ports.js';
import { formatMailbox, type SenderIdentity } from './send-message.js';
import {
  confirmToken,
  confirmUrl,
  type Subscription,
  unsubscribeToken,
  unsubscribeUrl,
} from './subscribe-links.js';
import { confirmationCounter } from './subscribe-rate.js';
import { subscriberIdFor } from './subscriber-id.js';
import {
  type RateLimiter,
  SubscribeMessageError,
  type SubscribeRequest,
  SubscriberContentionError,
  type SubscriberStore,
} from './subscriptions.js';

export interface ConfirmMailerDeps {
  store: SubscriberStore;
  limiter: RateLimiter;
  mailer: MailSender;
  keyring: KeyringSource;
  idKey: SubscriberIdKeySource;
  renderer: ConfirmationRender;
  from: SenderIdentity;
  listId: string;
  /** Absolute, ending in `/`. */
  siteUrl: string;
  perAddressPerDay: number;
  clock: Clock;
}

export type ConfirmMailOutcome =
  | { kind: 'sent'; subscriberId: string; messageId: string }
  | {
      kind: 'skipped';
      subscriberId: string;
      reason: 'already-confirmed' | 'suppressed' | 'daily-cap' | 'rejected';
    };

/** How often a race (another request creating or changing the profile meanwhile) is re-read. */
const MAX_STATE_ATTEMPTS = 3;

export function parseSubscribeMessage(body: string): SubscribeRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SubscribeMessageError('subscribe message is not JSON');
  }
  const message = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (message.kind !== 'subscribe') throw new SubscribeMessageError('message kind is not "subscribe"');
  if (typeof message.address !== 'string') throw new SubscribeMessageError('message has no address');
  if (typeof message.requestedAt !== 'string' || Number.isNaN(Date.parse(message.requestedAt))) {
    throw new SubscribeMessageError('message has no valid requestedAt');
  }
  return { kind: 'subscribe', address: message.address, requestedAt: message.requestedAt };
}

export async function sendConfirmation(
  deps: ConfirmMailerDeps,
  request: SubscribeRequest,
): Promise<ConfirmMailOutcome> {
  // The API normalised it already; done again because the queue is a trust boundary of its own.
  const normalized = normalizeAddress(request.address);
  if (!normalized.ok) throw new SubscribeMessageError(`queued address is invalid: ${normalized.reason}`);
  const { address } = normalized;
  const subscriberId = subscriberIdFor(await deps.idKey.idKey(), address);
  const now = deps.clock.now();

  const before = await deps.store.get(subscriberId);
  if (before?.status === 'confirmed') return { kind: 'skipped', subscriberId, reason: 'already-confirmed' };
  if (before?.status === 'suppressed') return { kind: 'skipped', subscriberId, reason: 'suppressed' };

  const counter = confirmationCounter(subscriberId, deps.perAddressPerDay, now);
  if (!(await deps.limiter.take(counter))) return { kind: 'skipped', subscriberId, reason: 'daily-cap' };

  const state = await ensurePending(deps.store, subscriberId, address, now.toISOString(), before);
  if (state.status !== 'pending') {
    await deps.limiter.release(counter);
    return {
      kind: 'skipped',
      subscriberId,
      reason: state.status === 'confirmed' ? 'already-confirmed' : 'suppressed',
    };
  }
  // Built once the generation is known: the confirm link names the subscription it was mailed for.
  let raw: string;
  try {
    raw = buildRawMessage({
      ...(await confirmationMail(deps, { subscriberId, generation: state.generation }, address, now)),
      from: formatMailbox(deps.from),
      to: address,
      date: now,
    });
  } catch (error) {
    // Nothing was sent: the retry must not count twice. The profile stays pending, as after a lost mail.
    await deps.limiter.release(counter);
    throw error;
  }
  try {
    const { messageId } = await deps.mailer.send({
      from: deps.from.address,
      to: address,
      raw,
      tags: { kind: 'confirm' },
    });
    return { kind: 'sent', subscriberId, messageId };
  } catch (error) {
    if (error instanceof SendRejectedError) return { kind: 'skipped', subscriberId, reason: 'rejected' };
    // Nothing was sent and the message will be retried: the retry must not count twice. An unknown
    // outcome keeps its count, so repeated retries stay under the cap.
    if (error instanceof SendThrottledError || error instanceof SendUnavailableError) {
      await deps.limiter.release(counter);
    }
    throw error;
  }
}

async function confirmationMail(
  deps: ConfirmMailerDeps,
  subscription: Subscription,
  address: string,
  now: Date,
): Promise<ConfirmationParts & { listUnsubscribeUrl: string }> {
  const ring = await deps.keyring.keyring();
  const unsubscribe = unsubscribeUrl(
    deps.siteUrl,
    unsubscribeToken(ring, subscription.subscriberId, deps.listId),
  );
  const parts = deps.renderer.render({
    address,
    confirmUrl: confirmUrl(deps.siteUrl, confirmToken(ring, subscription, deps.listId, now)),
  });
  return { ...parts, listUnsubscribeUrl: unsubscribe };
}

/**
 * Brings the profile to pending when it is new or unsubscribed (a re-subscribe: a new generation).
 * Every write is conditional; when one loses a race the profile is read again and the decision taken
 * anew. The generation returned is the one the profile is pending at.
 */
async function ensurePending(
  store: SubscriberStore,
  id: string,
  address: string,
  at: string,
  first: Subscriber | undefined,
): Promise<{ status: 'pending' | 'confirmed' | 'suppressed'; generation: number }> {
  let profile = first;
  for (let attempt = 0; attempt < MAX_STATE_ATTEMPTS; attempt++) {
    if (attempt > 0) profile = await store.get(id);
    switch (profile?.status) {
      case undefined:
        if (await store.createPending(newProfile(id, address, at)))
          return { status: 'pending', generation: 0 };
        break;
      case 'unsubscribed':
        if (await store.reopen(id, profile.generation, at))
          return { status: 'pending', generation: profile.generation + 1 };
        break;
      case 'pending':
      case 'confirmed':
      case 'suppressed':
        return { status: profile.status, generation: profile.generation };
    }
  }
  throw new SubscriberContentionError(`subscriber ${id} kept changing while it was being made pending`);
}

function newProfile(id: string, address: string, at: string): Subscriber {
  return { id, address, status: 'pending', generation: 0, createdAt: at, updatedAt: at, transientBounces: 0 };
}
