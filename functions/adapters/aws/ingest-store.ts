/**
 * The ingest function's port over the story table (`IngestStore`), with conditional writes only (no
 * transactions). Object records and quarantine, docs, postings and the plan are in `object-items.ts`,
 * `doc-items.ts`, `posting-items.ts` and `plan-items.ts`; the item layout, keys and mappings in
 * `story-items.ts`.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { DocItem, IngestPlan, IngestStore, ObjectRecord, StoryItem } from '../../core/cloud/ports.js';
import type { Diagnostic } from '../../core/model.js';
import type { CandidateHit, Posting } from '../../core/stories/assign-stories.js';
import { DynamoDocs } from './doc-items.js';
import type { DynamoTable } from './dynamo-table.js';
import { DynamoObjects } from './object-items.js';
import { DynamoPlans } from './plan-items.js';
import { DynamoPostings } from './posting-items.js';
import { markDirty, publishedAs, readStory, storyKey } from './story-items.js';

const LEASE_KEY = { pk: 'LEASE', sk: 'DEDUP' };

export class DynamoIngestStore implements IngestStore {
  private readonly objects: DynamoObjects;
  private readonly docs: DynamoDocs;
  private readonly postingItems: DynamoPostings;
  private readonly plans: DynamoPlans;

  constructor(private readonly table: DynamoTable) {
    this.objects = new DynamoObjects(table);
    this.docs = new DynamoDocs(table);
    this.postingItems = new DynamoPostings(table);
    this.plans = new DynamoPlans(table);
  }

  // --- object records and quarantine (`object-items.ts`) ---------------------------------------

  getObject(key: string): Promise<ObjectRecord | undefined> {
    return this.objects.getObject(key);
  }

  putObjectIf(record: ObjectRecord, previous: ObjectRecord | undefined): Promise<boolean> {
    return this.objects.putObjectIf(record, previous);
  }

  quarantine(key: string, version: string, diagnostic: Diagnostic): Promise<void> {
    return this.objects.quarantine(key, version, diagnostic);
  }

  releaseQuarantine(key: string): Promise<void> {
    return this.objects.releaseQuarantine(key);
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

  // --- stories, each write marked dirty for the publisher ---------------------------------------

  getStory(id: string): Promise<StoryItem | undefined> {
    return readStory(this.table, id);
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
    await markDirty(this.table, story.id, current && publishedAs(current));
  }

  async deleteStory(story: StoryItem): Promise<void> {
    const { Attributes: old } = await this.table.client.send(
      new DeleteCommand({ TableName: this.table.name, Key: storyKey(story.id), ReturnValues: 'ALL_OLD' }),
    );
    await markDirty(this.table, story.id, publishedAs(old ?? story));
  }

  // --- counter and lease ------------------------------------------------------------------------

  async nextSeq(): Promise<number> {
    const updated = await this.table.update(
      { pk: 'COUNTER', sk: 'SEQ' },
      {
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      },
    );
    return Number(updated?.n);
  }

  acquireLease(owner: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.table.putIf(
      { ...LEASE_KEY, owner, expiresAt: now.getTime() + ttlMs },
      {
        ConditionExpression: 'attribute_not_exists(pk) OR #expires < :now OR #owner = :me',
        ExpressionAttributeNames: { '#expires': 'expiresAt', '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': now.getTime(), ':me': owner },
      },
    );
  }

  async releaseLease(owner: string): Promise<void> {
    // False when someone else holds it now (ours expired): theirs must stay.
    await this.table.delete(LEASE_KEY, {
      ConditionExpression: '#owner = :me',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':me': owner },
    });
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
}
