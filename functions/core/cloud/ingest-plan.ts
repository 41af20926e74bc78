/**
 * One event's changes, in two steps that each survive dying at any point (a Lambda timeout):
 *
 * 1. `planEvent` brings the key's doc and postings up to date, re-clusters the stories they touch
 *    and returns every story, doc-story and record change as a plan, without making any. It can be
 *    run again from any point a previous run died at: the doc stored under the key is what the key
 *    contributes now, whichever attempt wrote it; postings leave before the doc they came from
 *    changes and arrive after (so they never name features the doc lacks); and a removed doc stays,
 *    hidden from the clustering, until the plan that takes it out of its story is carried out.
 * 2. `carryOut` makes the plan's changes (each idempotent), the object record last, then deletes the
 *    plan. The plan is stored before the first change, and the next holder of the lease carries out a
 *    plan it finds before anything else: a story change is never half made.
 */
import { isDeepStrictEqual } from 'node:util';
import { type AddedDoc, type AssignDoc, assignStories, type DedupView } from '../pipeline/assign-stories.js';
import { articleId } from '../pipeline/prepare.js';
import { type MemberInfo, storyRecordFromCluster } from '../pipeline/story-record.js';
import type { PreparedEvent } from './ingest.js';
import type { DocItem, IngestPlan, IngestStore, ObjectRecord, StoryItem } from './ports.js';

/** Only when the lease expired under a live ingest: the other writer's record stands. */
export class ObjectRecordChangedError extends Error {
  constructor(key: string) {
    super(`${key}: object record changed during ingest; the event will be retried`);
    this.name = 'ObjectRecordChangedError';
  }
}

/** The store as the assignment reads it; `leaving` is a doc being removed, hidden before it is deleted. */
function storeView(store: IngestStore, leaving: string | undefined): DedupView {
  return {
    candidates: async (fps) => (await store.candidates(fps)).filter((docId) => docId !== leaving),
    doc: async (docId) => {
      const doc = docId === leaving ? undefined : await store.getDoc(docId);
      if (!doc) return undefined;
      return doc.storyId ? { docId, seq: doc.seq, storyId: doc.storyId } : { docId, seq: doc.seq };
    },
    storyMembers: async (storyId) =>
      (await store.getStory(storyId))?.members.map((key) => articleId(key)) ?? [],
    features: async (docId) => {
      const doc = docId === leaving ? undefined : await store.getDoc(docId);
      if (!doc) throw new Error(`doc ${docId} vanished during deduplication`);
      return doc;
    },
  };
}

/** Values of `a` that are not in `b`. */
function without(a: Uint32Array, b: Uint32Array): Uint32Array {
  const keep = new Set(b);
  return a.filter((value) => !keep.has(value));
}

export interface PlannedEvent {
  plan: IngestPlan;
  /** The story the key's doc belongs to afterwards. */
  storyId?: string;
}

/**
 * Updates the key's doc and postings, then plans the rest (see the file comment). `record` is the
 * object record read under the lease, `now` the ISO time new stories are created at.
 */
export async function planEvent(
  store: IngestStore,
  prepared: Exclude<PreparedEvent, { kind: 'skip' }>,
  record: ObjectRecord | undefined,
  now: string,
): Promise<PlannedEvent> {
  const { key, event } = prepared;
  const docId = articleId(key);
  // Read whatever the record says: an attempt that died before its plan may have left a doc behind.
  const old = await store.getDoc(docId);
  const firstSeen = record?.firstSeen ?? (event.eventTime || now);

  const added: AddedDoc[] = [];
  const removed: AssignDoc[] = [];
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
    const stale = old ? without(old.fps, doc.fps) : undefined;
    if (stale?.length) await store.removePostings(docId, stale);
    if (!old || !isDeepStrictEqual(old, item)) await store.putDoc(item);
    await store.addPostings(docId, doc.fps);
    const assign: AddedDoc = { docId, seq: item.seq, features: item, fps: doc.fps };
    if (item.storyId) assign.storyId = item.storyId;
    added.push(assign);
  } else if (old) {
    await store.removePostings(docId, old.fps);
    removed.push(old.storyId ? { docId, seq: old.seq, storyId: old.storyId } : { docId, seq: old.seq });
  }

  const leaving = removed.length ? docId : undefined;
  const assignment = await assignStories(storeView(store, leaving), added, removed);
  const status = prepared.kind === 'doc' ? 'active' : prepared.kind === 'rejected' ? 'rejected' : 'deleted';
  const plan: IngestPlan = {
    key,
    record: {
      key,
      version: event.version,
      etag: event.etag,
      // A reconciled event keeps the sequencer it found, so a later real event still applies.
      sequencer: event.reconciled ? (record?.sequencer ?? '') : event.sequencer,
      status,
      docId,
      firstSeen,
    },
    stories: [],
    retired: [],
    docStories: [],
  };
  if (record) plan.previous = record;
  if (leaving) plan.removeDoc = leaving;
  if (prepared.kind === 'rejected') {
    plan.quarantine = { version: event.version, diagnostic: prepared.diagnostic };
  }

  for (const id of assignment.retired) {
    const story = await store.getStory(id);
    if (story) plan.retired.push(story);
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
    const before = await store.getStory(cluster.storyId);
    const story: StoryItem = {
      ...storyRecordFromCluster(cluster, info, before, 0),
      id: cluster.storyId,
      createdAt: before?.createdAt ?? now,
    };
    if (!before || !isDeepStrictEqual({ ...before }, story)) plan.stories.push(story);
    for (const doc of docs.values()) {
      if (doc.storyId !== cluster.storyId)
        plan.docStories.push({ docId: doc.docId, storyId: cluster.storyId });
    }
    if (cluster.members.includes(docId)) storyId = cluster.storyId;
  }
  return storyId ? { plan, storyId } : { plan };
}

/**
 * Makes a plan's changes, each idempotent, so a plan carried out twice (its first run died) ends the
 * same: stories written before the ones they replace are deleted (for a moment a merged doc may be
 * listed twice, never in none), the object record last, then the plan goes.
 */
export async function carryOut(store: IngestStore, plan: IngestPlan): Promise<void> {
  for (const story of plan.stories) await store.putStory(story);
  for (const story of plan.retired) await store.deleteStory(story);
  for (const { docId, storyId } of plan.docStories) await store.setDocStory(docId, storyId);
  if (plan.removeDoc) await store.deleteDoc(plan.removeDoc);
  if (plan.quarantine) {
    await store.quarantine(plan.key, plan.quarantine.version, plan.quarantine.diagnostic);
  } else {
    await store.releaseQuarantine(plan.key);
  }
  if (!(await store.putObjectIf(plan.record, plan.previous))) {
    // Already stored when an earlier run of this plan died after it.
    if (!isDeepStrictEqual(await store.getObject(plan.key), plan.record)) {
      // The stories agree with the docs; the event is retried and planned afresh. Keeping the plan
      // would fail every later ingest on the same record.
      await store.deletePlan();
      throw new ObjectRecordChangedError(plan.key);
    }
  }
  await store.deletePlan();
}
