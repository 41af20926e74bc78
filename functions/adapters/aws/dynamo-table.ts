/**
 * The small DynamoDB table helper every adapter here stands on: a consistent get, a put, a
 * conditional put whose refusal is an answer (`false`), and queries that follow pagination. The
 * pagination loop lives here once; an adapter that stops early (a lookback, a tie at a page
 * boundary) iterates `pages` and breaks.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { applied } from './conditional.js';

export type Item = Record<string, unknown>;
export type TableKey = { pk: string; sk: string };
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

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
  putIf(item: Item, condition: Omit<PutCommandInput, 'TableName' | 'Item'>): Promise<boolean> {
    return applied(this.client.send(new PutCommand({ TableName: this.name, Item: item, ...condition })));
  }

  /** Every page of a query, in order, until the last or until the caller stops iterating. */
  async *pages(input: QueryInput): AsyncGenerator<QueryCommandOutput> {
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, TableName: this.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      yield page;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** Follows pagination to the end, or until `limit` items (each page asks for what is left). */
  async query(input: QueryInput, limit = Infinity): Promise<Item[]> {
    const items: Item[] = [];
    if (limit <= 0) return items;
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...input,
          TableName: this.name,
          ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items;
  }
}
