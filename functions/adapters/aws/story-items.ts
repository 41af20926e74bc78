/**
 * The story table's items: the layout, the keys and the mappings every adapter over it shares
 * (one per port: `ingest-store.ts`, `publish-store.ts`, `story-listings.ts`, `site-refresh.ts`; and
 * `object-items.ts`, `doc-items.ts`, `posting-items.ts`, `plan-items.ts` under them). Writes are
 * conditional only (no transactions).
 *
 * Item layout (`pk`, `sk` strings; index `byDate` on `gsi1pk`, `gsi1sk`):
 *
 *   pk            sk          attributes
 *   OBJ           <key>       version, etag, sequencer, status, docId, firstSeen, heldUntil? (one per key)
 *   QUARANTINE    <key>       version, code, message                               (rejected articles)
 *   DOC#<docId>   DOC         key, seq, storyId?, date, title, and either feat (the four feature arrays
 *                             as one `encodePack` binary) or chunks + featBytes when it is split
 *   DOC#<docId>   FEAT#<n>    part: chunk n of the packed features (only for docs over ~350 KB packed)
 *   FP#<8 hex>    <docId>     (nothing: a posting of the doc under one fingerprint)
 *   LINE#<8 hex>, ENT#<8 hex>, COMMON#<8 hex>, TEMPLATE: the corpus index (`corpus-items.ts`)
 *   STORY#<id>    STORY       the StoryItem fields (related: ids of related stories); gsi1pk 'STORY', gsi1sk '<date>#<id>';
 *                             gsi2pk 'CREATED', gsi2sk '<createdAt>#<id>' (index `byCreated`, for editions);
 *                             digestEdition? (the edition that last asked for a home page render)
 *   DIRTY         <storyId>   token, previous? {slug, date}                         (for the publisher)
 *   COUNTER       SEQ         n
 *   LEASE         DEDUP       owner, expiresAt (epoch ms)
 *   PLAN          HEAD        plan (the JSON of an `IngestPlan` not yet fully carried out), or planId,
 *                             parts, bytes when it is split
 *   PLAN          PART#<planId>#<n>   part: bytes n of a split plan's JSON (only for plans over ~350 KB)
 *   SITE          RENDER      key
 *   SITE          PUBLISHING  startedAt   (while a publish writes the site; left behind if it died)
 *
 * Reads of the base table are strongly consistent: ingest reads back, within one event, what it has
 * just written (docs, postings, stories), and an eventually consistent read could miss it. The index
 * cannot be read consistently; only the publisher reads it, after the stream has delivered the write.
 */
import { randomUUID } from 'node:crypto';
import type { DirtyMark, DocItem, ObjectRecord, StoryItem } from '../../core/cloud/ports.js';
import type { StoredFeatures } from '../../core/dedup/doc-features.js';
import type { DynamoTable, Item } from './dynamo-table.js';
import { joinFeatures } from './feature-chunks.js';

/** The index listing stories by date; `infra/constructs/story-table.ts` imports it. */
export const BY_DATE_INDEX = 'byDate';
/** The index listing stories by first publication (`createdAt`), for the email editions. */
export const BY_CREATED_INDEX = 'byCreated';

export class PlanPartsMissingError extends Error {
  override name = 'PlanPartsMissingError';
  constructor(part: number) {
    super(`the stored ingest plan is incomplete: part ${part} is missing or the parts are the wrong size`);
  }
}

export interface QuarantinedObject {
  key: string;
  version: string;
  code: string;
  message: string;
}

export const fingerprintKey = (fp: number) => `FP#${fp.toString(16).padStart(8, '0')}`;
export const docKey = (docId: string) => `DOC#${docId}`;
export const storyKey = (id: string) => ({ pk: `STORY#${id}`, sk: 'STORY' });
export const featKey = (docId: string, n: number) => ({ pk: docKey(docId), sk: `FEAT#${n}` });

