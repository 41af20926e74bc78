/**
 * One event's changes, in two steps that each survive dying at any point (a Lambda timeout):
 *
 * 1. `planEvent` stores a new version's doc and postings (the clustering reads them), re-clusters
 *    the stories they touch and returns every other change as a plan, without making any. A removal
 *    writes nothing here: its doc stays, hidden from the clustering, until the plan takes it out of
 *    its story. Planning can start again from any point a previous attempt died at: the doc stored
 *    under the key is what the key contributes now, whichever attempt wrote it, and postings leave
 *    before the doc they came from changes and arrive after, so they never name features it lacks.
 * 2. `carryOut` makes the plan's changes, each idempotent, deletes the plan, and stores the object
 *    record last. The plan is stored before its first change, and the next holder of the lease
 *    carries out a plan it finds before anything else: a story change is never left half made, and
 *    the record moves on only once the stories agree with the docs.
 */
import { isDeepStrictEqual } from 'node:util';
import { contentFeatures, docLines, lineHashSet, type StoredFeatures } from '../dedup/doc-features.js';
import { carrierLines } from '../dedup/template-update.js';
import type { Diagnostic } from '../model.js';
import {
  type AddedDoc,
  type AssignDoc,
  assignStories,
  type CandidateHit,
  candidatesFrom,
  type DedupView,
  type Posting,
} from '../stories/assign-stories.js';
import { contentKeys } from '../stories/content-keys.js';
import type { PreparedDoc } from '../stories/prepare.js';
import { articleId } from '../stories/prepare.js';
import { type MemberInfo, storyRecordFromCluster } from '../stories/story-record.js';
import type { CorpusIndexStore, DocItem, IngestPlan, IngestStore, ObjectRecord, StoryItem } from './ports.js';
import { planRelated } from './related-plan.js';
import type { ObjectEvent } from './s3-events.js';
import { learnTemplates } from './template-plan.js';

export type IngestAction = 'published' | 'removed' | 'quarantined' | 'held' | 'stale' | 'ignored';

/**
 * A prepared created-event, or the reason it cannot be published. Done before taking the lease:
 * fetching and parsing need no coordination.
 */
export type PreparedEvent =
  | { event: ObjectEvent; key: string; kind: 'doc'; doc: PreparedDoc }
  | { event: ObjectEvent; key: string; kind: 'rejected'; diagnostic: Diagnostic }
  | { event: ObjectEvent; key: string; kind: 'removed' }
  /** Dated after now (an embargo): like a removal, the key contributes nothing until `until`. */
  | { event: ObjectEvent; key: string; kind: 'held'; until: string }
  | { event: ObjectEvent; key: string; kind: 'skip'; action: IngestAction };

/** Only when the lease expired under a live ingest: the other writer's record stands. */
export class ObjectRecordChangedError extends Error {
  override name = 'ObjectRecordChangedError';
  constructor(key: string) {
    super(`${key}: object record changed during ingest; the event will be retried`);
  }
}

/**
 * Docs and stories read once per planning: the clustering and the story records ask for the same ones
 * several times, and nothing writes them while an event is planned (the lease).
 */
class PlanningReads {
  private readonly docs = new Map<string, Promise<DocItem | undefined>>();
  private readonly stories = new Map<string, Promise<StoryItem | undefined>>();
  private readonly postings = new Map<number, readonly Posting[]>();
  constructor(private readonly store: IngestStore) {}

  /** Candidates from postings read once per planning: copies placed in one event share most keys. */
  async candidates(fps: Uint32Array): Promise<CandidateHit[]> {
    const missing = Uint32Array.from(new Set(fps)).filter((fp) => !this.postings.has(fp));
    if (missing.length) {
      const read = await this.store.postings(missing);
      for (const fp of missing) this.postings.set(fp, read.get(fp) ?? []);
    }
    return candidatesFrom(fps, this.postings);
  }

  doc(docId: string): Promise<DocItem | undefined> {
    return once(this.docs, docId, () => this.store.getDoc(docId));
  }

  story(id: string): Promise<StoryItem | undefined> {
    return once(this.stories, id, () => this.store.getStory(id));
  }
}

function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = read();
  cache.set(key, pending);
  return pending;
}

