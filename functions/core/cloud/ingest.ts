import { isArticleKey } from '../article/article-key.js';
import type { Diagnostic } from '../model.js';
import type { Clock } from '../ports.js';
import { prepareArticle } from '../stories/prepare.js';
import { carryOut, type IngestAction, type PreparedEvent, planEvent } from './ingest-plan.js';
import type { CorpusIndexStore, IngestStore, ObjectRecord } from './ports.js';
import { compareSequencers, type ObjectEvent } from './s3-events.js';

/** Reads one object version; undefined when it no longer exists (a later removal event will follow). */
export interface ObjectReader {
  read(key: string, version?: string): Promise<Uint8Array | undefined>;
}

export interface IngestDeps {
  store: IngestStore;
  /** Line and entity postings and the template set (template learning, related coverage). */
  index: CorpusIndexStore;
  reader: ObjectReader;
  clock: Clock;
  /** Key prefix of articles in the bucket, e.g. `articles/`. */
  prefix: string;
  maxArticleBytes: number;
  /** Identifies this invocation as the lease holder. */
  owner: string;
  leaseTtlMs?: number;
  /** How long to wait for the lease before giving up (the message is then retried). */
  leaseWaitMs?: number;
  /** Waits between lease attempts (a timer in the handler, virtual in tests), as the sender's do. */
  sleep: (ms: number) => Promise<void>;
  /** Jitter of the lease back-off, from [0, 1). */
  random: () => number;
  /** Milliseconds on a clock for the lease deadline (wall time in the handler). */
  ticks: () => number;
  log?: IngestLog;
}

