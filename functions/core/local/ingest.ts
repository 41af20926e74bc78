/**
 * The ingest step of the local build: takes the prepared new and changed articles and the keys that
 * went away, updates the stored features and indexes, relearns the template lines they touch,
 * deduplicates what changed, and turns the clusters into story records. Everything it writes is
 * persisted before the pages are rendered, so a crash while rendering loses no ingest work.
 */
import { DEFAULT_POSTING_CAP } from '../dedup/candidate-index.js';
import { contentFeatures, docLines, type StoredFeatures } from '../dedup/doc-features.js';
import type { DedupFeatures } from '../dedup/similarity.js';
import { COMMON_LINE_DOCS, templateSample } from '../dedup/template-lines.js';
import { carrierLines, rankOfDocId, updateTemplates } from '../dedup/template-update.js';
import type { Diagnostic, StoryRecord } from '../model.js';
import type { BlobStore } from '../ports.js';
import { type AddedDoc, type AssignDoc, assignStories, type DedupView } from '../stories/assign-stories.js';
import { contentKeys } from '../stories/content-keys.js';
import { articleId, type PreparedDoc, type PrepareOutcome } from '../stories/prepare.js';
import { concatBytes, decodeDoc } from '../stories/shingle-pack.js';
import { leftItsPages, type MemberInfo, storyRecordFromCluster } from '../stories/story-record.js';
import { CorpusIndex } from './corpus-index.js';
import { MailedMemory } from './mailed.js';
import { updateRelated } from './related-update.js';
import type { BuildState, FileRecord } from './state.js';

/** Docs per shingle-pack segment. */
export const SEGMENT_DOCS = 5000;
export const packBlob = (seg: number) => `shingles-${seg}.bin`;

export interface IngestInput {
  /** Keys listed before and now gone. */
  gone: string[];
  /** Keys (re)processed this run, with what preparing each gave. */
  processed: string[];
  outcomes: PrepareOutcome[];
  /** ISO time of the build. */
  now: string;
  build: number;
}

export interface IngestResult {
  changedStories: Map<string, StoryRecord>;
  removedStories: Map<string, StoryRecord>;
  /** Pairs verified exactly, and docs placed (new, changed, or touched by a template change). */
  verified: number;
  placed: number;
}

/** Reads the stored features of docs, a doc's bytes at a time, with a cache for one run. */
class FeatureReader {
  private readonly cache = new Map<number, StoredFeatures>();
  constructor(
    private readonly store: BlobStore,
    private readonly fresh: ReadonlyMap<number, StoredFeatures>,
  ) {}
  async get(record: Pick<FileRecord, 'docNum' | 'seg' | 'off' | 'len'>): Promise<StoredFeatures> {
    const known = this.fresh.get(record.docNum) ?? this.cache.get(record.docNum);
    if (known) return known;
    const doc = decodeDoc(await this.store.getRange(packBlob(record.seg), record.off, record.len));
    this.cache.set(record.docNum, doc);
    return doc;
  }
}

