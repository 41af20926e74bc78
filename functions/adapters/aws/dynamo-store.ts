/**
 * The cloud path's stored state in one DynamoDB table, with conditional writes only (no transactions).
 * Docs, postings, the ingest plan and the listings are in `doc-items.ts`, `posting-items.ts`,
 * `plan-items.ts` and `story-listings.ts`; the item layout, keys and mappings in `story-items.ts`.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  DirtyMark,
  DocItem,
  IngestPlan,
  IngestStore,
  ObjectRecord,
  PublishStore,
  StoryItem,
} from '../../core/cloud/ports.js';
import type { SiteRefresh, StoryFeed } from '../../core/email/edition-ports.js';
import type { Diagnostic } from '../../core/model.js';
import type { CandidateHit, Posting } from '../../core/stories/assign-stories.js';
import { applied } from './conditional.js';
import { DynamoDocs } from './doc-items.js';
import { DynamoTable, type Item } from './dynamo-table.js';
import { DynamoPlans } from './plan-items.js';
import { DynamoPostings } from './posting-items.js';
import {
  publishedAs,
  type QuarantinedObject,
  queryPartition,
  storyKey,
  toObjectRecord,
  toStory,
} from './story-items.js';
import { DynamoStoryListings } from './story-listings.js';

export {
  BY_CREATED_INDEX,
  BY_DATE_INDEX,
  PLAN_ITEM_BYTES,
  PlanPartsMissingError,
  type QuarantinedObject,
} from './story-items.js';

/** The edition function uses it as `StoryFeed` and `SiteRefresh`: it reads and nudges the story table too. */
export class DynamoStore implements IngestStore, PublishStore, StoryFeed, SiteRefresh {
  private readonly table: DynamoTable;
  private readonly docs: DynamoDocs;
  private readonly postingItems: DynamoPostings;
  private readonly plans: DynamoPlans;
  private readonly listings: DynamoStoryListings;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.table = new DynamoTable(client, tableName);
    this.docs = new DynamoDocs(this.table);
    this.postingItems = new DynamoPostings(this.table);
    this.plans = new DynamoPlans(this.table);
    this.listings = new DynamoStoryListings(this.table);
  }

  // --- object records -------------------------------------------------------------------------

  async getObject(key: string): Promise<ObjectRecord | undefined> {
    const item = await this.table.get({ pk: 'OBJ', sk: key });
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
    await this.table.put({
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

  // --- docs (`doc-items.ts`) ------------------------------------------------------------------

  getDoc(docId: string): Promise<DocItem | undefined> {
    return this.docs.getDoc(docId);
  }

  putDoc(doc: DocItem): Promise<void> {
    return this.docs.putDoc(doc);
  }

  setDocStory(docId: string, storyId: string): Promise<void> {
    return this.docs.setDocStory(docId, storyId);
  }

  deleteDoc(docId: string): Promise<void> {
    return this.docs.deleteDoc(docId);
  }

  // --- postings (`posting-items.ts`) -------------------------------------------------------------

  addPostings(docId: string, fps: Uint32Array, keys: number): Promise<void> {
    return this.postingItems.addPostings(docId, fps, keys);
  }

  removePostings(docId: string, fps: Uint32Array): Promise<void> {
    return this.postingItems.removePostings(docId, fps);
  }

  candidates(fps: Uint32Array): Promise<CandidateHit[]> {
    return this.postingItems.candidates(fps);
  }

  postings(fps: Uint32Array): Promise<Map<number, Posting[]>> {
    return this.postingItems.postings(fps);
  }

  // --- stories and dirty marks ----------------------------------------------------------------

  async getStory(id: string): Promise<StoryItem | undefined> {
    const item = await this.table.get(storyKey(id));
    return item && toStory(item);
  }

  async putStory(story: StoryItem): Promise<void> {
    const current = await this.table.get(storyKey(story.id));
    await this.table.put({
      ...storyKey(story.id),
      ...story,
      gsi1pk: 'STORY',
      gsi1sk: `${story.date}#${story.id}`,
      gsi2pk: 'CREATED',
      gsi2sk: `${story.createdAt}#${story.id}`,
    });
    await this.markDirty(story.id, current && publishedAs(current));
  }

  async deleteStory(story: StoryItem): Promise<void> {
    const { Attributes: old } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: storyKey(story.id), ReturnValues: 'ALL_OLD' }),
    );
    const gone = publishedAs(old ?? story);
    await this.markDirty(story.id, gone);
  }

  /**
   * A fresh token on every mark, so the publisher's conditional clear never drops a newer one; the
   * previous version is kept from the first unpublished change, since that one is what the site shows.
   */
  private async markDirty(storyId: string, previous: DirtyMark['previous']): Promise<void> {
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
      if (item.previous) mark.previous = publishedAs(item.previous as Item);
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

  // --- story listings (`story-listings.ts`) -----------------------------------------------------

  newest(limit: number): Promise<StoryItem[]> {
    return this.listings.newest(limit);
  }

  month(month: string): Promise<StoryItem[]> {
    return this.listings.month(month);
  }

  months(): Promise<Array<{ month: string; count: number }>> {
    return this.listings.months();
  }

  createdBetween(after: string | undefined, upTo: string, limit: number): Promise<StoryItem[]> {
    return this.listings.createdBetween(after, upTo, limit);
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

  // --- the plan of the ingest in progress (`plan-items.ts`) -------------------------------------

  getPlan(): Promise<IngestPlan | undefined> {
    return this.plans.getPlan();
  }

  putPlan(plan: IngestPlan): Promise<void> {
    return this.plans.putPlan(plan);
  }

  deletePlan(): Promise<void> {
    return this.plans.deletePlan();
  }

  async getRenderKey(): Promise<string | undefined> {
    const item = await this.table.get({ pk: 'SITE', sk: 'RENDER' });
    return typeof item?.key === 'string' ? item.key : undefined;
  }

  async setRenderKey(key: string): Promise<void> {
    await this.table.put({ pk: 'SITE', sk: 'RENDER', key });
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

  private queryPartition(pk: string, limit?: number): Promise<Item[]> {
    return queryPartition(this.table, pk, limit);
  }
}
