import { Duration, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { envFor, FUNCTIONS } from '../../functions/handlers/contracts.js';
import { ARTICLES_PREFIX, type ArticlesBucket } from './articles-bucket.js';
import type { EmailTable } from './email-table.js';
import { FailureQueue } from './failure-queue.js';
import { acknowledgeStarResource, acknowledgeWildcardArn } from './nag-acknowledgements.js';
import { ProjectFunction } from './project-function.js';
import { STORY_KEY_PREFIX, type StoryTable } from './story-table.js';
import { BUILD_TEMPLATES, TEMPLATES_DIR } from './templates-bundle.js';

export interface SitePublisherProps {
  table: StoryTable;
  articlesBucket: ArticlesBucket;
  siteBucket: IBucket;
  distribution: IDistribution;
  /** JSON of the `SiteConfig` the site is rendered with. */
  siteConfigJson: string;
  alarmTopic: ITopic;
  /** With email: the digest archive lists the sent editions, read from this table (edition items only). */
  emailTable?: EmailTable;
}

/**
 * Story changes → publish. The table stream, filtered to story items, batches bursts of
 * changes into one regeneration; reserved concurrency 1 serialises publishes so two runs never
 * race on the same feed files.
 */
export class SitePublisher extends Construct {
  readonly function: ProjectFunction;
  readonly failures: FailureQueue;

  constructor(scope: Construct, id: string, props: SitePublisherProps) {
    super(scope, id);
    this.failures = new FailureQueue(this, 'Failures', {
      holds: 'Story-change batches that failed publishing',
      alarmTopic: props.alarmTopic,
      isRedriveTarget: false,
    });
    this.function = new ProjectFunction(this, 'Publish', {
      contract: FUNCTIONS.publish,
      description: 'Regenerates the feeds and the static site after stories change',
      timeout: Duration.minutes(5),
      memorySize: 1024,
      reservedConcurrentExecutions: 1,
      environment: envFor(FUNCTIONS.publish, {
        STORY_TABLE: props.table.tableName,
        ARTICLES_BUCKET: props.articlesBucket.bucketName,
        ARTICLES_PREFIX,
        SITE_BUCKET: props.siteBucket.bucketName,
        DISTRIBUTION_ID: props.distribution.distributionId,
        SITE_CONFIG: props.siteConfigJson,
        TEMPLATES_DIR,
        ...(props.emailTable && { EMAIL_TABLE: props.emailTable.tableName }),
      }),
      commandHooks: BUILD_TEMPLATES,
    });
    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        // TRIM_HORIZON: stories written before the mapping became active are still published.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(10),
        retryAttempts: 3,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.failures.queue),
        // Matches on Keys, which REMOVE events carry too, so a deleted story is unpublished.
        filters: [
          FilterCriteria.filter({
            dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(STORY_KEY_PREFIX) } } },
          }),
        ],
      }),
    );

    props.articlesBucket.grantReadArticles(this.function);
    // Without ListBucket, S3 answers a read of a deleted article with 403, which the publisher could
    // not tell from a real denial; with it, 404, and the story is shown from another copy or left out.
    props.articlesBucket.grantListArticles(this.function);
    props.table.grantItemReadWrite(this.function);
    // The digest archive: the edition records only, never a subscriber.
    props.emailTable?.grantEditionRead(this.function);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [props.siteBucket.arnForObjects('*')],
      }),
    );
    // Listing finds pages of stories that no longer exist, so they can be deleted.
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.siteBucket.bucketArn] }),
    );
    props.distribution.grantCreateInvalidation(this.function);
    // The WebSub ping waits for the invalidation to complete (else the hub fetches the stale copy).
    props.distribution.grant(this.function, 'cloudfront:GetInvalidation');
    acknowledgeWildcardArn(
      this.function,
      props.siteBucket.node.defaultChild as CfnBucket,
      '/*',
      'The publish function owns the whole site bucket: it writes one page per story under names derived from story titles.',
    );
    acknowledgeStarResource(
      this.function,
      'dynamodb:ListStreams (added by the stream event source) and the X-Ray write actions have no resource-level permissions.',
    );

    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only synchronously, by its DynamoDB stream mapping, whose on-failure destination receives ' +
        'failed batches; a function-level DLQ (asynchronous invocations only) would never receive anything.',
    });
  }
}
