import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { composeSender } from '../compose/sender.js';
import { parseEditionSendMessage } from '../core/email/fan-out.js';
import { ChunkRetryError, type SenderDeps, sendChunk } from '../core/email/send-chunk.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';
import { processSequentially } from './sqs-batch.js';

const logger = new Logger({ serviceName: FUNCTIONS.sender.service });

export function makeSenderHandler(compose: () => SenderDeps) {
  // Once per container: the token bucket and the edition cache live as long as it does.
  const deps = composedOnce(compose);
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const ready = await deps();
    // Sends are paced by one token bucket: one message at a time keeps them in order.
    return processSequentially(event, context, async (record: SQSRecord) => {
      try {
        const message = parseEditionSendMessage(record.body);
        const report = await sendChunk(
          ready,
          message,
          context ? { timeLeft: () => context.getRemainingTimeInMillis() } : {},
        );
        logger.info('chunk sent', { messageId: record.messageId, editionId: message.editionId, ...report });
      } catch (error) {
        const report = error instanceof ChunkRetryError ? error.report : undefined;
        logger.error('chunk failed; it will come back', {
          messageId: record.messageId,
          ...(report ?? {}),
          error: error as Error,
        });
        throw error;
      }
    });
  };
}

export const handler = makeSenderHandler(() => composeSender({ log: logger }));
