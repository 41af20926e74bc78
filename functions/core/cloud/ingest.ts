import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic } from '../model.js';
import { type AddedDoc, type AssignDoc, assignStories, type DedupView } from '../pipeline/assign-stories.js';
import { articleId, type PreparedDoc, prepareArticle } from '../pipeline/prepare.js';
import { type MemberInfo, storyRecordFromCluster } from '../pipeline/story-record.js';
import type { Clock } from '../ports.js';
import type { DocItem, IngestStore, ObjectRecord, StoryItem } from './ports.js';
import { compareSequencers, type ObjectEvent } from './s3-events.js';

/** Reads one object version; undefined when it no longer exists (a later removal event will follow). */
export interface ObjectReader {
  read(key: string, version?: string): Promise<Uint8Array | undefined>;
}

export interface IngestDeps {
  store: IngestStore;
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
}

export type IngestAction = 'published' | 'removed' | 'quarantined' | 'stale' | 'ignored';

export interface IngestOutcome {
  key: string;
  action: IngestAction;
  storyId?: string;
  diagnostic?: Diagnostic;
}

/** Thrown when the dedup lease could not be had in time: the message is retried later. */
export class LeaseUnavailableError extends Error {
  constructor(key: string) {
    super(`${key}: deduplication is busy (lease held by another ingest); will be retried`);
    this.name = 'LeaseUnavailableError';
  }
}

const isNewer = (event: ObjectEvent, record: ObjectRecord | undefined): boolean => {
  if (!record) return true;
  // The reconciler's events carry no sequencer: they apply only to a version not yet recorded.
  if (event.reconciled) {
    return event.kind === 'removed'
      ? record.status !== 'deleted'
      : record.etag !== event.etag || record.status === 'deleted';
  }
  return compareSequencers(event.sequencer, record.sequencer) > 0;
};

/**
 * A prepared created-event, or the reason it cannot be published. Done before taking the lease:
 * fetching and parsing need no coordination.
 */
export type PreparedEvent =
  | { event: ObjectEvent; key: string; kind: 'doc'; doc: PreparedDoc }
  | { event: ObjectEvent; key: string; kind: 'rejected'; diagnostic: Diagnostic }
  | { event: ObjectEvent; key: string; kind: 'removed' }
  | { event: ObjectEvent; key: string; kind: 'skip'; action: IngestAction };

export async function prepareEvent(deps: IngestDeps, event: ObjectEvent): Promise<PreparedEvent> {
  if (!event.key.startsWith(deps.prefix) || event.key.endsWith('/')) {
    return { event, key: event.key, kind: 'skip', action: 'ignored' };
  }
  const key = event.key.slice(deps.prefix.length);
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
  const outcome = prepareArticle({ key, size: bytes.length, version: event.version }, bytes, {
    maxBytes: deps.maxArticleBytes,
    now: deps.clock.now().toISOString(),
  });
  return outcome.ok
    ? { event, key, kind: 'doc', doc: outcome.doc }
    : { event, key, kind: 'rejected', diagnostic: outcome.diagnostic };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long the dedup lease lives unless released: longer than the ingest function's timeout, so only a
 * holder that died (a timeout, a crash) ever loses it (checked against the stack in test/infra).
 */
export const LEASE_TTL_MS = 60_000;

async function withLease<T>(deps: IngestDeps, key: string, work: () => Promise<T>): Promise<T> {
  const ttl = deps.leaseTtlMs ?? LEASE_TTL_MS;
  const deadline = Date.now() + (deps.leaseWaitMs ?? 20_000);
  let delay = 20;
  while (!(await deps.store.acquireLease(deps.owner, ttl, deps.clock.now()))) {
    if (Date.now() > deadline) throw new LeaseUnavailableError(key);
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 500);
  }
  try {
    return await work();
  } finally {
    await deps.store.releaseLease(deps.owner);
  }
}

/** The store as the assignment reads it. */
function storeView(store: IngestStore): DedupView {
  return {
    candidates: (fps) => store.candidates(fps),
    doc: async (docId) => {
      const doc = await store.getDoc(docId);
      if (!doc) return undefined;
      return doc.storyId ? { docId, seq: doc.seq, storyId: doc.storyId } : { docId, seq: doc.seq };
    },
    storyMembers: async (storyId) =>
      (await store.getStory(storyId))?.members.map((key) => articleId(key)) ?? [],
    features: async (docId) => {
      const doc = await store.getDoc(docId);
      if (!doc) throw new Error(`doc ${docId} vanished during deduplication`);
      return doc;
    },
  };
}

