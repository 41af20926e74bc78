/**
 * Table stream (story changes) → publish. The stream records only wake the function: what to publish
 * comes from the dirty marks in the table, so a lost, repeated or reordered stream batch loses nothing.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { composePublish } from '../compose/publish.js';
import { type PublishDeps, type PublishResult, publishDirty } from '../core/cloud/publish.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';

const logger = new Logger({ serviceName: FUNCTIONS.publish.service });
const BATCH = 1000;

export function makePublishHandler(compose: () => Promise<PublishDeps>) {
  // Once per container, like every handler: the deps carry a clock, read once per publish.
  const composed = composedOnce(compose);
  return async (): Promise<PublishResult> => {
    const deps = await composed();
    const total: PublishResult = { stories: 0, written: 0, removed: 0, invalidated: [] };
    for (;;) {
      const result = await publishDirty(deps, BATCH);
      total.stories += result.stories;
      total.written += result.written;
      total.removed += result.removed;
      total.invalidated.push(...result.invalidated);
      if (result.stories < BATCH) break;
    }
    logger.info('site published', { ...total, invalidated: total.invalidated.length });
    return total;
  };
}

export const handler = makePublishHandler(() => composePublish({ log: logger }));
