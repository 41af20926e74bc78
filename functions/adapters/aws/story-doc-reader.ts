/**
 * Stories and docs of the story table read with GetItem only, for the edition function, whose grant
 * on that table is GetItem (and Query on `byCreated`): a doc is its head item, and for large features
 * its chunk items, each read by key (layout in `story-items.ts`).
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DocItem, StoryItem } from '../../core/cloud/ports.js';
import type { StoryDocs } from '../../core/email/mailed-stories.js';
import { decodeDoc } from '../../core/stories/shingle-pack.js';
import { DynamoTable, type Item } from './dynamo-table.js';
import { docKey, featKey, storedFeatures, storyKey, toDocItem, toStory } from './story-items.js';

export class DynamoStoryDocReader implements StoryDocs {
  private readonly table: DynamoTable;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.table = new DynamoTable(client, tableName);
  }

  async getStory(id: string): Promise<StoryItem | undefined> {
    const item = await this.table.get(storyKey(id));
    return item && toStory(item);
  }

  async getDoc(docId: string): Promise<DocItem | undefined> {
    const head = await this.table.get({ pk: docKey(docId), sk: 'DOC' });
    if (!head) return undefined;
    const chunks: Item[] = [];
    for (let n = 0; n < Number(head.chunks ?? 0); n++) {
      const chunk = await this.table.get(featKey(docId, n));
      if (chunk) chunks.push(chunk);
    }
    return toDocItem(docId, head, decodeDoc(storedFeatures(docId, head, chunks)));
  }
}
