/** The outbox queue between the edition fan-out and the sender: SQS SendMessageBatch, ten messages per call. */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { EditionSendMessage, Outbox } from '../../core/email/edition-ports.js';

/** SQS's limit of entries per SendMessageBatch call. */
export const SQS_BATCH_ENTRIES = 10;
/** Entries SQS refuses in a batch (e.g. throttled) are sent again this many times. */
const ENTRY_RETRIES = 3;

export class OutboxEnqueueError extends Error {
  override name = 'OutboxEnqueueError';
}

/** The body the sender reads: `{"kind":"edition","editionId":…,"subscriberIds":[…]}`. */
export const outboxBody = (message: EditionSendMessage) =>
  JSON.stringify({ kind: message.kind, editionId: message.editionId, subscriberIds: message.subscriberIds });

export class SqsOutbox implements Outbox {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: readonly EditionSendMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += SQS_BATCH_ENTRIES) {
      let entries: SendMessageBatchRequestEntry[] = messages
        .slice(i, i + SQS_BATCH_ENTRIES)
        .map((message, j) => ({ Id: String(j), MessageBody: outboxBody(message) }));
      for (let attempt = 0; entries.length; attempt++) {
        const result = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = result.Failed ?? [];
        if (!failed.length) break;
        // A sender fault (a malformed entry) will not pass on a retry either.
        const fatal = failed.filter((entry) => entry.SenderFault);
        if (fatal.length || attempt >= ENTRY_RETRIES) {
          const detail = failed.map(
            (entry) => `${entry.Id}: ${entry.Code ?? 'error'} ${entry.Message ?? ''}`,
          );
          throw new OutboxEnqueueError(
            `SQS refused ${failed.length} outbox message(s): ${detail.join('; ')}`,
          );
        }
        const again = new Set(failed.map((entry) => entry.Id));
        entries = entries.filter((entry) => again.has(entry.Id));
      }
    }
  }
}
