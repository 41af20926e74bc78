import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapLimit, sleep } from './concurrency.js';

/** DynamoDB's limits of requests per BatchWriteItem call and of keys per BatchGetItem call. */
const WRITE_BATCH_SIZE = 25;
const GET_BATCH_SIZE = 100;
const MAX_ATTEMPTS = 8;
const IN_FLIGHT = 4;

type Item = Record<string, unknown>;

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
  constructor(table: string, remaining: number) {
    super(`${table}: ${remaining} batch writes still unprocessed after ${MAX_ATTEMPTS} attempts (throttled)`);
  }
}

export class UnprocessedKeysError extends Error {
  override name = 'UnprocessedKeysError';
  constructor(table: string, remaining: number) {
    super(`${table}: ${remaining} keys still unread after ${MAX_ATTEMPTS} attempts (throttled)`);
  }
}

/**
 * Writes every request in batches of 25, retrying what DynamoDB hands back as unprocessed (throttling)
 * with jittered exponential backoff. A batch must not name the same key twice: callers deduplicate.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  await mapLimit(batchesOf(requests, WRITE_BATCH_SIZE), IN_FLIGHT, (batch) =>
    untilProcessed(
      batch,
      async (pending) => {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        return (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      },
      (remaining) => new UnprocessedItemsError(table, remaining),
    ),
  );
}

/**
 * Reads every key (strongly consistent) in batches of 100, retrying what DynamoDB hands back as
 * unprocessed as `batchWriteAll` does. Keys not in the table are simply absent from the result, whose
 * order is not the keys' order. A batch must not name the same key twice: callers deduplicate.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Item[],
  /** Only these attributes (a projection expression of plain names), when given. */
  projection?: string,
): Promise<Item[]> {
  const found: Item[] = [];
  await mapLimit(batchesOf(keys, GET_BATCH_SIZE), IN_FLIGHT, (batch) =>
    untilProcessed(
      batch,
      async (pending) => {
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [table]: {
                Keys: pending,
                ConsistentRead: true,
                ...(projection ? { ProjectionExpression: projection } : {}),
              },
            },
          }),
        );
        found.push(...(result.Responses?.[table] ?? []));
        return (result.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
      },
      (remaining) => new UnprocessedKeysError(table, remaining),
    ),
  );
  return found;
}

function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/**
 * Sends a batch, then what each answer hands back as unprocessed (throttling), with jittered exponential
 * backoff between attempts, until nothing is left or `MAX_ATTEMPTS` are spent.
 */
async function untilProcessed<T>(
  batch: T[],
  send: (pending: T[]) => Promise<T[]>,
  exhausted: (remaining: number) => Error,
): Promise<void> {
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    pending = await send(pending);
    if (!pending.length) return;
    if (attempt >= MAX_ATTEMPTS) throw exhausted(pending.length);
    const ceiling = Math.min(25 * 2 ** attempt, 2000);
    await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}
