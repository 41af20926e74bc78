/** Schedule → reconcile: re-sends to the ingest queue whatever an S3 event never delivered. */
import { Logger } from '@aws-lambda-powertools/logger';
import { composeReconcile } from '../compose/reconcile.js';
import { type ReconcileDeps, type ReconcileResult, reconcile } from '../core/cloud/reconcile.js';
import { FUNCTIONS } from './contracts.js';
import { composedOnce } from './lifetime.js';

const logger = new Logger({ serviceName: FUNCTIONS.reconcile.service });

export function makeReconcileHandler(compose: () => ReconcileDeps) {
  const deps = composedOnce(compose);
  return async (): Promise<ReconcileResult> => {
    const result = await reconcile(await deps());
    logger.info('reconciled', { ...result });
    return result;
  };
}

export const handler = makeReconcileHandler(() => composeReconcile());
