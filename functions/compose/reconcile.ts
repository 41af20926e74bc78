/** The reconcile function's composition root: lists the bucket, reads the table, re-sends to the ingest queue. */
import {
  type AwsClients,
  createDocumentClient,
  createS3Client,
  createSqsClient,
} from '../adapters/aws/clients.js';
import { DynamoTable } from '../adapters/aws/dynamo-table.js';
import { DynamoObjects } from '../adapters/aws/object-items.js';
import { S3ArticleSource } from '../adapters/aws/s3-articles.js';
import { sqsEnqueuer } from '../adapters/aws/sqs-enqueue.js';
import type { ReconcileDeps } from '../core/cloud/reconcile.js';
import { getStringFromEnv } from './env.js';
import { type ComposeOptions, clockOf, prefixOf } from './shared.js';

export function composeReconcile(
  options: ComposeOptions<Pick<AwsClients, 's3' | 'dynamo' | 'sqs'>> = {},
): ReconcileDeps {
  const env = options.env ?? process.env;
  const clients = options.clients ?? {
    s3: createS3Client(),
    dynamo: createDocumentClient(),
    sqs: createSqsClient(),
  };
  const bucket = getStringFromEnv('ARTICLES_BUCKET', env);
  const prefix = prefixOf(env);
  const objects = new DynamoObjects(new DynamoTable(clients.dynamo, getStringFromEnv('STORY_TABLE', env)));
  const source = new S3ArticleSource(clients.s3, bucket, prefix);
  return {
    list: () => source.list(),
    records: () => objects.records(),
    enqueue: sqsEnqueuer(clients.sqs, getStringFromEnv('INGEST_QUEUE_URL', env)),
    bucket,
    prefix,
    clock: clockOf(options, env),
  };
}