export interface IngestLog {
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface IngestOutcome {
  key: string;
  action: IngestAction;
  storyId?: string;
  diagnostic?: Diagnostic;
  /** An article dated in the future: published at this time (the reconciler re-sends it then). */
  heldUntil?: string;
}

/** Thrown when the dedup lease could not be had in time: the message is retried later. */
export class LeaseUnavailableError extends Error {
  override name = 'LeaseUnavailableError';
  constructor(key: string) {
    super(`${key}: deduplication is busy (lease held by another ingest); will be retried`);
  }
}

const isNewer = (event: ObjectEvent, record: ObjectRecord | undefined): boolean => {
  if (!record) return true;
  // The reconciler's events carry no sequencer: they apply only to a version not yet recorded.
  if (event.reconciled) {
    return event.kind === 'removed'
      ? record.status !== 'deleted'
      : // A held version comes back from the reconciler once it is due.
        record.etag !== event.etag || record.status === 'deleted' || record.status === 'held';
  }
  return compareSequencers(event.sequencer, record.sequencer) > 0;
};

export type { IngestAction, PreparedEvent };

export async function prepareEvent(deps: IngestDeps, event: ObjectEvent): Promise<PreparedEvent> {
  if (!event.key.startsWith(deps.prefix) || event.key.endsWith('/')) {
    return { event, key: event.key, kind: 'skip', action: 'ignored' };
  }
  const key = event.key.slice(deps.prefix.length);
  // Not an article (an image beside one): left alone, as the local build leaves it. A removal still
  // goes through, so a record from before this rule (such a file quarantined) is cleared.
  if (event.kind === 'created' && !isArticleKey(key)) return { event, key, kind: 'skip', action: 'ignored' };
  const record = await deps.store.getObject(key);
  if (!isNewer(event, record)) return { event, key, kind: 'skip', action: 'stale' };
  if (event.kind === 'removed') return { event, key, kind: 'removed' };
  // Checked against the size in the event, before fetching anything.
  if (event.size > deps.maxArticleBytes) {
    const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
    return {
      event,
      key,
      kind: 'rejected',
      diagnostic: {
        source: key,
        severity: 'error',
        code: 'too-large',
        message: `${key}: file is ${mib(event.size)}, over the ${mib(deps.maxArticleBytes)} limit (maxArticleBytes)`,
      },
    };
  }
  const bytes = await deps.reader.read(event.key, event.version || undefined);
  if (!bytes) return { event, key, kind: 'skip', action: 'stale' };
  const now = deps.clock.now().toISOString();
  const outcome = prepareArticle({ key, size: bytes.length, version: event.version }, bytes, {
    maxBytes: deps.maxArticleBytes,
    now,
  });
  if (!outcome.ok) return { event, key, kind: 'rejected', diagnostic: outcome.diagnostic };
  // Dated after now: held (an embargo), as the local build holds it.
  const { date } = outcome.doc;
  return date && date > now
    ? { event, key, kind: 'held', until: date }
    : { event, key, kind: 'doc', doc: outcome.doc };
}

/**
 * How long the dedup lease lives unless released: longer than the ingest function's timeout, so only a
 * holder that died (a timeout, a crash) ever loses it (checked against the stack in test/infra).
 */
export const LEASE_TTL_MS = 60_000;

async function withLease<T>(deps: IngestDeps, key: string, work: () => Promise<T>): Promise<T> {
  const ttl = deps.leaseTtlMs ?? LEASE_TTL_MS;
  const deadline = deps.ticks() + (deps.leaseWaitMs ?? 20_000);
  let delay = 20;
  while (!(await deps.store.acquireLease(deps.owner, ttl, deps.clock.now()))) {
    if (deps.ticks() > deadline) throw new LeaseUnavailableError(key);
    await deps.sleep(delay + deps.random() * delay);
    delay = Math.min(delay * 2, 500);
  }
  try {
    // An ingest that died part way through its changes left its plan: finish it before anything else.
    const pending = await deps.store.getPlan();
    if (pending) {
      deps.log?.warn('finishing the changes of an interrupted ingest', { key: pending.key });
      await carryOut(deps.store, deps.index, pending);
    }
    return await work();
  } finally {
    await deps.store.releaseLease(deps.owner);
  }
}

/**
 * Applies one prepared event under the dedup lease: re-checks it is newer than what the key's record
 * says, plans its changes (`planEvent`: the key's doc and postings are updated, the stories they
 * touch re-clustered), stores the plan, then carries it out, the object record last. Idempotent and
 * resumable: replaying the same or an older event changes nothing, and dying at any point leaves
 * either a plan the next ingest carries out or a state the retried event plans afresh from. A
 * rejected version is quarantined here too, under the lease and after the re-check, so an older
 * rejected version never stays listed once a newer one is published.
 */
export async function applyEvent(deps: IngestDeps, prepared: PreparedEvent): Promise<IngestOutcome> {
  const { key, event } = prepared;
  if (prepared.kind === 'skip') return { key, action: prepared.action };
  const { store } = deps;

  return withLease(deps, key, async () => {
    // Re-checked under the lease: a concurrent ingest may have applied a newer event meanwhile.
    const record = await store.getObject(key);
    if (!isNewer(event, record)) return { key, action: 'stale' };
    const { plan, storyId } = await planEvent(
      store,
      deps.index,
      prepared,
      record,
      deps.clock.now().toISOString(),
    );
    await store.putPlan(plan);
    await carryOut(store, deps.index, plan);
    if (prepared.kind === 'rejected') return { key, action: 'quarantined', diagnostic: prepared.diagnostic };
    if (prepared.kind === 'removed') return { key, action: 'removed' };
    if (prepared.kind === 'held') return { key, action: 'held', heldUntil: prepared.until };
    return storyId ? { key, action: 'published', storyId } : { key, action: 'published' };
  });
}

/**
 * The order a batch is applied in, so a batch gives the same first-seen order (and so the same story
 * ids) as the local build does for the same files: by article date, then key.
 */
export function batchOrder(a: PreparedEvent, b: PreparedEvent): number {
  const date = (p: PreparedEvent) =>
    p.kind === 'doc' ? (p.doc.date ?? p.event.eventTime) : p.event.eventTime;
  const da = date(a);
  const db = date(b);
  if (da !== db) return da < db ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * A batch's messages in the order to apply them: by their first prepared event in `batchOrder`, the
 * same first-seen order as the local build, so the same files get the same story ids. Messages
 * that could not be prepared go last (they are reported failed).
 */
export function orderBatch<R>(
  records: readonly R[],
  prepared: (record: R) => PreparedEvent[] | Error | undefined,
): R[] {
  const lead = (record: R) => {
    const list = prepared(record);
    return Array.isArray(list) ? list[0] : undefined;
  };
  return [...records].sort((a, b) => {
    const pa = lead(a);
    const pb = lead(b);
    if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
    return batchOrder(pa, pb);
  });
}
