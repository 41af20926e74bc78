/**
 * The ingest function's composition root: AWS SDK v3 adapters configured from the environment the
 * CDK stack sets. Tests pass clients pointed at local emulators instead (Powertools' injected
 * client pattern). Only the two clients ingest uses: the bundle carries no SQS or CloudFront client.
 */
import { randomUUID } from 'node:crypto';
import { type AwsClients, createDocumentClient, createS3Client } from '../adapters/aws/clients.js';
import { sleep } from '../adapters/aws/concurrency.js';
import { DynamoCorpusIndex } from '../adapters/aws/corpus-items.js';
import { DynamoTable } from '../adapters/aws/dynamo-table.js';
import { DynamoIngestStore } from '../adapters/aws/ingest-store.js';
import { S3ObjectReader } from '../adapters/aws/s3-articles.js';
import type { IngestDeps, IngestLog } from '../core/cloud/ingest.js';
import { ENV_DEFAULTS } from '../handlers/contracts.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';
import { type ComposeOptions, clockOf, prefixOf } from './shared.js';

export function composeIngest(
  options: ComposeOptions<Pick<AwsClients, 's3' | 'dynamo'>> & { log?: IngestLog } = {},
): IngestDeps {
  const env = options.env ?? process.env;
  const clients = options.clients ?? { s3: createS3Client(), dynamo: createDocumentClient() };
  const table = new DynamoTable(clients.dynamo, getStringFromEnv('STORY_TABLE', env));
  return {
    store: new DynamoIngestStore(table),
    index: new DynamoCorpusIndex(table),
    reader: new S3ObjectReader(clients.s3, getStringFromEnv('ARTICLES_BUCKET', env)),
    clock: clockOf(options, env),
    prefix: prefixOf(env),
    maxArticleBytes: getIntFromEnv('MAX_ARTICLE_BYTES', Number(ENV_DEFAULTS.MAX_ARTICLE_BYTES), env),
    owner: randomUUID(),
    sleep,
    random: Math.random,
    ticks: Date.now,
    ...(options.log ? { log: options.log } : {}),
  };
}
