import { isArticleKey } from '../article/article-key.js';
import type { Clock, SourceEntry } from '../ports.js';
import type { ObjectRecord } from './ports.js';
import type { ObjectEvent } from './s3-events.js';

export interface ReconcileDeps {
  /** Every object under the articles prefix, keys relative to it; `version` is the ETag without quotes. */
  list(): Promise<SourceEntry[]>;
  /** Every object record the ingest wrote. */
  records(): Promise<ObjectRecord[]>;
  /** Sends synthetic events to the ingest queue, so they take the one ingest path. */
  enqueue(events: ObjectEvent[]): Promise<void>;
  bucket: string;
  prefix: string;
  clock: Clock;
}

export interface ReconcileResult {
  listed: number;
  missing: string[];
  stale: string[];
  orphaned: string[];
  /** Held articles whose time has come: re-sent, so the ingest publishes them. */
  due: string[];
}

/**
 * Compares the bucket listing with what the ingest recorded and re-sends what an event never
 * delivered: new or changed objects with no matching record, and records whose object is gone. It
 * also ends embargoes: an article held until a time now past is re-sent, and the ingest, finding it
 * no longer in the future, publishes it. So a held article appears at the first run after its time
 * (the schedule's interval, an hour by default, is the most it waits).
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const [everything, records] = await Promise.all([deps.list(), deps.records()]);
  // Only articles: an image beside one is never sent to the ingest (it would ignore it).
  const listing = everything.filter((entry) => isArticleKey(entry.key));
  const byKey = new Map(records.map((record) => [record.key, record]));
  const listed = new Set(listing.map((entry) => entry.key));
  const eventTime = deps.clock.now().toISOString();
  const events: ObjectEvent[] = [];
  const missing: string[] = [];
  const stale: string[] = [];
  const due: string[] = [];
  for (const entry of listing) {
    const record = byKey.get(entry.key);
    const isDue =
      record?.status === 'held' && record.heldUntil !== undefined && record.heldUntil <= eventTime;
    if (record && record.etag === entry.version && record.status !== 'deleted' && !isDue) continue;
    (isDue && record.etag === entry.version ? due : record ? stale : missing).push(entry.key);
    events.push({
      kind: 'created',
      bucket: deps.bucket,
      key: `${deps.prefix}${entry.key}`,
      size: entry.size,
      // No version id in a plain listing: the ingest reads the current object.
      version: '',
      etag: entry.version,
      sequencer: '',
      eventTime,
      reconciled: true,
    });
  }
  const orphaned = records.filter((r) => r.status !== 'deleted' && !listed.has(r.key)).map((r) => r.key);
  for (const key of orphaned) {
    events.push({
      kind: 'removed',
      bucket: deps.bucket,
      key: `${deps.prefix}${key}`,
      size: 0,
      version: '',
      etag: '',
      sequencer: '',
      eventTime,
      reconciled: true,
    });
  }
  if (events.length) await deps.enqueue(events);
  return {
    listed: listing.length,
    missing: missing.sort(),
    stale: stale.sort(),
    orphaned: orphaned.sort(),
    due: due.sort(),
  };
}
