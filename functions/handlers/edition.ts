/**
 * EventBridge Scheduler → one digest edition. The input is `{"scheduledTime":"<aws.scheduler.scheduled-time>"}`;
 * the edition id comes from it, so a second delivery of the same schedule (or Lambda's own retry
 * of a failed run) finds the edition and finishes or skips it instead of making another.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { composeEdition } from '../compose/edition.js';
import { type EditionDeps, type EditionOutcome, runEdition } from '../core/email/edition-run.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';

const logger = new Logger({ serviceName: FUNCTIONS.edition.service });

export interface EditionEvent {
  scheduledTime?: unknown;
}

export function makeEditionHandler(compose: () => Promise<EditionDeps>) {
  const deps = composedOnce(compose);
  return async (event: EditionEvent): Promise<EditionOutcome> => {
    try {
      const outcome = await runEdition(await deps(), event?.scheduledTime);
      logger.info('edition handled', { ...outcome });
      return outcome;
    } catch (error) {
      logger.error('edition failed', { scheduledTime: String(event?.scheduledTime), error: error as Error });
      throw error;
    }
  };
}

export const handler = makeEditionHandler(() => composeEdition());
