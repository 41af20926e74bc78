/**
 * Fan-out: every subscriber confirmed before the edition's schedule time, in messages of at most
 * 50 ids, onto the outbox. Running it twice queues everyone twice; the send ledger makes the second
 * copy a no-op, which is what lets a crashed edition simply run again.
 */
import { isEditionId } from './edition-id.js';
import type { EditionSendMessage, Outbox } from './edition-ports.js';
import type { RecipientDirectory } from './ports.js';
import { chunk } from './send-rate.js';
import { isSubscriberId } from './subscriber-id.js';

/** Recipients per outbox message: one sender invocation's work, small enough to finish well inside its timeout. */
export const MAX_RECIPIENTS_PER_MESSAGE = 50;
/** Messages handed to the outbox at a time (SQS SendMessageBatch takes 10). */
const MESSAGES_PER_FLUSH = 10;

export interface FanOutResult {
  recipients: number;
  messages: number;
}

export async function fanOut(
  deps: { directory: Pick<RecipientDirectory, 'confirmedBefore'>; outbox: Outbox },
  editionId: string,
  scheduledTime: string,
): Promise<FanOutResult> {
  // A page boundary that moves under a concurrent confirm could list someone twice.
  const seen = new Set<string>();
  let pending: string[] = [];
  let messages = 0;
  const flush = async (all: boolean) => {
    const batchIds = MAX_RECIPIENTS_PER_MESSAGE * MESSAGES_PER_FLUSH;
    while (pending.length >= batchIds || (all && pending.length > 0)) {
      const ids = pending.slice(0, batchIds);
      pending = pending.slice(ids.length);
      const batch: EditionSendMessage[] = chunk(ids, MAX_RECIPIENTS_PER_MESSAGE).map((subscriberIds) => ({
        kind: 'edition',
        editionId,
        subscriberIds,
      }));
      await deps.outbox.enqueue(batch);
      messages += batch.length;
    }
  };
  let cursor: string | undefined;
  do {
    const page = await deps.directory.confirmedBefore(scheduledTime, cursor);
    for (const recipient of page.recipients) {
      if (seen.has(recipient.id)) continue;
      seen.add(recipient.id);
      pending.push(recipient.id);
    }
    await flush(false);
    cursor = page.cursor;
  } while (cursor !== undefined);
  await flush(true);
  return { recipients: seen.size, messages };
}

/** An outbox message the sender cannot act on: it goes to the dead-letter queue after its retries. */
export class MalformedSendMessageError extends Error {
  override name = 'MalformedSendMessageError';
}

/** Reads an outbox body (`{"kind":"edition","editionId":…,"subscriberIds":[…]}`), checking every field. */
export function parseEditionSendMessage(body: string): EditionSendMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new MalformedSendMessageError('outbox message is not JSON');
  }
  const message = raw as Partial<Record<keyof EditionSendMessage, unknown>> | null;
  if (typeof message !== 'object' || message === null || message.kind !== 'edition') {
    throw new MalformedSendMessageError('outbox message is not an edition send');
  }
  const { editionId, subscriberIds } = message;
  if (!isEditionId(editionId)) {
    throw new MalformedSendMessageError(`outbox message has a bad editionId: ${JSON.stringify(editionId)}`);
  }
  if (
    !Array.isArray(subscriberIds) ||
    subscriberIds.length === 0 ||
    subscriberIds.length > MAX_RECIPIENTS_PER_MESSAGE ||
    !subscriberIds.every(isSubscriberId)
  ) {
    throw new MalformedSendMessageError(
      `outbox message must list 1 to ${MAX_RECIPIENTS_PER_MESSAGE} subscriber ids (32 hex characters)`,
    );
  }
  return { kind: 'edition', editionId, subscriberIds: subscriberIds as string[] };
}
