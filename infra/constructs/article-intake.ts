import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import { ARTICLES_PREFIX, type ArticlesBucket } from './articles-bucket.js';
import { type FailureQueue, workQueue } from './failure-queue.js';
import { acknowledgeSqsConsumer } from './nag-acknowledgements.js';
import { ProjectFunction } from './project-function.js';
import type { StoryTable } from './story-table.js';

export const INGEST_TIMEOUT = Duration.seconds(30);
export const INGEST_BATCH_SIZE = 10;
export const INGEST_BATCHING_WINDOW = Duration.seconds(5);
/** Receives before a message is parked in the DLQ: enough to ride out throttling, few enough to surface a poison file. */
export const INGEST_MAX_RECEIVE_COUNT = 5;
/** Concurrent ingest batches; the dedup lease serialises what they write. */
export const INGEST_MAX_CONCURRENCY = 2;

export interface ArticleIntakeProps {
  articlesBucket: ArticlesBucket;
  table: StoryTable;
  alarmTopic: ITopic;
  maxArticleBytes: number;
}

/**
 * Upload → queue → ingest. S3 notifies a queue rather than invoking Lambda directly: the queue
 * buffers bursts (a bulk upload), retries with back-off, parks poison files in a DLQ, and lets
 * the reconciler inject synthetic events through the same path.
 */
export class ArticleIntake extends Construct {
  readonly queue: Queue;
  readonly deadLetters: FailureQueue;
  readonly function: ProjectFunction;

  constructor(scope: Construct, id: string, props: ArticleIntakeProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetters: this.deadLetters } = workQueue(this, {
      id: 'Queue',
      holds: 'Article events',
      alarmTopic: props.alarmTopic,
      maxReceiveCount: INGEST_MAX_RECEIVE_COUNT,
      consumerTimeout: INGEST_TIMEOUT,
      batchingWindow: INGEST_BATCHING_WINDOW,
    }));

    const notify = new SqsDestination(this.queue);
    for (const event of [EventType.OBJECT_CREATED, EventType.OBJECT_REMOVED]) {
      props.articlesBucket.addEventNotification(event, notify, { prefix: ARTICLES_PREFIX });
    }

    this.function = new ProjectFunction(this, 'Ingest', {
      contract: FUNCTIONS.ingest,
      description: 'Parses, cleans and deduplicates uploaded articles into the story index',
      timeout: INGEST_TIMEOUT,
      memorySize: 512,
      environment: envFor(FUNCTIONS.ingest, {
        STORY_TABLE: props.table.tableName,
        ARTICLES_BUCKET: props.articlesBucket.bucketName,
        ARTICLES_PREFIX,
        MAX_ARTICLE_BYTES: String(props.maxArticleBytes),
      }),
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: INGEST_BATCH_SIZE,
        maxBatchingWindow: INGEST_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        // Deduplication runs under a lease in the table (its TTL outlives INGEST_TIMEOUT): more than two
        // concurrent batches would only wait for it, and 2 is the lowest a mapping accepts. No reserved
        // concurrency: below this maximum it would throttle receives and push messages toward the DLQ.
        maxConcurrency: INGEST_MAX_CONCURRENCY,
      }),
    );
    props.articlesBucket.grantReadArticles(this.function);
    props.table.grantItemReadWrite(this.function);

    acknowledgeSqsConsumer(this.function, 'ingest queue');
  }
}
