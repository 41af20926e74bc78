/**
 * What the edition function reads of, and writes to, the story table: stories by first publication
 * (`DynamoStore.createdBetween` on the `byCreated` index), and a nudge for the site publisher once
 * an edition is sent.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoryItem } from '../../core/cloud/ports.js';
import type { SiteRefresh, StoryFeed } from '../../core/email/edition-ports.js';
import { DynamoStore } from './dynamo-store.js';

const isConditionFailed = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export class DynamoStoryFeed implements StoryFeed, SiteRefresh {
  readonly #store: DynamoStore;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.#store = new DynamoStore(client, tableName);
  }

  createdBetween(after: string | undefined, upTo: string, limit: number): Promise<StoryItem[]> {
    return this.#store.createdBetween(after, upTo, limit);
  }

  /**
   * The publisher renders the home page when a story is marked dirty, and wakes on writes to story
   * items (its stream filter): so a dirty mark for the edition's lead story, then a touch of that
   * story item (an attribute naming the edition, which no page shows). The mark is the one
   * `DynamoStore.putStory` writes: a fresh token, so the publisher's conditional clear never drops
   * a newer mark, and any `previous` already there is kept.
   */
  async requestIndexRender(storyId: string, editionId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: 'DIRTY', sk: storyId },
        UpdateExpression: 'SET #token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': randomUUID() },
      }),
    );
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `STORY#${storyId}`, sk: 'STORY' },
          UpdateExpression: 'SET #edition = :edition',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#edition': 'digestEdition' },
          ExpressionAttributeValues: { ':edition': editionId },
        }),
      );
    } catch (error) {
      // The story was deleted since: its deletion woke the publisher, which will see our mark.
      if (!isConditionFailed(error)) throw error;
    }
  }
}
