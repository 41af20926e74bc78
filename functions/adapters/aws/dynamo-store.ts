/**
 * The cloud path's stored state in one DynamoDB table, with conditional writes only (no transactions).
 *
 * Item layout (`pk`, `sk` strings; index `byDate` on `gsi1pk`, `gsi1sk`):
 *
 *   pk            sk          attributes
 *   OBJ           <key>       version, etag, sequencer, status, docId, firstSeen   (one per article key)
 *   QUARANTINE    <key>       version, code, message                               (rejected articles)
 *   DOC#<docId>   DOC         key, seq, storyId?, date, title, and either feat (the four feature arrays
 *                             as one `encodePack` binary) or chunks + featBytes when it is split
 *   DOC#<docId>   FEAT#<n>    part: chunk n of the packed features (only for docs over ~350 KB packed)
 *   FP#<8 hex>    <docId>     (nothing: a posting of the doc under one fingerprint)
 *   STORY#<id>    STORY       the StoryItem fields; gsi1pk 'STORY', gsi1sk '<date>#<id>';
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
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  DirtyMark,
  DocItem,
  IngestPlan,
  IngestStore,
  ObjectRecord,
  PublishStore,
  StoryItem,
} from '../../core/cloud/ports.js';
import { DEFAULT_POSTING_CAP } from '../../core/dedup/candidate-index.js';
import type { SiteRefresh, StoryFeed } from '../../core/email/edition-ports.js';
import type { Diagnostic } from '../../core/model.js';
import type { CandidateHit } from '../../core/stories/assign-stories.js';
import { decodePack, encodePack } from '../../core/stories/shingle-pack.js';
import { compareStories } from '../../core/stories/story-view.js';
import { batchWriteAll, type WriteRequest } from './batch-write.js';
import { mapLimit } from './concurrency.js';
import { applied } from './conditional.js';
import { DynamoTable, type Item, type QueryInput, type TableKey } from './dynamo-table.js';
import { DocChunksMissingError, joinFeatures, splitFeatures } from './feature-chunks.js';

/** The index listing stories by date; `infra/constructs/story-table.ts` imports it. */
export const BY_DATE_INDEX = 'byDate';
/** The index listing stories by first publication (`createdAt`), for the email editions. */
export const BY_CREATED_INDEX = 'byCreated';
const CANDIDATE_QUERIES_IN_FLIGHT = 16;
/** Largest plan JSON kept on one item, leaving room under DynamoDB's 400 KB item limit. */
export const PLAN_ITEM_BYTES = 350 * 1024;

export class PlanPartsMissingError extends Error {
  constructor(part: number) {
    super(`the stored ingest plan is incomplete: part ${part} is missing or the parts are the wrong size`);
    this.name = 'PlanPartsMissingError';
  }
}

export interface QuarantinedObject {
  key: string;
  version: string;
  code: string;
  message: string;
}

const fingerprintKey = (fp: number) => `FP#${fp.toString(16).padStart(8, '0')}`;
const docKey = (docId: string) => `DOC#${docId}`;
const storyKey = (id: string) => ({ pk: `STORY#${id}`, sk: 'STORY' });
const featKey = (docId: string, n: number) => ({ pk: docKey(docId), sk: `FEAT#${n}` });

function toObjectRecord(item: Item): ObjectRecord {
  return {
    key: String(item.sk),
    version: String(item.version),
    etag: String(item.etag ?? ''),
    sequencer: String(item.sequencer ?? ''),
    status: item.status as ObjectRecord['status'],
    docId: String(item.docId),
    firstSeen: String(item.firstSeen),
  };
}

/** Fields in `StoryItem` declaration order and evidence by key, so equal stories serialise equally. */
function toStory(item: Item): StoryItem {
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
    id: String(item.id),
    createdAt: String(item.createdAt),
  };
}

/** The packed features of a doc: on its head item, or joined from its chunk items. */
function storedFeatures(docId: string, head: Item, items: Item[]): Uint8Array {
  if (head.feat instanceof Uint8Array) return head.feat;
  const parts = new Map<number, Uint8Array>();
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith('FEAT#') && item.part instanceof Uint8Array) parts.set(Number(sk.slice(5)), item.part);
  }
  return joinFeatures(docId, parts, Number(head.chunks ?? 0), Number(head.featBytes ?? 0));
}

