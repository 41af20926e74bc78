/**
 * SNS (SES configuration-set events) → bounces and complaints. A permanent bounce or a complaint
 * suppresses the subscriber; transient bounces are counted. A message that is not SES feedback is
 * logged and dropped (retrying cannot fix it); a store failure fails the invocation so Lambda's
 * asynchronous retries apply it again (every write is idempotent).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SNSEvent } from 'aws-lambda';
import { composeBounces } from '../compose/bounces.js';
import { BounceMessageError, parseBounceNotice } from '../core/email/bounce-events.js';
import { applyBounceNotice, type BounceDeps } from '../core/email/bounces.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';

const logger = new Logger({ serviceName: FUNCTIONS.bounces.service });

export class BounceBatchError extends Error {
  override name = 'BounceBatchError';
}

export function makeBouncesHandler(compose: () => BounceDeps) {
  const deps = composedOnce(compose);
  return async (event: SNSEvent): Promise<void> => {
    const ready = await deps();
    const failed: string[] = [];
    for (const record of event.Records) {
      const messageId = record.Sns.MessageId;
      let notice: ReturnType<typeof parseBounceNotice>;
      try {
        notice = parseBounceNotice(record.Sns.Message);
      } catch (error) {
        if (!(error instanceof BounceMessageError)) throw error;
        logger.error('not an SES feedback message', { messageId, error });
        continue;
      }
      if (notice.kind === 'ignored') {
        logger.info('feedback ignored', { messageId, reason: notice.reason });
        continue;
      }
      try {
        for (const result of await applyBounceNotice(ready, notice)) {
          const entry = { messageId, kind: notice.kind, feedbackId: notice.feedbackId, ...result };
          if (result.action === 'unknown-subscriber' || result.action === 'invalid-address') {
            logger.warn('feedback for an address that is not a subscriber', entry);
          } else logger.info('feedback applied', entry);
        }
      } catch (error) {
        logger.error('feedback not applied', { messageId, error: error as Error });
        failed.push(messageId);
      }
    }
    if (failed.length)
      throw new BounceBatchError(`feedback not applied for SNS message(s) ${failed.join(', ')}`);
  };
}

export const handler = makeBouncesHandler(() => composeBounces());
