/**
 * Ports of the cloud path: what the ingest, publish and reconcile use cases need of the stored state.
 * `functions/adapters/aws/` implements them over one DynamoDB table, one adapter per port
 * (`ingest-store.ts`, `publish-store.ts`), with conditional writes only (no transactions); tests run
 * the same adapters against dynalite.
 */
import type { StoredFeatures } from '../dedup/doc-features.js';
import type { Diagnostic, StoryRecord } from '../model.js';
import type { CandidateHit, Posting } from '../stories/assign-stories.js';

/** What was last applied for one object key. */
export interface ObjectRecord {
  /** Key relative to the articles prefix. */
  key: string;
  /** Version id, else ETag, of the object the record describes. */
  version: string;
  /** The object's ETag without quotes (what a bucket listing shows), empty for removals. */
  etag: string;
  /** S3's sequencer of the event applied last: later events for the key have larger sequencers. */
  sequencer: string;
  /** held: dated in the future (an embargo); not published until `heldUntil`, then re-sent by the reconciler. */
  status: 'active' | 'rejected' | 'deleted' | 'held';
  /** ISO date a held article is published at (status `held` only). */
  heldUntil?: string;
  docId: string;
  /** ISO time the key was first seen: the fallback date of an undated article. */
  firstSeen: string;
}

/** One stored article: what deduplication verifies against, without re-reading the object. */
export interface DocItem extends StoredFeatures {
  docId: string;
  key: string;
  seq: number;
  storyId?: string;
  /** Member date: the article's date, else first seen. */
  date: string;
  /** The article has no date of its own (`date` is when it was first seen). */
  undated?: boolean;
  /** Version of the object the doc was read from. */
  version?: string;
  title: string;
  /** Front matter tags (absent when none). */
  tags?: string[];
}

export interface StoryItem extends StoryRecord {
  id: string;
  /** ISO time the story was first published (the digest's "new since the last edition"). */
  createdAt: string;
}

/**
 * The changes one event makes to the stories, the docs and its object record, decided before any is
 * made and stored first: an ingest that dies part way leaves it behind, and the next holder of the
 * lease makes those changes again (each is idempotent) before anything else. The object record comes
 * last, so it moves on only once the stories agree with the docs (`core/cloud/ingest-plan.ts`).
 */
export interface IngestPlan {
  key: string;
  /** Stored last, compare-and-set against `previous`. */
  record: ObjectRecord;
  previous?: ObjectRecord;
  /** Stories to write (and mark for the publisher), then stories to delete. */
  stories: StoryItem[];
  retired: StoryItem[];
  /** Docs whose story changes. */
  docStories: Array<{ docId: string; storyId: string }>;
  /** The key's doc, when the event takes it out (a removal, or a version that is rejected), with its postings. */
  removeDoc?: string;
  /** A rejected version's reason; without it the key's quarantine entry is cleared. */
  quarantine?: { version: string; diagnostic: Diagnostic };
  /** Lines learned to be template, and lines no longer template, by this event. */
  templates?: { added: number[]; removed: number[] };
}

/**
 * What the template learning and related coverage read and keep beside the docs (the cloud's
 * counterpart of the local build's `lines.bin`, `entities.bin` and `templates.bin`): which docs carry
 * each line and each named entity, which lines are common (carried by `COMMON_LINE_DOCS` docs or
 * more), and the set of template lines. Written by the ingest under its lease only.
 */
export interface CorpusIndexStore {
  /** Docs carrying the line, by ascending docId (the template sample's order), at most `limit`. */
  lineCarriers(line: number, limit?: number): Promise<string[]>;
  /** Docs carrying the entity, by ascending docId, at most `limit`. */
  entityCarriers(entity: number, limit?: number): Promise<string[]>;
  /** Adds the doc under each line and each entity. */
  addCarrier(docId: string, lines: Uint32Array, entities: Uint32Array): Promise<void>;
  removeCarrier(docId: string, lines: Uint32Array, entities: Uint32Array): Promise<void>;
  /** Marks lines common, and others no longer common. */
  setCommon(common: readonly number[], uncommon: readonly number[]): Promise<void>;
  /** Which of `lines` are marked common. */
  commonLines(lines: readonly number[]): Promise<Set<number>>;
  /** Every template line. */
  templates(): Promise<Set<number>>;
  setTemplates(added: readonly number[], removed: readonly number[]): Promise<void>;
  /** The story of each of the docs that has one (head items only, without their features). */
  docStories(docIds: readonly string[]): Promise<Map<string, string>>;
}