/**
 * Applies one prepared event: under the dedup lease, replaces what the key contributed before,
 * deduplicates the new article against the index, and writes the stories it touches. Idempotent:
 * replaying the same or an older event changes nothing.
 */
export async function applyEvent(deps: IngestDeps, prepared: PreparedEvent): Promise<IngestOutcome> {
  const { key, event } = prepared;
  if (prepared.kind === 'skip') return { key, action: prepared.action };
  const { store } = deps;
  if (prepared.kind === 'rejected') await store.quarantine(key, event.version, prepared.diagnostic);

  return withLease(deps, key, async () => {
    // Re-checked under the lease: a concurrent ingest may have applied a newer event meanwhile.
    const record = await store.getObject(key);
    if (!isNewer(event, record)) return { key, action: 'stale' };
    const now = deps.clock.now().toISOString();
    const docId = articleId(key);
    const old = record?.status === 'active' ? await store.getDoc(docId) : undefined;
    if (old) await store.removePostings(docId, old.fps);

    const added: AddedDoc[] = [];
    const removed: AssignDoc[] = [];
    const firstSeen = record?.firstSeen ?? (event.eventTime || now);
    if (prepared.kind === 'doc') {
      const { doc } = prepared;
      const item: DocItem = {
        docId,
        key,
        seq: old?.seq ?? (await store.nextSeq()),
        date: doc.date ?? firstSeen,
        title: doc.title,
        shingles: doc.shingles,
        lead: doc.lead,
        pairs: doc.pairs,
        fps: doc.fps,
      };
      if (old?.storyId) item.storyId = old.storyId;
      await store.putDoc(item);
      await store.addPostings(docId, doc.fps);
      const assign: AddedDoc = { docId, seq: item.seq, features: item, fps: doc.fps };
      if (old?.storyId) assign.storyId = old.storyId;
      added.push(assign);
      await store.releaseQuarantine(key);
    } else if (old) {
      await store.deleteDoc(docId);
      removed.push(old.storyId ? { docId, seq: old.seq, storyId: old.storyId } : { docId, seq: old.seq });
    }

    const assignment = await assignStories(storeView(store), added, removed);
    for (const id of assignment.retired) {
      const story = await store.getStory(id);
      if (story) await store.deleteStory(story);
    }
    let storyId: string | undefined;
    for (const cluster of assignment.clusters) {
      const docs = new Map<string, DocItem>();
      for (const member of cluster.members) {
        const doc = await store.getDoc(member);
        if (doc) docs.set(member, doc);
      }
      const info = new Map<string, MemberInfo>(
        [...docs].map(([id, d]) => [id, { key: d.key, date: d.date, title: d.title }]),
      );
      const old = await store.getStory(cluster.storyId);
      const record = storyRecordFromCluster(cluster, info, old, 0);
      const story: StoryItem = { ...record, id: cluster.storyId, createdAt: old?.createdAt ?? now };
      if (!old || !isDeepStrictEqual({ ...old }, story)) await store.putStory(story);
      for (const doc of docs.values()) {
        if (doc.storyId !== cluster.storyId) await store.putDoc({ ...doc, storyId: cluster.storyId });
      }
      if (cluster.members.includes(docId)) storyId = cluster.storyId;
    }

    const status = prepared.kind === 'doc' ? 'active' : prepared.kind === 'rejected' ? 'rejected' : 'deleted';
    const next: ObjectRecord = {
      key,
      version: event.version,
      etag: event.etag,
      // A reconciled event keeps the sequencer it found, so a later real event still applies.
      sequencer: event.reconciled ? (record?.sequencer ?? '') : event.sequencer,
      status,
      docId,
      firstSeen,
    };
    if (!(await store.putObjectIf(next, record))) {
      // Only possible if the lease expired under us; the other writer's record stands, and this
      // event is retried and then found stale or re-applied idempotently.
      throw new Error(`${key}: object record changed during ingest`);
    }
    if (prepared.kind === 'rejected') return { key, action: 'quarantined', diagnostic: prepared.diagnostic };
    if (prepared.kind === 'removed') return { key, action: 'removed' };
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