type IsTemplate = (line: number) => boolean;

/** What the rules compare of a doc, and its content index keys, with the template lines left out. */
function dedupInput(doc: StoredFeatures, isTemplate: IsTemplate) {
  const features = contentFeatures(doc, isTemplate);
  return { features, fps: contentKeys(doc, features, isTemplate) };
}

/** The store as the assignment reads it; `leaving` is a doc being removed, hidden before it is deleted. */
function storeView(reads: PlanningReads, leaving: string | undefined, isTemplate: IsTemplate): DedupView {
  return {
    candidates: async (fps) => (await reads.candidates(fps)).filter((hit) => hit.docId !== leaving),
    doc: async (docId) => {
      const doc = docId === leaving ? undefined : await reads.doc(docId);
      if (!doc) return undefined;
      return doc.storyId ? { docId, seq: doc.seq, storyId: doc.storyId } : { docId, seq: doc.seq };
    },
    storyMembers: async (storyId) => (await reads.story(storyId))?.members.map((key) => articleId(key)) ?? [],
    features: async (docId) => {
      const doc = docId === leaving ? undefined : await reads.doc(docId);
      if (!doc) throw new Error(`doc ${docId} vanished during deduplication`);
      return contentFeatures(doc, isTemplate);
    },
    keys: async (docId) => {
      const doc = docId === leaving ? undefined : await reads.doc(docId);
      if (!doc) throw new Error(`doc ${docId} vanished during deduplication`);
      return dedupInput(doc, isTemplate).fps;
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
  index: CorpusIndexStore,
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
  let item: DocItem | undefined;
  if (prepared.kind === 'doc') {
    const { doc } = prepared;
    item = {
      docId,
      key,
      seq: old?.seq ?? (await store.nextSeq()),
      date: doc.date ?? firstSeen,
      version: event.version,
      title: doc.title,
      ...(doc.tags ? { tags: doc.tags } : {}),
      tokens: doc.tokens,
      lineEnds: doc.lineEnds,
      fps: doc.fps,
      entities: doc.entities,
      particulars: doc.particulars,
      flags: doc.flags,
    };
    if (!doc.date) item.undated = true;
    if (old?.storyId) item.storyId = old.storyId;
    const stale = old ? without(old.fps, doc.fps) : undefined;
    if (stale?.length) await store.removePostings(docId, stale);
    if (old) {
      const lines = without(lineHashSet(old), lineHashSet(item));
      await index.removeCarrier(docId, lines, without(old.entities, item.entities));
    }
    if (!old || !isDeepStrictEqual(old, item)) await store.putDoc(item);
    await store.addPostings(docId, doc.fps, doc.fps.length);
    await index.addCarrier(docId, lineHashSet(item), item.entities);
  } else if (old) {
    removed.push(old.storyId ? { docId, seq: old.seq, storyId: old.storyId } : { docId, seq: old.seq });
  }

  const leaving = removed.length ? docId : undefined;
  const reads = new PlanningReads(store);
  const stored = async (id: string) => {
    const found = id === docId && item ? item : await reads.doc(id);
    if (!found) throw new Error(`doc ${id} vanished during deduplication`);
    return found;
  };
  // Relearn the template lines the event touches; docs carrying a line that flipped are placed again.
  const learned = await learnTemplates(index, docId, old, item, async (id) =>
    carrierLines(docLines(await stored(id))),
  );
  const isTemplate = (line: number) => learned.templates.has(line);
  for (const id of [...(item ? [docId] : []), ...learned.replace]) {
    const doc = await stored(id);
    const assign: AddedDoc = { docId: id, seq: doc.seq, ...dedupInput(doc, isTemplate) };
    if (doc.storyId) assign.storyId = doc.storyId;
    added.push(assign);
  }
  added.sort((a, b) => a.seq - b.seq);
  const assignment = await assignStories(storeView(reads, leaving, isTemplate), added, removed);
  const status = ({ doc: 'active', rejected: 'rejected', held: 'held', removed: 'deleted' } as const)[
    prepared.kind
  ];
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
      ...(prepared.kind === 'held' ? { heldUntil: prepared.until } : {}),
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
  if (learned.added.length || learned.removed.length)
    plan.templates = { added: learned.added, removed: learned.removed };

  for (const id of assignment.retired) {
    const story = await reads.story(id);
    if (story) plan.retired.push(story);
  }
  let storyId: string | undefined;
  const planned = new Map<string, StoryItem>();
  const placedIn = new Map<string, string>();
  // Entities whose docs or stories the event changes: the key's doc's, a moved doc's, and every
  // member's of a story whose date moves (the date window of its links).
  const touchedEntities = [...(old ? [old.entities] : []), ...(item ? [item.entities] : [])];
  for (const cluster of assignment.clusters) {
    const docs = new Map<string, DocItem>();
    for (const member of cluster.members) {
      const doc = await reads.doc(member);
      if (doc) docs.set(member, doc);
    }
    const info = new Map<string, MemberInfo>(
      [...docs].map(([id, d]) => [
        id,
        {
          key: d.key,
          date: d.date,
          title: d.title,
          version: d.version ?? '',
          ...(d.undated ? { undated: true } : {}),
          ...(d.tags ? { tags: d.tags } : {}),
        },
      ]),
    );
    const before = await reads.story(cluster.storyId);
    const story: StoryItem = {
      ...storyRecordFromCluster(cluster, info, before, 0, now),
      id: cluster.storyId,
      createdAt: before?.createdAt ?? now,
    };
    planned.set(story.id, story);
    for (const doc of docs.values()) {
      placedIn.set(doc.docId, cluster.storyId);
      if (doc.storyId !== cluster.storyId || before?.date !== story.date) touchedEntities.push(doc.entities);
      if (doc.storyId !== cluster.storyId)
        plan.docStories.push({ docId: doc.docId, storyId: cluster.storyId });
    }
    if (cluster.members.includes(docId)) storyId = cluster.storyId;
  }
  // Related coverage of the stories written, and of every story whose list they change.
  const related = await planRelated({
    index,
    ...(leaving ? { leaving } : {}),
    placedIn,
    planned,
    retired: new Set(assignment.retired),
    touchedEntities,
    story: (id) => reads.story(id),
    doc: (id) => reads.doc(id),
  });
  for (const [id, list] of related) {
    const story = planned.get(id) ?? (await reads.story(id));
    if (!story) continue;
    const before = await reads.story(id);
    const next: StoryItem = { ...story };
    if (list.length) next.related = list;
    else delete next.related;
    if (!before || !isDeepStrictEqual({ ...before }, next)) plan.stories.push(next);
  }
  for (const story of planned.values())
    if (!related.has(story.id) && !isDeepStrictEqual({ ...(await reads.story(story.id)) }, story))
      plan.stories.push(story);
  return storyId ? { plan, storyId } : { plan };
}

/**
 * Makes a plan's changes, each idempotent, so a plan carried out again (its first run died) ends the
 * same. Stories are written before the ones they replace are deleted (for a moment a merged doc may
 * be listed twice, never in none); a removed doc's postings go before the doc, which names them. The
 * plan is deleted before the object record is stored: dying between the two leaves the event to be
 * planned again, from stories that already agree with it.
 */
export async function carryOut(store: IngestStore, index: CorpusIndexStore, plan: IngestPlan): Promise<void> {
  if (plan.templates) await index.setTemplates(plan.templates.added, plan.templates.removed);
  for (const story of plan.stories) await store.putStory(story);
  for (const story of plan.retired) await store.deleteStory(story);
  for (const { docId, storyId } of plan.docStories) await store.setDocStory(docId, storyId);
  if (plan.removeDoc) {
    const doc = await store.getDoc(plan.removeDoc);
    if (doc) {
      await store.removePostings(doc.docId, doc.fps);
      await index.removeCarrier(doc.docId, lineHashSet(doc), doc.entities);
    }
    await store.deleteDoc(plan.removeDoc);
  }
  if (plan.quarantine) {
    await store.quarantine(plan.key, plan.quarantine.version, plan.quarantine.diagnostic);
  } else {
    await store.releaseQuarantine(plan.key);
  }
  await store.deletePlan();
  // Only false if the lease expired under a live ingest: the other writer's record stands.
  if (!(await store.putObjectIf(plan.record, plan.previous))) throw new ObjectRecordChangedError(plan.key);
}
