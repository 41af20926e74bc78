import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { type NewsfeedConfig, toSiteConfig } from './config.js';
import { AlarmTopic } from './constructs/alarm-topic.js';
import { ArticleIntake } from './constructs/article-intake.js';
import { ARTICLES_PREFIX, ArticlesBucket } from './constructs/articles-bucket.js';
import { LogBucket } from './constructs/log-bucket.js';
import { acknowledgeCdkHandlers } from './constructs/nag-acknowledgements.js';
import { FUNCTION_LOG_RETENTION, REPO_ROOT } from './constructs/project-function.js';
import { Reconciler } from './constructs/reconciler.js';
import { SitePublisher } from './constructs/site-publisher.js';
import { StaticSite } from './constructs/static-site.js';
import { StoryTable } from './constructs/story-table.js';

export interface NewsfeedStackProps extends StackProps {
  config: NewsfeedConfig;
}

/**
 * The cloud path: articles bucket → queue → ingest → story table → stream → publish → site
 * bucket → CloudFront, with a scheduled reconciler closing the gaps S3 notifications may leave.
 */
export class NewsfeedStack extends Stack {
  readonly articlesBucket: ArticlesBucket;
  readonly table: StoryTable;
  readonly site: StaticSite;
  readonly intake: ArticleIntake;
  readonly publisher: SitePublisher;
  readonly reconciler: Reconciler;

  constructor(scope: Construct, id: string, props: NewsfeedStackProps) {
    super(scope, id, props);
    const { config } = props;

    const logBucket = new LogBucket(this, 'AccessLogs');
    const alarms = new AlarmTopic(
      this,
      'Alarms',
      config.alarmEmail === undefined ? {} : { email: config.alarmEmail },
    );
    this.articlesBucket = new ArticlesBucket(this, 'Articles', { accessLogsBucket: logBucket });
    this.table = new StoryTable(this, 'Stories');
    this.site = new StaticSite(this, 'Site', {
      logBucket,
      ...(config.customDomain && { customDomain: config.customDomain }),
    });

    this.intake = new ArticleIntake(this, 'Intake', {
      articlesBucket: this.articlesBucket,
      table: this.table,
      alarmTopic: alarms.topic,
      maxArticleBytes: config.maxArticleBytes,
    });
    const siteUrl = config.siteUrl ?? this.site.url;
    this.publisher = new SitePublisher(this, 'Publisher', {
      table: this.table,
      articlesBucket: this.articlesBucket,
      siteBucket: this.site.bucket,
      distribution: this.site.distribution,
      siteConfigJson: this.toJsonString(toSiteConfig(config, siteUrl)),
      alarmTopic: alarms.topic,
    });
    this.reconciler = new Reconciler(this, 'Reconciler', {
      articlesBucket: this.articlesBucket,
      table: this.table,
      ingestQueue: this.intake.queue,
      interval: Duration.minutes(config.reconcileIntervalMinutes),
      alarmTopic: alarms.topic,
    });

    if (config.deployLocalArticles) this.deployLocalArticles();
    acknowledgeCdkHandlers(this, this.articlesBucket.node.defaultChild as CfnBucket);

    new CfnOutput(this, 'SiteUrl', {
      value: siteUrl,
      description: 'Where the feeds and pages are published',
    });
    new CfnOutput(this, 'ArticlesBucketName', {
      value: this.articlesBucket.bucketName,
      description: `Upload articles under ${ARTICLES_PREFIX}`,
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DistributionId', { value: this.site.distribution.distributionId });
  }

  /** Copies the repository's sample articles into the bucket; they then flow through the normal ingest path. */
  private deployLocalArticles(): void {
    new BucketDeployment(this, 'LocalArticles', {
      sources: [Source.asset(join(REPO_ROOT, 'articles'))],
      destinationBucket: this.articlesBucket,
      destinationKeyPrefix: ARTICLES_PREFIX,
      // Never delete what editors uploaded just because it is not in the local folder.
      prune: false,
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'LocalArticlesLogs', { retention: FUNCTION_LOG_RETENTION }),
    });
  }
}
