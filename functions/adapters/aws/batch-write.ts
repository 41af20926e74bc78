import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapLimit, sleep } from './concurrency.js';

/** DynamoDB's limit of requests per BatchWriteItem call. */
const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 8;
const IN_FLIGHT = 4;

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export class UnprocessedItemsError extends Error {
  constructor(table: string, remaining: number) {
    super(`${table}: ${remaining} batch writes still unprocessed after ${MAX_ATTEMPTS} attempts (throttled)`);
    this.name = 'UnprocessedItemsError';
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
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  await mapLimit(batches, IN_FLIGHT, async (batch) => {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      if (!pending.length) return;
      if (attempt >= MAX_ATTEMPTS) throw new UnprocessedItemsError(table, pending.length);
      const ceiling = Math.min(25 * 2 ** attempt, 2000);
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
    }
  });
}
