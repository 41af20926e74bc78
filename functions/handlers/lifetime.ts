import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * The one dependency lifetime of every handler: composed on the first invocation and kept for the
 * container's life (SDK clients, compiled templates, the sender's token bucket), so a warm
 * invocation composes nothing. A composition that fails (a secret not readable yet) is not kept:
 * the next invocation tries again instead of failing for the rest of the container's life.
 */
export function composedOnce<D>(compose: () => D | Promise<D>): () => Promise<D> {
  let deps: Promise<D> | undefined;
  return () => {
    deps ??= Promise.resolve()
      .then(compose)
      .catch((error: unknown) => {
        deps = undefined;
        throw error;
      });
    return deps;
  };
}

/**
 * An SQS batch, one record after another, with the failed ones reported alone (Powertools' partial
 * batch response): the rest of the batch is not retried. One at a time, because what the handlers
 * do per record is paced (SES) or serialized (the dedup lease).
 */
export function processSequentially(
  event: SQSEvent,
  context: Context | undefined,
  handle: (record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> {
  return processPartialResponse(
    event,
    handle,
    new BatchProcessor(EventType.SQS),
    context ? { context, processInParallel: false } : { processInParallel: false },
  );
}