export function toObjectRecord(item: Item): ObjectRecord {
  return {
    key: String(item.sk),
    version: String(item.version),
    etag: String(item.etag ?? ''),
    sequencer: String(item.sequencer ?? ''),
    status: item.status as ObjectRecord['status'],
    docId: String(item.docId),
    firstSeen: String(item.firstSeen),
    ...(typeof item.heldUntil === 'string' ? { heldUntil: item.heldUntil } : {}),
  };
}

/** Fields in `StoryItem` declaration order and evidence by key, so equal stories serialise equally. */
export function toStory(item: Item): StoryItem {
  const evidence = (item.evidence ?? {}) as StoryItem['evidence'];
  return {
    slug: String(item.slug),
    canonical: String(item.canonical),
    members: (item.members ?? []) as string[],
    date: String(item.date),
    updated: String(item.updated),
    title: String(item.title),
    evidence: Object.fromEntries(Object.entries(evidence).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    createdBuild: Number(item.createdBuild),
    ...(Array.isArray(item.tags) ? { tags: item.tags.map(String) } : {}),
    ...(Array.isArray(item.related) && item.related.length ? { related: item.related.map(String) } : {}),
    id: String(item.id),
    createdAt: String(item.createdAt),
  };
}

/** A story as the site shows it (a dirty mark's `previous`): where its page is, its month and its tag pages. */
export function publishedAs(item: {
  slug?: unknown;
  date?: unknown;
  tags?: unknown;
}): NonNullable<DirtyMark['previous']> {
  const tags = Array.isArray(item.tags) && item.tags.length ? { tags: item.tags.map(String) } : {};
  return { slug: String(item.slug), date: String(item.date), ...tags };
}

/** The packed features of a doc: on its head item, or joined from its chunk items. */
export function storedFeatures(docId: string, head: Item, items: Item[]): Uint8Array {
  if (head.feat instanceof Uint8Array) return head.feat;
  const parts = new Map<number, Uint8Array>();
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith('FEAT#') && item.part instanceof Uint8Array) parts.set(Number(sk.slice(5)), item.part);
  }
  return joinFeatures(docId, parts, Number(head.chunks ?? 0), Number(head.featBytes ?? 0));
}

/** A doc from its head item and its unpacked features. */
export function toDocItem(docId: string, head: Item, features: StoredFeatures): DocItem {
  const doc: DocItem = {
    docId,
    key: String(head.key),
    seq: Number(head.seq),
    date: String(head.date),
    title: String(head.title),
    ...features,
  };
  if (typeof head.storyId === 'string') doc.storyId = head.storyId;
  if (head.undated === true) doc.undated = true;
  if (typeof head.version === 'string') doc.version = head.version;
  if (Array.isArray(head.tags)) doc.tags = head.tags.map(String);
  return doc;
}

/** Every item of one partition, strongly consistent (ingest reads back what it just wrote). */
export function queryPartition(table: DynamoTable, pk: string, limit?: number): Promise<Item[]> {
  return table.query(
    { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true },
    limit,
  );
}

export async function readStory(table: DynamoTable, id: string): Promise<StoryItem | undefined> {
  const item = await table.get(storyKey(id));
  return item && toStory(item);
}

/**
 * Marks a story for the publisher (ingest on a story write, the edition asking for a home page
 * render). A fresh token on every mark, so the publisher's conditional clear never drops a newer one;
 * the previous version is kept from the first unpublished change, since that one is what the site shows.
 */
export async function markDirty(
  table: DynamoTable,
  storyId: string,
  previous: DirtyMark['previous'],
): Promise<void> {
  await table.update(
    { pk: 'DIRTY', sk: storyId },
    {
      UpdateExpression: previous
        ? 'SET #token = :token, #previous = if_not_exists(#previous, :prev)'
        : 'SET #token = :token',
      ExpressionAttributeNames: { '#token': 'token', ...(previous ? { '#previous': 'previous' } : {}) },
      ExpressionAttributeValues: { ':token': randomUUID(), ...(previous ? { ':prev': previous } : {}) },
    },
  );
}