/** Updates `state` (files, rejected, held, stories) and the stored indexes for one run. */
export async function ingest(store: BlobStore, state: BuildState, input: IngestInput): Promise<IngestResult> {
  const { now } = input;
  const index = await CorpusIndex.load(store, Object.keys(state.files).length === 0);
  const mailed = await MailedMemory.load(store, state);
  const accepted = input.outcomes.filter((o): o is { ok: true; doc: PreparedDoc } => o.ok).map((o) => o.doc);
  const fresh = new Map<number, StoredFeatures>();
  const reader = new FeatureReader(store, fresh);
  const touchedLines = new Map<number, number>();
  const touchLines = (doc: StoredFeatures) => {
    for (const line of docLines(doc)) {
      if (!touchedLines.has(line.hash)) touchedLines.set(line.hash, index.lines.count(line.hash));
    }
  };

  // --- Remove what is gone, changed, or now rejected or held.
  const removed: AssignDoc[] = [];
  const staying = new Set(accepted.filter((doc) => !isHeld(doc, now)).map((doc) => doc.key));
  const previous = new Map<string, FileRecord>();
  for (const key of [...input.gone, ...input.processed]) {
    const record = state.files[key];
    if (!record) continue;
    const doc = await reader.get(record);
    touchLines(doc);
    index.remove(record.docNum, doc);
    previous.set(key, record);
    if (!staying.has(key)) {
      removed.push({ docId: record.docId, seq: record.seq, storyId: record.story });
      mailed.leave(record, doc);
    }
    delete state.files[key];
  }
  for (const key of input.gone) {
    delete state.rejected[key];
    delete state.held[key];
  }
  for (const outcome of input.outcomes) {
    const key = outcome.ok ? outcome.doc.key : outcome.key;
    delete state.held[key];
    if (outcome.ok) delete state.rejected[key];
    else
      state.rejected[key] = {
        version: outcome.version,
        code: outcome.diagnostic.code,
        message: outcome.diagnostic.message,
      };
  }

  // --- Add the accepted docs; hold those dated in the future. First-seen order within one run is by
  // date, then key, so it never depends on the order in which the files were listed.
  const firstSeenOf = (doc: PreparedDoc) => previous.get(doc.key)?.firstSeen ?? now;
  const memberDate = (doc: PreparedDoc) => doc.date ?? firstSeenOf(doc);
  accepted.sort((a, b) => {
    const da = memberDate(a);
    const db = memberDate(b);
    return da !== db ? (da < db ? -1 : 1) : a.key < b.key ? -1 : 1;
  });
  const segments: Uint8Array[][] = [];
  let segmentBytes = 0;
  const newDocs: { record: FileRecord; doc: PreparedDoc }[] = [];
  // Every carrier count before any addition, in one pass: counting between additions re-sorted the
  // index's pending log once per doc (quadratic in a cold build). Same counts as before: a line's
  // count changes only by adding a doc that carries it, and such a doc touches the line first.
  for (const doc of accepted) if (!isHeld(doc, now)) touchLines(doc);
  for (const doc of accepted) {
    if (isHeld(doc, now)) {
      state.held[doc.key] = { version: doc.version, until: doc.date! };
      continue;
    }
    const before = previous.get(doc.key);
    const record: FileRecord = {
      docId: doc.docId,
      docNum: before?.docNum ?? state.nextDocNum++,
      seq: before?.seq ?? state.nextSeq++,
      version: doc.version,
      firstSeen: firstSeenOf(doc),
      date: memberDate(doc),
      title: doc.title,
      size: doc.tokens.length,
      keys: doc.fps.length,
      seg: 0,
      off: 0,
      len: 0,
      story: before?.story ?? '',
    };
    if (!doc.date) record.undated = true;
    if (doc.tags) record.tags = doc.tags;
    if (doc.warnings.length) record.warnings = doc.warnings.map((w) => `${w.code} ${w.message}`);
    if (doc.media) record.media = doc.media;
    state.files[doc.key] = record;
    let segment = segments[segments.length - 1];
    if (!segment || segment.length >= SEGMENT_DOCS) {
      segment = [];
      segments.push(segment);
      segmentBytes = 0;
    }
    record.seg = state.nextSeg + segments.length - 1;
    record.off = segmentBytes;
    record.len = doc.encoded.length;
    segment.push(doc.encoded);
    segmentBytes += doc.encoded.length;
    index.add(record.docNum, doc);
    fresh.set(record.docNum, doc);
    newDocs.push({ record, doc });
  }

  // --- Relearn the template lines the run touched.
  const recordByNum = new Map<number, FileRecord>();
  const keyById = new Map<string, string>();
  for (const [key, record] of Object.entries(state.files)) {
    recordByNum.set(record.docNum, record);
    keyById.set(record.docId, key);
  }
  const lineCache = new Map<number, ReturnType<typeof carrierLines>>();
  const ranks = new Map<number, number>();
  const rankOf = (docNum: number) =>
    ranks.get(docNum) ?? ranks.set(docNum, rankOfDocId(recordByNum.get(docNum)!.docId)).get(docNum)!;
  const flipped = await updateTemplates<number>(
    {
      count: async (line) => index.lines.count(line),
      carriers: async (line) => index.lines.posting(line),
      sample: async (line) => templateSample(index.lines.posting(line), rankOf),
      templates: index.templates,
      commonness: async () => (line) => index.lines.count(line) >= COMMON_LINE_DOCS,
      linesOf: async (docNum) => {
        let cached = lineCache.get(docNum);
        if (!cached) {
          cached = carrierLines(docLines(await reader.get(recordByNum.get(docNum)!)));
          lineCache.set(docNum, cached);
        }
        return cached;
      },
    },
    touchedLines,
  );

  // --- Deduplicate: the new docs, and the old ones whose content a template change altered.
  const featureCache = new Map<number, DedupFeatures>();
  const featuresOf = async (record: FileRecord) => {
    let features = featureCache.get(record.docNum);
    if (!features) {
      features = contentFeatures(await reader.get(record), index.isTemplate);
      featureCache.set(record.docNum, features);
    }
    return features;
  };
  const placed = new Map<number, FileRecord>();
  for (const { record } of newDocs) placed.set(record.docNum, record);
  for (const line of flipped) {
    for (const docNum of index.lines.posting(line)) placed.set(docNum, recordByNum.get(docNum)!);
  }
  const added: AddedDoc[] = [];
  for (const record of [...placed.values()].sort((a, b) => a.seq - b.seq)) {
    const features = await featuresOf(record);
    const doc: AddedDoc = {
      docId: record.docId,
      seq: record.seq,
      features,
      fps: contentKeys(await reader.get(record), features, index.isTemplate),
    };
    if (record.story) doc.storyId = record.story;
    added.push(doc);
  }
  const recordById = (docId: string) => {
    const key = keyById.get(docId);
    return key === undefined ? undefined : state.files[key];
  };
  const membersBefore = (storyId: string) =>
    (state.stories[storyId]?.members ?? []).map(
      (key) => state.files[key]?.docId ?? previous.get(key)?.docId ?? articleId(key),
    );
  const view: DedupView = {
    candidates: async (fps) => {
      const hits = [];
      for (const [docNum, shared] of index.fps.candidates(fps, 1, DEFAULT_POSTING_CAP)) {
        const record = recordByNum.get(docNum);
        if (record) hits.push({ docId: record.docId, shared, keys: record.keys });
      }
      return hits;
    },
    doc: async (docId) => {
      const record = recordById(docId);
      if (!record) return undefined;
      return record.story ? { docId, seq: record.seq, storyId: record.story } : { docId, seq: record.seq };
    },
    storyMembers: async (storyId) => membersBefore(storyId),
    features: async (docId) => featuresOf(recordById(docId)!),
    keys: async (docId) => {
      const record = recordById(docId)!;
      return contentKeys(await reader.get(record), await featuresOf(record), index.isTemplate);
    },
  };
  const assignment = await assignStories(view, added, removed);

  // --- Turn clusters into story records.
  const changedStories = new Map<string, StoryRecord>();
  const removedStories = new Map<string, StoryRecord>();
  for (const id of assignment.retired) {
    const old = state.stories[id];
    if (old) removedStories.set(id, old);
    delete state.stories[id];
  }
  for (const cluster of assignment.clusters) {
    const memberInfo = new Map<string, MemberInfo>();
    for (const docId of cluster.members) {
      const key = keyById.get(docId)!;
      const file = state.files[key]!;
      const info: MemberInfo = { key, date: file.date, title: file.title, version: file.version };
      if (file.undated) info.undated = true;
      if (file.tags) info.tags = file.tags;
      memberInfo.set(docId, info);
    }
    const old = state.stories[cluster.storyId];
    const record = storyRecordFromCluster(cluster, memberInfo, old, input.build, now);
    // A new object, not an assignment: the records loaded are frozen (see `records-tail.ts`).
    for (const key of record.members) {
      const file = state.files[key]!;
      if (file.story === cluster.storyId) continue;
      state.files[key] = { ...file, story: cluster.storyId };
      recordByNum.set(file.docNum, state.files[key]);
    }
    if (old && old.slug !== record.slug) record.slug = old.slug;
    if (old?.related) record.related = old.related;
    if (!old) {
      const members = [];
      for (const docId of cluster.members) {
        const file = recordById(docId)!;
        const features = await featuresOf(file);
        members.push({
          docId,
          features,
          keys: contentKeys(await reader.get(file), features, index.isTemplate),
        });
      }
      const edition = await mailed.mailedIn(members, async (ghost) =>
        contentFeatures(await reader.get(ghost), index.isTemplate),
      );
      if (edition !== undefined) record.mailed = edition;
    }
    if (!old || JSON.stringify(old) !== JSON.stringify(record)) changedStories.set(cluster.storyId, record);
    if (old && leftItsPages(old, record)) removedStories.set(cluster.storyId, old);
    state.stories[cluster.storyId] = record;
  }

  // --- Related coverage of what changed, and of its neighbours.
  await updateRelated(
    {
      stories: state.stories,
      lookup: {
        docs: (entity) => index.entities.count(entity),
        stories: async (entity) => {
          const ids: string[] = [];
          for (const docNum of index.entities.posting(entity)) {
            const story = recordByNum.get(docNum)?.story;
            if (story) ids.push(story);
          }
          return ids;
        },
      },
      entitiesOf: async (record) => {
        const file = state.files[record.canonical];
        return file ? (await reader.get(file)).entities : new Uint32Array(0);
      },
    },
    changedStories,
    assignment.retired,
  );

  // --- Persist the dedup data before rendering.
  for (const segment of segments) {
    await store.put(packBlob(state.nextSeg), concatBytes(segment));
    state.nextSeg++;
  }
  await index.save(store);
  await mailed.save(store);
  return { changedStories, removedStories, verified: assignment.verified, placed: added.length };
}

/** Dated after the build: held until then. */
export function isHeld(doc: Pick<PreparedDoc, 'date'>, now: string): boolean {
  return doc.date !== undefined && doc.date > now;
}

export type { Diagnostic };
