/**
 * SQS (S3 notifications) → ingest. Thin: parse each message, prepare its events, apply them in a
 * canonical order, and report failed messages individually so one bad message never fails the batch.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { composeIngest } from '../compose/ingest.js';
import {
  applyEvent,
  batchOrder,
  type IngestDeps,
  type PreparedEvent,
  prepareEvent,
} from '../core/cloud/ingest.js';
import { parseS3Event } from '../core/cloud/s3-events.js';
import { FUNCTIONS } from './contracts.js';

const logger = new Logger({ serviceName: FUNCTIONS.ingest.service });

export function makeIngestHandler(compose: () => IngestDeps) {
  let deps: IngestDeps | undefined;
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    deps ??= compose();
    const ready = deps;
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
    // The same first-seen order as the local build gives the same story ids for the same files.
    const lead = (record: SQSRecord) => {
      const list = prepared.get(record.messageId);
      return Array.isArray(list) ? list[0] : undefined;
    };
    const records = [...event.Records].sort((a, b) => {
      const pa = lead(a);
      const pb = lead(b);
      if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
      return batchOrder(pa, pb);
    });
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(
      { Records: records },
      async (record: SQSRecord) => {
        const list = prepared.get(record.messageId);
        if (list instanceof Error || !list) {
          logger.error('message rejected', { messageId: record.messageId, error: String(list) });
          throw list ?? new Error(`message ${record.messageId} was not prepared`);
        }
        for (const item of list) {
          const outcome = await applyEvent(ready, item);
          if (outcome.action === 'quarantined') logger.warn('article quarantined', { ...outcome });
          else logger.info('article ingested', { ...outcome });
        }
      },
      processor,
      context ? { context, processInParallel: false } : { processInParallel: false },
    );
  };
}

export const handler = makeIngestHandler(() => composeIngest({ log: logger }));
