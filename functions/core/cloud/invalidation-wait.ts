/**
 * Waits for a CDN invalidation to complete, polling the invalidator, for at most `maxWaitMs`: the
 * WebSub hub is pinged only after it, else the hub fetches the feed and gets the stale cached copy.
 */
import type { Sleep } from '../email/edition-ports.js';
import type { CacheInvalidator } from './ports.js';

export interface InvalidationWait {
  sleep: Sleep;
  /** Time between polls. @default 5000 */
  intervalMs?: number;
  /** Longest wait. @default 60_000 */
  maxWaitMs?: number;
}

/** True when the invalidation completed (or there is none to wait on), false when the wait ran out. */
export async function invalidationCompleted(
  invalidator: CacheInvalidator,
  id: string | undefined,
  wait: InvalidationWait,
): Promise<boolean> {
  if (id === undefined || !invalidator.isComplete) return true;
  const interval = wait.intervalMs ?? 5000;
  const max = wait.maxWaitMs ?? 60_000;
  for (let waited = 0; ; waited += interval) {
    if (await invalidator.isComplete(id)) return true;
    if (waited + interval > max) return false;
    await wait.sleep(interval);
  }
}
