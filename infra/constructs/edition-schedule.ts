import { type CfnResource, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIGESTS_PREFIX } from '../../functions/core/email/edition-content.js';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import { ARTICLES_PREFIX, type ArticlesBucket } from './articles-bucket.js';
import type { EmailTable } from './email-table.js';
import { FailureQueue } from './failure-queue.js';
import { acknowledgeWildcardArn } from './nag-acknowledgements.js';
import { ProjectFunction } from './project-function.js';
import type { StoryTable } from './story-table.js';
import { BUILD_TEMPLATES, TEMPLATES_DIR } from './templates-bundle.js';

/** Scheduler retries a failed delivery this often, within `EDITION_MAX_EVENT_AGE`. */
export const EDITION_RETRY_ATTEMPTS = 3;
/** An edition started hours late still carries the right stories (its id comes from the scheduled time). */
export const EDITION_MAX_EVENT_AGE = Duration.hours(6);

export interface EditionScheduleProps {
  storyTable: StoryTable;
  /** The digest shows each story's summary, which lives in its canonical article. */
  articlesBucket: ArticlesBucket;
  emailTable: EmailTable;
  siteBucket: IBucket;
  distribution: IDistribution;
  outbox: IQueue;
  siteConfigJson: string;
  listId: string;
  maxStories: number;
  /** `cron(...)` or `rate(...)`, read in `timeZone`. */
  schedule: string;
  timeZone: string;
  alarmTopic: ITopic;
}

/**
 * EventBridge Scheduler → the edition function, with the schedule's own time as input: the
 * edition id is derived from it, so a schedule that fires twice, or a retried invocation, makes
 * one edition. The function picks the stories, renders and archives the edition, and queues its
 * recipients in chunks on the outbox.
 */
export class EditionSchedule extends Construct {
  readonly function: ProjectFunction;
  readonly schedule: Schedule;
  readonly role: Role;
  /** Schedule deliveries that failed every retry, and invocations that failed every retry. */
  readonly failures: FailureQueue;

  constructor(scope: Construct, id: string, props: EditionScheduleProps) {
    super(scope, id);
    this.failures = new FailureQueue(this, 'Failures', {
      holds: 'Edition runs that failed',
      alarmTopic: props.alarmTopic,
      isRedriveTarget: false,
    });
    this.function = new ProjectFunction(this, 'Handler', {
      contract: FUNCTIONS.edition,
      description: 'Starts a digest edition: picks new stories, renders and archives it, queues recipients',
      timeout: Duration.minutes(5),
      memorySize: 1024,
      onFailure: new SqsDestination(this.failures.queue),
      environment: envFor(FUNCTIONS.edition, {
        STORY_TABLE: props.storyTable.tableName,
        EMAIL_TABLE: props.emailTable.tableName,
        ARTICLES_BUCKET: props.articlesBucket.bucketName,
        ARTICLES_PREFIX,
        SITE_BUCKET: props.siteBucket.bucketName,
        DISTRIBUTION_ID: props.distribution.distributionId,
        OUTBOX_QUEUE_URL: props.outbox.queueUrl,
        SITE_CONFIG: props.siteConfigJson,
        TEMPLATES_DIR,
        LIST_ID: props.listId,
        DIGEST_MAX_STORIES: String(props.maxStories),
      }),
      commandHooks: BUILD_TEMPLATES,
    });

    // Our own role rather than the shared one aws-scheduler-targets would create at stack level.
    this.role = new Role(this, 'SchedulerRole', {
      // Only schedules of this account may assume it (confused-deputy guard).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler start digest editions',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Starts a digest edition',
      schedule: ScheduleExpression.expression(props.schedule, TimeZone.of(props.timeZone)),
      // Exactly on time: the edition id is the scheduled minute, and readers expect the hour.
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(this.function, {
        role: this.role,
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: this.failures.queue,
        retryAttempts: EDITION_RETRY_ATTEMPTS,
        maxEventAge: EDITION_MAX_EVENT_AGE,
      }),
    });

    props.storyTable.grantEditionAccess(this.function);
    props.articlesBucket.grantReadArticles(this.function);
    props.emailTable.grantItemReadWrite(this.function);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [props.siteBucket.arnForObjects(`${DIGESTS_PREFIX}*`)],
      }),
    );
    props.distribution.grantCreateInvalidation(this.function);
    props.outbox.grantSendMessages(this.function);

    acknowledgeWildcardArn(
      this.function,
      props.siteBucket.node.defaultChild as CfnBucket,
      `/${DIGESTS_PREFIX}*`,
      'Archived editions are named by edition id; the grant is PutObject only, limited to the digests/ prefix.',
    );
    acknowledgeWildcardArn(
      this.role,
      this.function.node.defaultChild as CfnResource,
      ':*',
      "aws-scheduler-targets grants InvokeFunction on the function's versions too (`:*`); only this function.",
    );
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to an on-failure destination (the successor of function DLQs, which ' +
        'also records the error); the schedule has its own dead-letter queue for undeliverable invocations.',
    });
  }
}
