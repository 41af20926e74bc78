import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '../../functions/adapters/aws/dynamo-table.js';
import { DynamoIngestStore } from '../../functions/adapters/aws/ingest-store.js';
import { DynamoObjects } from '../../functions/adapters/aws/object-items.js';
import { DynamoPublishStore } from '../../functions/adapters/aws/publish-store.js';
import { DynamoSiteRefresh } from '../../functions/adapters/aws/site-refresh.js';
import { DynamoStoryListings } from '../../functions/adapters/aws/story-listings.js';

/** Every adapter over one story table, one per port, as the composition roots build them. */
export interface StoryTable {
  ingest: DynamoIngestStore;
  publish: DynamoPublishStore;
  objects: DynamoObjects;
  listings: DynamoStoryListings;
  refresh: DynamoSiteRefresh;
}

export function storyTable(client: DynamoDBDocumentClient, name: string): StoryTable {
  const table = new DynamoTable(client, name);
  return {
    ingest: new DynamoIngestStore(table),
    publish: new DynamoPublishStore(table),
    objects: new DynamoObjects(table),
    listings: new DynamoStoryListings(table),
    refresh: new DynamoSiteRefresh(table),
  };
}