/** The edition function uses it as `StoryFeed` and `SiteRefresh`: it reads and nudges the story table too. */
export class DynamoStore implements IngestStore, PublishStore, StoryFeed, SiteRefresh {
  private readonly table: DynamoTable;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.table = new DynamoTable(client, tableName);
  }

  // --- object records -------------------------------------------------------------------------

  async getObject(key: string): Promise<ObjectRecord | undefined> {
    const item = await this.get({ pk: 'OBJ', sk: key });
    return item && toObjectRecord(item);
  }

  putObjectIf(record: ObjectRecord, previous: ObjectRecord | undefined): Promise<boolean> {
    const { key, ...fields } = record;
    return this.table.putIf(
      { pk: 'OBJ', sk: key, ...fields },
      previous
        ? {
            ConditionExpression: '#v = :v AND #s = :s',
            ExpressionAttributeNames: { '#v': 'version', '#s': 'sequencer' },
            ExpressionAttributeValues: { ':v': previous.version, ':s': previous.sequencer },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  /** Every object record (for the reconciler). */
  async records(): Promise<ObjectRecord[]> {
    return (await this.queryPartition('OBJ')).map(toObjectRecord);
  }

  // --- quarantine -----------------------------------------------------------------------------

  async quarantine(key: string, version: string, diagnostic: Diagnostic): Promise<void> {
    await this.put({
      pk: 'QUARANTINE',
      sk: key,
      version,
      code: diagnostic.code,
      message: diagnostic.message,
    });
  }

  async releaseQuarantine(key: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: 'QUARANTINE', sk: key } }),
    );
  }

  async quarantined(): Promise<QuarantinedObject[]> {
    return (await this.queryPartition('QUARANTINE')).map((item) => ({
      key: String(item.sk),
      version: String(item.version),
      code: String(item.code),
      message: String(item.message),
    }));
  }

  // --- docs -----------------------------------------------------------------------------------

  async getDoc(docId: string): Promise<DocItem | undefined> {
    const items = await this.queryPartition(docKey(docId));
    const head = items.find((item) => item.sk === 'DOC');
    if (!head) return undefined;
    const features = decodePack(storedFeatures(docId, head, items)).get(0);
    if (!features) throw new DocChunksMissingError(docId, 'no features in the pack');
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
    return doc;
  }

  async putDoc(doc: DocItem): Promise<void> {
    const { tokens, lineEnds, fps, entities, particulars, flags } = doc;
    const packed = encodePack(new Map([[0, { tokens, lineEnds, fps, entities, particulars, flags }]]));
    const head: Item = {
      pk: docKey(doc.docId),
      sk: 'DOC',
      key: doc.key,
      seq: doc.seq,
      storyId: doc.storyId,
      date: doc.date,
      title: doc.title,
    };
    if (doc.undated) head.undated = true;
    if (doc.version !== undefined) head.version = doc.version;
    const parts = splitFeatures(packed);
    if (parts.length) {
      // Chunks first: the head names how many to read, so it must never point at missing ones.
      await batchWriteAll(
        this.client,
        this.tableName,
        parts.map((part, n): WriteRequest => ({ PutRequest: { Item: { ...featKey(doc.docId, n), part } } })),
      );
      head.chunks = parts.length;
      head.featBytes = packed.length;
    } else {
      head.feat = packed;
    }
    const { Attributes: old } = await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: head, ReturnValues: 'ALL_OLD' }),
    );
    await this.deleteChunks(doc.docId, parts.length, Number(old?.chunks ?? 0));
  }

  async setDocStory(docId: string, storyId: string): Promise<void> {
    // Conditional: an update would otherwise create a head without features for a doc deleted since.
    await applied(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: docKey(docId), sk: 'DOC' },
          UpdateExpression: 'SET #story = :story',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#story': 'storyId' },
          ExpressionAttributeValues: { ':story': storyId },
        }),
      ),
    );
  }

  async deleteDoc(docId: string): Promise<void> {
    const { Attributes: old } = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: docKey(docId), sk: 'DOC' },
        ReturnValues: 'ALL_OLD',
      }),
    );
    await this.deleteChunks(docId, 0, Number(old?.chunks ?? 0));
  }

  /** Deletes chunk items `from` (inclusive) to `to` (exclusive): what a smaller rewrite left behind. */
  private async deleteChunks(docId: string, from: number, to: number): Promise<void> {
    const requests: WriteRequest[] = [];
    for (let n = from; n < to; n++) requests.push({ DeleteRequest: { Key: featKey(docId, n) } });
    if (requests.length) await batchWriteAll(this.client, this.tableName, requests);
  }

  // --- postings -------------------------------------------------------------------------------

  async addPostings(docId: string, fps: Uint32Array, keys: number): Promise<void> {
    const requests = [...new Set(fps)].map(
      (fp): WriteRequest => ({ PutRequest: { Item: { pk: fingerprintKey(fp), sk: docId, keys } } }),
    );
    await batchWriteAll(this.client, this.tableName, requests);
  }

  async removePostings(docId: string, fps: Uint32Array): Promise<void> {
    const requests = [...new Set(fps)].map(
      (fp): WriteRequest => ({ DeleteRequest: { Key: { pk: fingerprintKey(fp), sk: docId } } }),
    );
    await batchWriteAll(this.client, this.tableName, requests);
  }

  async candidates(fps: Uint32Array): Promise<CandidateHit[]> {
    const found = new Map<string, CandidateHit>();
    await mapLimit([...new Set(fps)], CANDIDATE_QUERIES_IN_FLIGHT, async (fp) => {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': fingerprintKey(fp) },
          ProjectionExpression: 'sk, #keys',
          ExpressionAttributeNames: { '#keys': 'keys' },
          Limit: DEFAULT_POSTING_CAP + 1,
          ConsistentRead: true,
        }),
      );
      const items = page.Items ?? [];
      // A fingerprint carried by more docs than the cap (the local index's too) is frequent: evidence of
      // nothing. Docs returned per fingerprint are capped, so a lookup costs the same however large the corpus.
      if (items.length > DEFAULT_POSTING_CAP) return;
      for (const item of items) {
        const docId = String(item.sk);
        const hit = found.get(docId);
        if (hit) hit.shared++;
        else found.set(docId, { docId, shared: 1, keys: Number(item.keys ?? 0) });
      }
    });
    return [...found.values()].sort((a, b) => (a.docId < b.docId ? -1 : 1));
  }

  // --- stories and dirty marks ----------------------------------------------------------------

  async getStory(id: string): Promise<StoryItem | undefined> {
    const item = await this.get(storyKey(id));
    return item && toStory(item);
  }

  async putStory(story: StoryItem): Promise<void> {
    const current = await this.get(storyKey(story.id));
    await this.put({
      ...storyKey(story.id),
      ...story,
      gsi1pk: 'STORY',
      gsi1sk: `${story.date}#${story.id}`,
      gsi2pk: 'CREATED',
      gsi2sk: `${story.createdAt}#${story.id}`,
    });
    await this.markDirty(story.id, current && { slug: String(current.slug), date: String(current.date) });
  }

  async deleteStory(story: StoryItem): Promise<void> {
    const { Attributes: old } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: storyKey(story.id), ReturnValues: 'ALL_OLD' }),
    );
    const gone = old
      ? { slug: String(old.slug), date: String(old.date) }
      : { slug: story.slug, date: story.date };
    await this.markDirty(story.id, gone);
  }

  /**
   * A fresh token on every mark, so the publisher's conditional clear never drops a newer one; the
   * previous version is kept from the first unpublished change, since that one is what the site shows.
   */
  private async markDirty(
    storyId: string,
    previous: { slug: string; date: string } | undefined,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: 'DIRTY', sk: storyId },
        UpdateExpression: previous
          ? 'SET #token = :token, #previous = if_not_exists(#previous, :prev)'
          : 'SET #token = :token',
        ExpressionAttributeNames: { '#token': 'token', ...(previous ? { '#previous': 'previous' } : {}) },
        ExpressionAttributeValues: { ':token': randomUUID(), ...(previous ? { ':prev': previous } : {}) },
      }),
    );
  }

  async dirty(limit: number): Promise<DirtyMark[]> {
    return (await this.queryPartition('DIRTY', limit)).map((item) => {
      const mark: DirtyMark = { storyId: String(item.sk), token: String(item.token) };
      const previous = item.previous as { slug?: unknown; date?: unknown } | undefined;
      if (previous) mark.previous = { slug: String(previous.slug), date: String(previous.date) };
      return mark;
    });
  }

  async clearDirty(mark: DirtyMark): Promise<void> {
    await applied(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: 'DIRTY', sk: mark.storyId },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': mark.token },
        }),
      ),
    );
  }

  /**
   * The publisher renders the home page when a story is marked dirty, and wakes on writes to story
   * items (its stream filter): so a dirty mark for the edition's lead story, then a touch of that
   * story item (an attribute naming the edition, which no page shows). The mark is the one `putStory`
   * writes, and any `previous` already there is kept.
   */
  async requestIndexRender(storyId: string, editionId: string): Promise<void> {
    await this.markDirty(storyId, undefined);
    // False when the story was deleted since: its deletion woke the publisher, which will see our mark.
    await applied(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: storyKey(storyId),
          UpdateExpression: 'SET #edition = :edition',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#edition': 'digestEdition' },
          ExpressionAttributeValues: { ':edition': editionId },
        }),
      ),
    );
  }

  // --- story listings (the byDate index) ------------------------------------------------------

  /**
   * The index orders equal dates by id descending, `compareStories` by id ascending: reads on past
   * `limit` while the items keep the date of the last one wanted, so every tie is in hand to sort.
   */
  async newest(limit: number): Promise<StoryItem[]> {
    if (limit <= 0) return [];
    const items: StoryItem[] = [];
    for await (const page of this.table.pages({
      IndexName: BY_DATE_INDEX,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'STORY' },
      ScanIndexForward: false,
      Limit: limit + 1,
    })) {
      for (const item of page.Items ?? []) items.push(toStory(item));
      if (items.length > limit && items[items.length - 1]!.date !== items[limit - 1]!.date) break;
    }
    const boundary = items[limit - 1]?.date;
    return items
      .filter((story, i) => i < limit || story.date === boundary)
      .sort(compareStories)
      .slice(0, limit);
  }

  async month(month: string): Promise<StoryItem[]> {
    if (!/^\d{4}-\d{2}$/.test(month)) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
    const items = await this.queryAll({
      IndexName: BY_DATE_INDEX,
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :m)',
      ExpressionAttributeValues: { ':p': 'STORY', ':m': month },
    });
    return items.map(toStory).sort(compareStories);
  }

  async months(): Promise<Array<{ month: string; count: number }>> {
    const items = await this.queryAll({
      IndexName: BY_DATE_INDEX,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'STORY' },
      ProjectionExpression: 'gsi1sk',
    });
    const counts = new Map<string, number>();
    for (const item of items) {
      const month = String(item.gsi1sk).slice(0, 7);
      counts.set(month, (counts.get(month) ?? 0) + 1);
    }
    return [...counts]
      .map(([month, count]) => ({ month, count }))
      .sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0));
  }

  /**
   * Stories whose createdAt is in (`after`, `upTo`] (no lower bound without `after`), the most
   * recently created first, at most `limit`. Every key `<createdAt>#<id>` sorts below
   * `<createdAt>$` (`$` follows `#`), so BETWEEN `<after>$` AND `<upTo>$` is exactly that window;
   * createdAt and the bounds are `toISOString()` text, which sorts as time does.
   */
  async createdBetween(after: string | undefined, upTo: string, limit: number): Promise<StoryItem[]> {
    const items = await this.queryAll(
      {
        IndexName: BY_CREATED_INDEX,
        KeyConditionExpression:
          after === undefined
            ? 'gsi2pk = :p AND gsi2sk <= :hi'
            : 'gsi2pk = :p AND gsi2sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':p': 'CREATED',
          ':hi': `${upTo}$`,
          ...(after === undefined ? {} : { ':lo': `${after}$` }),
        },
        ScanIndexForward: false,
      },
      limit,
    );
    return items.map(toStory);
  }

  // --- counter, lease, render key -------------------------------------------------------------

  async nextSeq(): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: 'COUNTER', sk: 'SEQ' },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.n);
  }

  acquireLease(owner: string, ttlMs: number, now: Date): Promise<boolean> {
    return applied(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: 'LEASE', sk: 'DEDUP', owner, expiresAt: now.getTime() + ttlMs },
          ConditionExpression: 'attribute_not_exists(pk) OR #expires < :now OR #owner = :me',
          ExpressionAttributeNames: { '#expires': 'expiresAt', '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': now.getTime(), ':me': owner },
        }),
      ),
    );
  }

  async releaseLease(owner: string): Promise<void> {
    // False when someone else holds it now (ours expired): theirs must stay.
    await applied(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: 'LEASE', sk: 'DEDUP' },
          ConditionExpression: '#owner = :me',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':me': owner },
        }),
      ),
    );
  }

  // --- the plan of the ingest in progress ---------------------------------------------------------

  async getPlan(): Promise<IngestPlan | undefined> {
    const items = await this.queryPartition('PLAN');
    const head = items.find((item) => item.sk === 'HEAD');
    if (!head) return undefined;
    if (typeof head.plan === 'string') return JSON.parse(head.plan) as IngestPlan;
    const prefix = `PART#${String(head.planId)}#`;
    const parts = new Map<number, Uint8Array>();
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith(prefix) && item.part instanceof Uint8Array)
        parts.set(Number(sk.slice(prefix.length)), item.part);
    }
    const bytes = Number(head.bytes ?? 0);
    const json = new Uint8Array(bytes);
    let offset = 0;
    for (let n = 0; n < Number(head.parts ?? 0); n++) {
      const part = parts.get(n);
      if (!part || offset + part.length > bytes) throw new PlanPartsMissingError(n);
      json.set(part, offset);
      offset += part.length;
    }
    if (offset !== bytes) throw new PlanPartsMissingError(Number(head.parts ?? 0));
    return JSON.parse(new TextDecoder().decode(json)) as IngestPlan;
  }

  /**
   * One put when the plan fits an item (nearly always); else its parts first and the head naming them
   * last, so a head never points at missing parts. Parts of a head that was never written (the
   * writer died between the two) are never read.
   */
  async putPlan(plan: IngestPlan): Promise<void> {
    const json = new TextEncoder().encode(JSON.stringify(plan));
    if (json.length <= PLAN_ITEM_BYTES) {
      await this.put({ pk: 'PLAN', sk: 'HEAD', plan: new TextDecoder().decode(json) });
      return;
    }
    const planId = randomUUID();
    const requests: WriteRequest[] = [];
    for (let at = 0, n = 0; at < json.length; at += PLAN_ITEM_BYTES, n++) {
      const part = json.slice(at, at + PLAN_ITEM_BYTES);
      requests.push({ PutRequest: { Item: { pk: 'PLAN', sk: `PART#${planId}#${n}`, part } } });
    }
    await batchWriteAll(this.client, this.tableName, requests);
    await this.put({ pk: 'PLAN', sk: 'HEAD', planId, parts: requests.length, bytes: json.length });
  }

  async deletePlan(): Promise<void> {
    const { Attributes: head } = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: 'PLAN', sk: 'HEAD' },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const requests: WriteRequest[] = [];
    for (let n = 0; n < Number(head?.parts ?? 0); n++) {
      requests.push({ DeleteRequest: { Key: { pk: 'PLAN', sk: `PART#${String(head?.planId)}#${n}` } } });
    }
    if (requests.length) await batchWriteAll(this.client, this.tableName, requests);
  }

  async getRenderKey(): Promise<string | undefined> {
    const item = await this.get({ pk: 'SITE', sk: 'RENDER' });
    return typeof item?.key === 'string' ? item.key : undefined;
  }

  async setRenderKey(key: string): Promise<void> {
    await this.put({ pk: 'SITE', sk: 'RENDER', key });
  }

  async startPublish(): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'SITE', sk: 'PUBLISHING', startedAt: new Date().toISOString() },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async finishPublish(): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: 'SITE', sk: 'PUBLISHING' } }),
    );
  }

  // --- plumbing -------------------------------------------------------------------------------

  private get(key: TableKey): Promise<Item | undefined> {
    return this.table.get(key);
  }

  private put(item: Item): Promise<void> {
    return this.table.put(item);
  }

  private queryPartition(pk: string, limit?: number): Promise<Item[]> {
    return this.table.query(
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true },
      limit,
    );
  }

  private queryAll(input: QueryInput, limit?: number): Promise<Item[]> {
    return this.table.query(input, limit);
  }
}
