import type { StoryItem } from '../../core/cloud/ports.js';
import type { StoryFeed } from '../../core/email/edition-ports.js';
import { compareStories } from '../../core/stories/story-view.js';
import type { DynamoTable } from './dynamo-table.js';
import { BY_CREATED_INDEX, BY_DATE_INDEX, toStory } from './story-items.js';

/**
 * Story listings from the indexes: by date (`byDate`, the site: `DynamoPublishStore` serves them) and
 * by first publication (`byCreated`): the edition function's `StoryFeed`.
 */
export class DynamoStoryListings implements StoryFeed {
  constructor(private readonly table: DynamoTable) {}

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
    const items = await this.table.query({
      IndexName: BY_DATE_INDEX,
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :m)',
      ExpressionAttributeValues: { ':p': 'STORY', ':m': month },
    });
    return items.map(toStory).sort(compareStories);
  }

  async months(): Promise<Array<{ month: string; count: number }>> {
    const items = await this.table.query({
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
    const items = await this.table.query(
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
}
