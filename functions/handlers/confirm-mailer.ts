import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readBuiltTemplates } from '../adapters/local/templates.js';
import { composeConfirmMailer } from '../compose/confirm-mailer.js';
import { logWarning } from '../compose/shared.js';
import {
  type ConfirmMailerDeps,
  parseSubscribeMessage,
  sendConfirmation,
} from '../core/email/subscribe-mailer.js';
import { ConfirmationRenderer } from '../core/render/confirmation.js';
import { localeFor } from '../core/render/locale.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';
import { processSequentially } from './sqs-batch.js';

const logger = new Logger({ serviceName: FUNCTIONS.confirmMailer.service });

export function makeConfirmMailerHandler(compose: () => Promise<ConfirmMailerDeps>) {
  const deps = composedOnce(compose);
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    const ready = await deps();
    // One at a time: confirmation mails are few, and SES's send rate is shared with the digest sender.
    return processSequentially(event, context, async (record: SQSRecord) => {
      try {
        const outcome = await sendConfirmation(ready, parseSubscribeMessage(record.body));
        logger.info('subscribe request handled', { messageId: record.messageId, ...outcome });
      } catch (error) {
        logger.error('subscribe request failed', { messageId: record.messageId, error: error as Error });
        throw error;
      }
    });
  };
}

export const handler = makeConfirmMailerHandler(() =>
  composeConfirmMailer(async (dir, config) =>
    ConfirmationRenderer.create(
      await readBuiltTemplates(dir),
      config,
      localeFor(config.language, logWarning),
    ),
  ),
);
