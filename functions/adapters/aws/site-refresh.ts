import type { SiteRefresh } from '../../core/email/edition-ports.js';
import { applied } from './conditional.js';
import type { DynamoTable } from './dynamo-table.js';
import { markDirty, storyKey } from './story-items.js';

/** The edition function's nudge to the site publisher (`SiteRefresh`), through the story table. */
export class DynamoSiteRefresh implements SiteRefresh {
  constructor(private readonly table: DynamoTable) {}

  /**
   * The publisher renders the home page when a story is marked dirty, and wakes on writes to story
   * items (its stream filter): so a dirty mark for the edition's lead story, then a touch of that
   * story item (an attribute naming the edition, which no page shows). The mark is the one
   * `DynamoIngestStore.putStory` writes, and any `previous` already there is kept.
   */
  async requestIndexRender(storyId: string, editionId: string): Promise<void> {
    await markDirty(this.table, storyId, undefined);
    // False when the story was deleted since: its deletion woke the publisher, which will see our mark.
    await applied(
      this.table.update(storyKey(storyId), {
        UpdateExpression: 'SET #edition = :edition',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#edition': 'digestEdition' },
        ExpressionAttributeValues: { ':edition': editionId },
      }),
    );
  }
}
