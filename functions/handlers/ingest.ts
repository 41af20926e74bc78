import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { composeIngest } from '../compose/ingest.js';
import {
  applyEvent,
  batchOrder,
  type IngestDeps,
  orderBatch,
  type PreparedEvent,
  prepareEvent,
} from '../core/cloud/ingest.js';
import { parseS3Event } from '../core/cloud/s3-events.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';
import { processSequentially } from './sqs-batch.js';

const logger = new Logger({ serviceName: FUNCTIONS.ingest.service });

export function makeIngestHandler(compose: () => IngestDeps) {
  const deps = composedOnce(compose);
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const ready = await deps();
    // Fetching and parsing need no coordination: done for every message at once, before the lease.
    const prepared = new Map<string, PreparedEvent[] | Error>();
    await Promise.all(
      event.Records.map(async (record) => {
        try {
          const events = parseS3Event(record.body);
          const list = await Promise.all(events.map((e) => prepareEvent(ready, e)));
          prepared.set(record.messageId, list.sort(batchOrder));
        } catch (error) {
          prepared.set(record.messageId, error as Error);
        }
      }),
    );
    const records = orderBatch(event.Records, (record) => prepared.get(record.messageId));
    return processSequentially({ Records: records }, context, async (record: SQSRecord) => {
      const list = prepared.get(record.messageId);
      if (list instanceof Error || !list) {
        logger.error('message rejected', { messageId: record.messageId, error: String(list) });
        throw list ?? new Error(`message ${record.messageId} was not prepared`);
      }
      for (const item of list) {
        const outcome = await applyEvent(ready, item);
        if (outcome.action === 'quarantined') logger.warn('article quarantined', { ...outcome });
        else if (outcome.action === 'held')
          logger.info(`article held until ${outcome.heldUntil}`, { ...outcome });
        else logger.info('article ingested', { ...outcome });
      }
    });
  };
}

export const handler = makeIngestHandler(() => composeIngest({ log: logger }));
