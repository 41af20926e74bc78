/**
 * The tables of `infra/constructs/` on dynalite: the story table and the email table, with their
 * key schemas and indexes, made on demand (no stream: dynalite has none) or kept from a persisted run.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BY_CREATED_INDEX, BY_DATE_INDEX } from '../adapters/aws/story-items.js';
import { BY_CONFIRMED_INDEX } from '../adapters/aws/subscriber-store.js';

/** The key schema and indexes of `infra/constructs/story-table.ts`, on demand (no stream: dynalite has none). */
export async function createStoryTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  name: string,
): Promise<void> {
  await createKeyedTable(client, name, [
    [BY_DATE_INDEX, 'gsi1'],
    [BY_CREATED_INDEX, 'gsi2'],
  ]);
}

/**
 * A table keyed on string `pk`/`sk`, with GSIs on `<prefix>pk`/`<prefix>sk` projecting everything,
 * as `infra/` declares ours; waits until dynalite reports it ACTIVE.
 */
async function createKeyedTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  name: string,
  indexes: ReadonlyArray<readonly [indexName: string, prefix: string]>,
): Promise<void> {
  const S = 'S' as const;
  const keys = (pk: string, sk: string) => [
    { AttributeName: pk, KeyType: 'HASH' as const },
    { AttributeName: sk, KeyType: 'RANGE' as const },
  ];
  await (client as DynamoDBClient).send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', ...indexes.flatMap(([, p]) => [`${p}pk`, `${p}sk`])].map(
        (AttributeName) => ({ AttributeName, AttributeType: S }),
      ),
      KeySchema: keys('pk', 'sk'),
      GlobalSecondaryIndexes: indexes.map(([IndexName, p]) => ({
        IndexName,
        KeySchema: keys(`${p}pk`, `${p}sk`),
        Projection: { ProjectionType: 'ALL' as const },
      })),
    }),
  );
  await waitActive(client as DynamoDBClient, name);
}

/** Creates the story table unless a persisted dynalite already has it. Returns whether it was created. */
export async function ensureStoryTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  name: string,
): Promise<boolean> {
  try {
    await (client as DynamoDBClient).send(new DescribeTableCommand({ TableName: name }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await createStoryTable(client, name);
  return true;
}

export { BY_CONFIRMED_INDEX };

/** The key schema and index of the email table (subscribers, rate counters, editions, send ledger). */
export async function createEmailTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  name: string,
): Promise<void> {
  await createKeyedTable(client, name, [[BY_CONFIRMED_INDEX, 'gsi1']]);
}

/** Even with createTableMs 0, dynalite turns a table ACTIVE on a later tick. */
/** Creates the email table unless a persisted dynalite already has it. Returns whether it was created. */
export async function ensureEmailTable(
  client: DynamoDBClient | DynamoDBDocumentClient,
  name: string,
): Promise<boolean> {
  if (await tableExists(client as DynamoDBClient, name)) return false;
  await createEmailTable(client, name);
  return true;
}

/**
 * The global secondary indexes of `indexes` that the table lacks: a table persisted by an older
 * version of the code keeps its old schema, and a query on a missing index fails far from the cause.
 */
export async function missingIndexes(
  client: DynamoDBClient | DynamoDBDocumentClient,
  name: string,
  indexes: readonly string[],
): Promise<string[]> {
  const { Table } = await (client as DynamoDBClient).send(new DescribeTableCommand({ TableName: name }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return indexes.filter((index) => !present.has(index));
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}

/**
 * The data folder holds a table made by an older dev:cloud, without an index the handlers now
 * query: caught at start, because the query would fail far from the cause.
 */
export class DevCloudStaleDataError extends Error {
  override name = 'DevCloudStaleDataError';
}

export async function requireIndexes(
  client: DynamoDBDocumentClient,
  table: string,
  indexes: readonly string[],
  dataDir: string,
): Promise<void> {
  const missing = await missingIndexes(client, table, indexes);
  if (!missing.length) return;
  throw new DevCloudStaleDataError(
    `the table ${table} kept in ${dataDir} was made by an older dev:cloud and lacks the index ${missing.join(', ')} ` +
      `that the email editions query. Delete the folder (rm -rf ${dataDir}) and start again; ` +
      '`npm run dev:cloud -- --seed` uploads articles/ anew.',
  );
}
