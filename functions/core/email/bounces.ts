/**
 * Keeps the sender's reputation: a permanent bounce or a complaint suppresses the subscriber at once
 * (no more mail of any kind, and a new subscribe does not revive it); transient bounces are counted.
 * Addresses we do not know are reported and left alone.
 */
import type { Clock } from '../ports.js';
import { normalizeAddress } from './address.js';
import type { BounceNotice } from './bounce-events.js';
import type { SubscriberIdKeySource } from './ports.js';
import { subscriberIdFor } from './subscriber-id.js';
import type { SubscriberStore } from './subscriptions.js';

export interface BounceDeps {
  store: SubscriberStore;
  /** Events name addresses; the profile is found by the id the address has. */
  idKey: SubscriberIdKeySource;
  clock: Clock;
}

export type BounceAction =
  | 'suppressed'
  | 'already-suppressed'
  | 'counted'
  | 'duplicate'
  | 'unknown-subscriber'
  | 'invalid-address';

export interface BounceResult {
  /** Undefined only for an address that does not normalise. */
  subscriberId?: string;
  action: BounceAction;
}

export async function applyBounceNotice(deps: BounceDeps, notice: BounceNotice): Promise<BounceResult[]> {
  if (notice.kind === 'ignored') return [];
  const at = deps.clock.now().toISOString();
  const idKey = await deps.idKey.idKey();
  const results: BounceResult[] = [];
  // One notice may name several recipients; each is settled on its own.
  for (const recipient of new Set(notice.recipients)) {
    const address = normalizeAddress(recipient);
    if (!address.ok) {
      results.push({ action: 'invalid-address' });
      continue;
    }
    const subscriberId = subscriberIdFor(idKey, address.address);
    if (notice.kind === 'transient-bounce') {
      const counted = await deps.store.recordTransientBounce(subscriberId, at, notice.feedbackId);
      results.push({
        subscriberId,
        action: counted ? 'counted' : await explain(deps, subscriberId, 'duplicate'),
      });
    } else {
      const reason = notice.kind === 'complaint' ? 'complaint' : 'permanent-bounce';
      const suppressed = await deps.store.suppress(subscriberId, reason, at);
      results.push({
        subscriberId,
        action: suppressed ? 'suppressed' : await explain(deps, subscriberId, 'already-suppressed'),
      });
    }
  }
  return results;
}

/** A conditional write that did not apply: either nobody has this id, or it was already done. */
async function explain(deps: BounceDeps, id: string, known: BounceAction): Promise<BounceAction> {
  return (await deps.store.get(id)) ? known : 'unknown-subscriber';
}