export interface IngestStore {
  getObject(key: string): Promise<ObjectRecord | undefined>;
  /**
   * Compare-and-set: stores the record only if the stored one is still `previous` (same version and
   * sequencer; none stored when `previous` is undefined). Returns false, writing nothing, otherwise.
   */
  putObjectIf(record: ObjectRecord, previous: ObjectRecord | undefined): Promise<boolean>;
  quarantine(key: string, version: string, diagnostic: Diagnostic): Promise<void>;
  releaseQuarantine(key: string): Promise<void>;

  getDoc(docId: string): Promise<DocItem | undefined>;
  putDoc(doc: DocItem): Promise<void>;
  /** Sets the story of a stored doc, leaving its features alone; nothing when the doc is gone. */
  setDocStory(docId: string, storyId: string): Promise<void>;
  deleteDoc(docId: string): Promise<void>;
  /** Adds the doc to the postings of each fingerprint; `keys` is its number of fingerprints. */
  addPostings(docId: string, fps: Uint32Array, keys: number): Promise<void>;
  removePostings(docId: string, fps: Uint32Array): Promise<void>;
  /**
   * Docs sharing fingerprints, with how many each shares; fingerprints carried by more docs than the
   * posting cap are frequent and not counted.
   */
  candidates(fps: Uint32Array): Promise<CandidateHit[]>;
  /** The postings `candidates` counts, by fingerprint (none for a frequent one): planning reads each once. */
  postings(fps: Uint32Array): Promise<Map<number, Posting[]>>;

  getStory(id: string): Promise<StoryItem | undefined>;
  /** Writes the story and marks it for the publisher. */
  putStory(story: StoryItem): Promise<void>;
  /** Deletes the story and marks its removal for the publisher. */
  deleteStory(story: StoryItem): Promise<void>;

  /** The next first-seen sequence number (an atomic counter). */
  nextSeq(): Promise<number>;
  /**
   * A lease serialising deduplication: conditional put that succeeds when no lease is held or the
   * held one expired. Production runs at most two ingest batches at once (the SQS mapping's maximum
   * concurrency, the lowest it accepts) and no reserved concurrency: the lease, not the function's
   * concurrency, keeps them apart. Its time to live exceeds the function timeout
   * (`infra/constructs/article-intake.ts`), so a live holder never loses it.
   */
  acquireLease(owner: string, ttlMs: number, now: Date): Promise<boolean>;
  releaseLease(owner: string): Promise<void>;

  /** The plan of an event whose changes may not all have been made (at most one: the lease). */
  getPlan(): Promise<IngestPlan | undefined>;
  /** Replaces any stored plan. */
  putPlan(plan: IngestPlan): Promise<void>;
  deletePlan(): Promise<void>;
}

/** A story the publisher has to (re)render or remove. */
export interface DirtyMark {
  storyId: string;
  /** Changes on every mark, so clearing a mark never clears a newer one. */
  token: string;
  /** The story as published before, when its page or month may have to go. */
  previous?: { slug: string; date: string; tags?: string[] };
}

export interface PublishStore {
  dirty(limit: number): Promise<DirtyMark[]>;
  /** Clears the mark only if its token is unchanged. */
  clearDirty(mark: DirtyMark): Promise<void>;
  getStory(id: string): Promise<StoryItem | undefined>;
  /** Newest stories first (by date, then id). */
  newest(limit: number): Promise<StoryItem[]>;
  /** Every story whose date falls in the month (`YYYY-MM`). */
  month(month: string): Promise<StoryItem[]>;
  /** Story counts by month, newest month first. */
  months(): Promise<Array<{ month: string; count: number }>>;
  /**
   * Records that a publish is writing the site; true when the previous one never finished (it died
   * after writing objects it may not have invalidated).
   */
  startPublish(): Promise<boolean>;
  /** Clears that record, once the written paths are invalidated. */
  finishPublish(): Promise<void>;
}

/** Invalidates cached copies of changed paths (CloudFront); a no-op locally. */
export interface CacheInvalidator {
  /** Starts the invalidation; its id when there is one to wait on (`isComplete`), else undefined. */
  invalidate(paths: string[]): Promise<string | undefined>;
  /** True once the invalidation has completed: every edge location fetches the new objects. */
  isComplete?(id: string): Promise<boolean>;
}

/** One sent email edition, as the digest archive (`digests/index.html`) lists it. */
export interface SentEdition {
  id: string;
  /** ISO time the edition was scheduled for: its date. */
  scheduledTime: string;
  subject: string;
  storyIds: string[];
  /** Site path of its archived copy (`digests/<id>.html`). */
  path: string;
}

/** The sent editions, oldest first: read by the publisher from the edition items of the email table. */
export interface SentEditions {
  sent(): Promise<SentEdition[]>;
}
