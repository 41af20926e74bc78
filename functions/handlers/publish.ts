/**
 * Table stream (story changes) → publish. The stream records only wake the function: what to publish
 * comes from the dirty marks in the table, so a lost, repeated or reordered stream batch loses nothing.
 * It publishes until no mark is left; when the invocation's time runs short first, it wakes itself
 * again through the stream (`core/cloud/publish-drain.ts`), so any backlog drains.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { composePublish } from '../compose/publish.js';
import type { PublishDeps } from '../core/cloud/publish.js';
import { type DrainResult, drainDirty, type PublishWake } from '../core/cloud/publish-drain.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';

const logger = new Logger({ serviceName: FUNCTIONS.publish.service });

export interface PublishHandlerOptions {
  /** Dirty marks one publish run takes. @default 1000 */
  batch?: number;
  /**
   * A new run starts only with more than this left of the invocation (the function's timeout is 5
   * minutes; a run of 1,000 changed stories is well under this). @default 90_000
   */
  reserveMs?: number;
}

/** What Lambda's context offers that the handler uses (tests pass a virtual one). */
export interface PublishContext {
  getRemainingTimeInMillis(): number;
}

const NEVER_WAKE: PublishWake = { wake: async () => {} };

export function makePublishHandler(
  compose: () => Promise<PublishDeps & { wake?: PublishWake }>,
  options: PublishHandlerOptions = {},
) {
  // Once per container, like every handler: the deps carry a clock, read once per publish.
  const composed = composedOnce(compose);
  return async (_event?: unknown, context?: PublishContext): Promise<DrainResult> => {
    const deps = await composed();
    // Without a way to wake itself again (or without a deadline), it keeps going until the marks are gone.
    const bounded = deps.wake && context;
    const total = await drainDirty(deps, {
      batch: options.batch ?? 1000,
      reserveMs: options.reserveMs ?? 90_000,
      wake: deps.wake ?? NEVER_WAKE,
      ...(bounded ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
    });
    const fields = { ...total, invalidated: total.invalidated.length };
    if (total.rewoken)
      logger.info('site partly published: time ran short, woke the publisher to go on', fields);
    else logger.info('site published', fields);
    return total;
  };
}

export const handler = makePublishHandler(() => composePublish({ log: logger }));
