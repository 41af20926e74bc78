/**
 * The composition root of the Lambda handlers: AWS SDK v3 adapters configured from the environment
 * the CDK stack sets. Tests pass clients pointed at local emulators instead (Powertools' injected
 * client pattern). The local CLI composes its adapters in `local.ts`.
 */
import { randomUUID } from 'node:crypto';
import {
  type AwsClients,
  createDocumentClient,
  createS3Client,
  createSqsClient,
} from '../adapters/aws/clients.js';
import { DynamoStore } from '../adapters/aws/dynamo-store.js';
import { S3ArticleSource, S3ObjectReader } from '../adapters/aws/s3-articles.js';
import { sqsEnqueuer } from '../adapters/aws/sqs-enqueue.js';
import type { IngestDeps, IngestLog } from '../core/cloud/ingest.js';
import type { ReconcileDeps } from '../core/cloud/reconcile.js';
import { type Clock, systemClock } from '../core/ports.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';

export { systemClock };

export interface CloudOptions<C extends Partial<AwsClients> = AwsClients> {
  clients?: C;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
}

export const prefixOf = (env: NodeJS.ProcessEnv) => env.ARTICLES_PREFIX ?? 'articles/';

export function composeIngest(
  options: CloudOptions<Pick<AwsClients, 's3' | 'dynamo'>> & { log?: IngestLog } = {},
): IngestDeps {
  const env = options.env ?? process.env;
  // Only the two clients ingest uses: the bundle then carries no SQS or CloudFront client.
  const clients = options.clients ?? { s3: createS3Client(), dynamo: createDocumentClient() };
  return {
    store: new DynamoStore(clients.dynamo, getStringFromEnv('TABLE_NAME', env)),
    reader: new S3ObjectReader(clients.s3, getStringFromEnv('ARTICLES_BUCKET', env)),
    clock: options.clock ?? systemClock,
    prefix: prefixOf(env),
    maxArticleBytes: getIntFromEnv('MAX_ARTICLE_BYTES', 1024 * 1024, env),
    owner: randomUUID(),
    ...(options.log ? { log: options.log } : {}),
  };
}

export function composeReconcile(
  options: CloudOptions<Pick<AwsClients, 's3' | 'dynamo' | 'sqs'>> = {},
): ReconcileDeps {
  const env = options.env ?? process.env;
  const clients = options.clients ?? {
    s3: createS3Client(),
    dynamo: createDocumentClient(),
    sqs: createSqsClient(),
  };
  const bucket = getStringFromEnv('ARTICLES_BUCKET', env);
  const prefix = prefixOf(env);
  const store = new DynamoStore(clients.dynamo, getStringFromEnv('TABLE_NAME', env));
  const source = new S3ArticleSource(clients.s3, bucket, prefix);
  return {
    list: () => source.list(),
    records: () => store.records(),
    enqueue: sqsEnqueuer(clients.sqs, getStringFromEnv('INGEST_QUEUE_URL', env)),
    bucket,
    prefix,
    now: (options.clock ?? systemClock).now(),
  };
}
