/**
 * Publish until no story is left dirty. One `publishDirty` run takes at most `batch` marks; the
 * runs repeat while marks remain and the invocation has time for another. When time runs out with
 * marks left, the publisher is woken again (`PublishWake`: on AWS a write the table stream delivers
 * to this same function), so a backlog of any size drains without a new story change to start it.
 */
import type { PublishStore } from './ports.js';
import { type PublishDeps, type PublishResult, publishDirty } from './publish.js';

/** Wakes the publisher for another invocation (the stream mapping on AWS). */
export interface PublishWake {
  wake(): Promise<void>;
}

export interface DrainOptions {
  /** Dirty marks one `publishDirty` run takes. */
  batch: number;
  /** Milliseconds this invocation has left (Lambda's `getRemainingTimeInMillis`); unbounded without it. */
  remainingMs?: () => number;
  /** Time one run may take at most: a new run starts only with more than this left. */
  reserveMs: number;
  wake: PublishWake;
}

export interface DrainResult extends PublishResult {
  /** `publishDirty` runs made. */
  runs: number;
  /** Marks were left when time ran out, and the publisher was woken to go on. */
  rewoken: boolean;
}

const hasDirty = async (store: PublishStore) => (await store.dirty(1)).length > 0;

export async function drainDirty(deps: PublishDeps, options: DrainOptions): Promise<DrainResult> {
  const total: DrainResult = { stories: 0, written: 0, removed: 0, invalidated: [], runs: 0, rewoken: false };
  do {
    if (total.runs > 0 && options.remainingMs && options.remainingMs() < options.reserveMs) {
      await options.wake.wake();
      total.rewoken = true;
      break;
    }
    const result = await publishDirty(deps, options.batch);
    total.runs++;
    total.stories += result.stories;
    total.written += result.written;
    total.removed += result.removed;
    total.invalidated.push(...result.invalidated);
  } while (await hasDirty(deps.store));
  return total;
}
