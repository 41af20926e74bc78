import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import { ARTICLES_PREFIX, type ArticlesBucket } from './articles-bucket.js';
import { FailureQueue } from './failure-queue.js';
import { ProjectFunction } from './project-function.js';
import type { StoryTable } from './story-table.js';

export interface ReconcilerProps {
  articlesBucket: ArticlesBucket;
  table: StoryTable;
  ingestQueue: IQueue;
  interval: Duration;
  alarmTopic: ITopic;
}

/**
 * S3 event notifications are delivered at least once but not guaranteed, so on a schedule the
 * reconciler lists `articles/`, compares it with the index, and re-sends whatever is missing to
 * the ingest queue as synthetic S3 events: one ingest path, whatever the trigger.
 */
export class Reconciler extends Construct {
  readonly function: ProjectFunction;
  readonly schedule: Rule;
  readonly failures: FailureQueue;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    this.failures = new FailureQueue(this, 'Failures', {
      holds: 'Reconciliation runs that failed',
      alarmTopic: props.alarmTopic,
      isRedriveTarget: false,
    });
    this.function = new ProjectFunction(this, 'Reconcile', {
      contract: FUNCTIONS.reconcile,
      description: 'Re-enqueues articles present in the bucket but missing from the story index',
      timeout: Duration.minutes(5),
      memorySize: 512,
      onFailure: new SqsDestination(this.failures.queue),
      environment: envFor(FUNCTIONS.reconcile, {
        STORY_TABLE: props.table.tableName,
        ARTICLES_BUCKET: props.articlesBucket.bucketName,
        ARTICLES_PREFIX,
        INGEST_QUEUE_URL: props.ingestQueue.queueUrl,
      }),
    });
    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the article reconciler',
      schedule: Schedule.rate(props.interval),
    });
    this.schedule.addTarget(
      new LambdaFunction(this.function, {
        deadLetterQueue: this.failures.queue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    );

    props.articlesBucket.grantListArticles(this.function);
    props.table.grantItemRead(this.function);
    props.ingestQueue.grantSendMessages(this.function);

    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to an on-failure destination (the successor of function DLQs, which ' +
        'also records the error); the schedule rule has its own dead-letter queue for undeliverable events.',
    });
  }
}
