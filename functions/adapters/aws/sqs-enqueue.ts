import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ObjectEvent } from '../../core/cloud/s3-events.js';
import { SQS_BATCH_ENTRIES } from './sqs-outbox.js';

export class EnqueueFailedError extends Error {
  override name = 'EnqueueFailedError';
  constructor(readonly failed: Array<{ key: string; code: string; message: string }>) {
    super(
      `could not enqueue ${failed.length} event(s): ${failed.map((f) => `${f.key} (${f.code}: ${f.message})`).join('; ')}`,
    );
  }
}

/** Keys as S3 writes them into notifications: URL-encoded, spaces as `+`. */
export const encodeS3Key = (key: string) => encodeURIComponent(key).replace(/%20/g, '+');

/**
 * One event as an S3 notification body, so reconciled events take exactly the ingest path real ones
 * take. The `newsfeed` marker tells the parser it was made up by the reconciler (no sequencer).
 */
export function s3NotificationBody(event: ObjectEvent): string {
  const object: Record<string, unknown> = { key: encodeS3Key(event.key), size: event.size };
  if (event.etag) object.eTag = event.etag;
  if (event.version && event.version !== event.etag) object.versionId = event.version;
  object.sequencer = event.sequencer;
  return JSON.stringify({
    Records: [
      {
        eventName: event.kind === 'created' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
        eventTime: event.eventTime,
        s3: { bucket: { name: event.bucket }, object },
        ...(event.reconciled ? { newsfeed: { reconciled: true } } : {}),
      },
    ],
  });
}

/** Sends events to the ingest queue, ten per call; any entry SQS refuses fails the whole call. */
export function sqsEnqueuer(sqs: SQSClient, queueUrl: string): (events: ObjectEvent[]) => Promise<void> {
  return async (events) => {
    for (let i = 0; i < events.length; i += SQS_BATCH_ENTRIES) {
      const batch = events.slice(i, i + SQS_BATCH_ENTRIES);
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((event, j) => ({ Id: String(j), MessageBody: s3NotificationBody(event) })),
        }),
      );
      const failed = result.Failed ?? [];
      if (failed.length) {
        throw new EnqueueFailedError(
          failed.map((entry) => ({
            key: batch[Number(entry.Id)]?.key ?? `entry ${entry.Id}`,
            code: entry.Code ?? 'unknown',
            message: entry.Message ?? '',
          })),
        );
      }
    }
  };
}
