/**
 * The small DynamoDB table helper every adapter here stands on: a consistent get, a put, a
 * conditional put or delete whose refusal is an answer (`false`), an update, and queries and scans
 * that follow pagination. The pagination loop lives here once (`paginate`); an adapter that stops
 * early (a lookback, a tie at a page boundary) iterates `pages` and breaks, one that hands a cursor
 * to its caller reads one `page` at a time.
 */
import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { applied } from './conditional.js';

export type Item = Record<string, unknown>;
export type TableKey = { pk: string; sk: string };
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;
export type ScanInput = Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>;
type Condition<T> = Omit<T, 'TableName' | 'Key' | 'Item'>;

/**
 * Largest payload (packed features, a plan's JSON) kept on one item, leaving room for the item's
 * other attributes under DynamoDB's 400 KB item limit; larger ones are cut into parts of this size.
 */
export const ITEM_PART_BYTES = 350 * 1024;

/** The one pagination loop: page after page from where the last ended, until none is left or the caller stops. */
async function* paginate<P extends { LastEvaluatedKey?: Item }>(
  read: (start: Item | undefined) => Promise<P>,
): AsyncGenerator<P> {
  let start: Item | undefined;
  do {
    const page = await read(start);
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}

export class DynamoTable {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** Strongly consistent: adapters read back what they just wrote. */
  async get(key: TableKey): Promise<Item | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  async put(item: Item): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.name, Item: item }));
  }

  /** True when written, false when the condition did not hold. */
  putIf(item: Item, condition: Condition<PutCommandInput>): Promise<boolean> {
    return applied(this.client.send(new PutCommand({ TableName: this.name, Item: item, ...condition })));
  }

  /** True when deleted (or nothing was there), false when the condition did not hold. */
  delete(key: TableKey, condition: Condition<DeleteCommandInput> = {}): Promise<boolean> {
    return applied(this.client.send(new DeleteCommand({ TableName: this.name, Key: key, ...condition })));
  }

  /** The attributes `ReturnValues` asks for (none unless asked). */
  async update(key: TableKey, update: Condition<UpdateCommandInput>): Promise<Item | undefined> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({ TableName: this.name, Key: key, ...update }),
    );
    return Attributes;
  }

  /** One page of a query, from `start` (a previous page's `LastEvaluatedKey`) or from the beginning. */
  page(input: QueryInput, start?: Item): Promise<QueryCommandOutput> {
    return this.client.send(
      new QueryCommand({ ...input, TableName: this.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
  }

  /** Every page of a query, in order, until the last or until the caller stops iterating. */
  pages(input: QueryInput): AsyncGenerator<QueryCommandOutput> {
    return paginate((start) => this.page(input, start));
  }

  /** Every page of a scan, in order, until the last or until the caller stops iterating. */
  scan(input: ScanInput): AsyncGenerator<ScanCommandOutput> {
    return paginate((start) =>
      this.client.send(
        new ScanCommand({ ...input, TableName: this.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
      ),
    );
  }

  /** Follows pagination to the end, or until `limit` items (each page asks for what is left). */
  async query(input: QueryInput, limit = Infinity): Promise<Item[]> {
    const items: Item[] = [];
    if (limit <= 0) return items;
    const bounded = Number.isFinite(limit);
    for await (const page of paginate((start) =>
      this.page(bounded ? { ...input, Limit: limit - items.length } : input, start),
    )) {
      items.push(...(page.Items ?? []));
      if (items.length >= limit) break;
    }
    return items;
  }
}
