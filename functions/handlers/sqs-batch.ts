/** Apart from `lifetime.ts` so that only the SQS-triggered bundles carry Powertools' batch processor. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

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
