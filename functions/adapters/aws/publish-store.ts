/**
 * The publish function's port over the story table (`PublishStore`), plus the render key its deps
 * read and write (`PublishDeps.getRenderKey`/`setRenderKey`): the dirty marks ingest and the edition
 * leave, the stories and their listings (`story-listings.ts`), and the record of a publish in progress.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DirtyMark, PublishStore, StoryItem } from '../../core/cloud/ports.js';
import type { DynamoTable, Item } from './dynamo-table.js';
import { publishedAs, queryPartition, readStory } from './story-items.js';
import { DynamoStoryListings } from './story-listings.js';

const RENDER_KEY = { pk: 'SITE', sk: 'RENDER' };
const PUBLISHING_KEY = { pk: 'SITE', sk: 'PUBLISHING' };

export class DynamoPublishStore implements PublishStore {
  private readonly listings: DynamoStoryListings;

  constructor(private readonly table: DynamoTable) {
    this.listings = new DynamoStoryListings(table);
  }

  async dirty(limit: number): Promise<DirtyMark[]> {
    return (await queryPartition(this.table, 'DIRTY', limit)).map((item) => {
      const mark: DirtyMark = { storyId: String(item.sk), token: String(item.token) };
      if (item.previous) mark.previous = publishedAs(item.previous as Item);
      return mark;
    });
  }

  async clearDirty(mark: DirtyMark): Promise<void> {
    // False when the story was marked again since: the newer mark stays.
    await this.table.delete(
      { pk: 'DIRTY', sk: mark.storyId },
      {
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': mark.token },
      },
    );
  }

  getStory(id: string): Promise<StoryItem | undefined> {
    return readStory(this.table, id);
  }

  newest(limit: number): Promise<StoryItem[]> {
    return this.listings.newest(limit);
  }

  month(month: string): Promise<StoryItem[]> {
    return this.listings.month(month);
  }

  months(): Promise<Array<{ month: string; count: number }>> {
    return this.listings.months();
  }

  async getRenderKey(): Promise<string | undefined> {
    const item = await this.table.get(RENDER_KEY);
    return typeof item?.key === 'string' ? item.key : undefined;
  }

  async setRenderKey(key: string): Promise<void> {
    await this.table.put({ ...RENDER_KEY, key });
  }

  async startPublish(): Promise<boolean> {
    const { Attributes } = await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...PUBLISHING_KEY, startedAt: new Date().toISOString() },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async finishPublish(): Promise<void> {
    await this.table.delete(PUBLISHING_KEY);
  }
}
