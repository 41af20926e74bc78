/**
 * The sent editions for the site's digest archive, read from the `EDITION` partition of the email
 * table (`edition-store.ts` describes the keys). Only that partition: the publish function's grant
 * is limited to it (`dynamodb:LeadingKeys`), so it can read no subscriber and no send record.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SentEdition, SentEditions } from '../../core/cloud/ports.js';
import { archivePathFor } from '../../core/email/edition-content.js';
import { DynamoTable } from './dynamo-table.js';
import { EDITION_PARTITION } from './edition-store.js';

export class DynamoSentEditions implements SentEditions {
  private readonly table: DynamoTable;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.table = new DynamoTable(client, tableName);
  }

  async sent(): Promise<SentEdition[]> {
    // Edition ids sort by time: the partition read forwards is oldest first.
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#status = :sent',
      ProjectionExpression: 'sk, scheduledTime, subject, storyIds',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': EDITION_PARTITION, ':sent': 'sent' },
      // The edition function marks an edition sent just before it wakes the publisher.
      ConsistentRead: true,
    });
    return items.map((item) => {
      const id = String(item.sk);
      return {
        id,
        scheduledTime: String(item.scheduledTime),
        subject: typeof item.subject === 'string' ? item.subject : id,
        storyIds: Array.isArray(item.storyIds) ? item.storyIds.map(String) : [],
        path: archivePathFor(id),
      };
    });
  }
}
