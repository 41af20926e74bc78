import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { API_PATH_PATTERN, type NewsfeedConfig, SUBSCRIBE_PATH, toSiteConfig } from './config.js';
import { AlarmTopic } from './constructs/alarm-topic.js';
import { ArticleIntake } from './constructs/article-intake.js';
import { ARTICLES_PREFIX, ArticlesBucket } from './constructs/articles-bucket.js';
import { EmailDelivery } from './constructs/email-delivery.js';
import { EmailSubscriptions } from './constructs/email-subscriptions.js';
import { LogBucket } from './constructs/log-bucket.js';
import { acknowledgeCdkHandlers } from './constructs/nag-acknowledgements.js';
import { OperationsDashboard } from './constructs/operations-dashboard.js';
import { FUNCTION_LOG_RETENTION, REPO_ROOT } from './constructs/project-function.js';
import { Reconciler } from './constructs/reconciler.js';
import { SitePublisher } from './constructs/site-publisher.js';
import { StaticSite } from './constructs/static-site.js';
import { StoryTable } from './constructs/story-table.js';
import { SiteDns } from './dns.js';

export interface NewsfeedStackProps extends StackProps {
  config: NewsfeedConfig;
  /** The us-east-1 certificate and web ACL, when the edge stack makes them (build-app.ts). */
  edge?: { certificate?: ICertificate; webAclArn?: string };
}

/**
 * The subscribe API's site URL when the real one is the CloudFront domain, which the API cannot
 * be given (see `SubscribeApiProps.siteUrlKnown`); never used for links (`.invalid`, RFC 2606).
 */
export const SITE_URL_FROM_REQUEST = 'https://site-url-from-request.invalid/';

/** The email side, present when `newsfeed.email` is configured. */
export interface EmailResources {
  subscriptions: EmailSubscriptions;
  delivery: EmailDelivery;
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
  readonly email?: EmailResources;
  readonly operations: OperationsDashboard;

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

    // Known at synth time unless the site lives at the CloudFront domain.
    const staticSiteUrl =
      config.siteUrl ?? (config.customDomain && `https://${config.customDomain.domainName}/`);
    const subscriptions =
      config.email &&
      new EmailSubscriptions(this, 'Subscriptions', {
        email: config.email,
        alarmTopic: alarms.topic,
        siteConfigJson: this.toJsonString(toSiteConfig(config, staticSiteUrl ?? SITE_URL_FROM_REQUEST)),
        siteUrlKnown: staticSiteUrl !== undefined,
      });
    this.site = new StaticSite(this, 'Site', {
      logBucket,
      ...(config.customDomain && { customDomain: config.customDomain }),
      ...props.edge,
      ...(subscriptions && { apiOrigins: { [API_PATH_PATTERN]: subscriptions.api.origin } }),
    });

    this.intake = new ArticleIntake(this, 'Intake', {
      articlesBucket: this.articlesBucket,
      table: this.table,
      alarmTopic: alarms.topic,
      maxArticleBytes: config.site.maxArticleBytes,
    });
    const siteUrl = config.siteUrl ?? this.site.url;
    const siteConfigJson = this.toJsonString(toSiteConfig(config, siteUrl));
    this.publisher = new SitePublisher(this, 'Publisher', {
      table: this.table,
      articlesBucket: this.articlesBucket,
      siteBucket: this.site.bucket,
      distribution: this.site.distribution,
      siteConfigJson,
      alarmTopic: alarms.topic,
      ...(subscriptions && { emailTable: subscriptions.table }),
    });
    this.reconciler = new Reconciler(this, 'Reconciler', {
      articlesBucket: this.articlesBucket,
      table: this.table,
      ingestQueue: this.intake.queue,
      interval: Duration.minutes(config.reconcileIntervalMinutes),
      alarmTopic: alarms.topic,
    });

    if (config.email && subscriptions) {
      const delivery = new EmailDelivery(this, 'Email', {
        email: config.email,
        subscriptions,
        storyTable: this.table,
        articlesBucket: this.articlesBucket,
        site: this.site,
        siteConfigJson,
        alarmTopic: alarms.topic,
        maxStories: config.site.digest.maxStories,
      });
      this.email = { subscriptions, delivery };
      this.emailOutputs(siteUrl, this.email);
    }

    if (config.deployLocalArticles) this.deployLocalArticles();
    this.operations = new OperationsDashboard(this, 'Operations', {
      ingestQueue: this.intake.queue,
      ingest: this.intake.function,
      publisher: this.publisher.function,
      alarmTopic: alarms.topic,
      ...(this.email && { sender: this.email.delivery.sender.function }),
    });
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
    new CfnOutput(this, 'DashboardName', {
      value: this.operations.dashboard.dashboardName,
      description: 'The CloudWatch dashboard of ingest, publish, queues and mail (README runbook)',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.site.distribution.distributionDomainName,
      description: 'The CloudFront host name a custom domain points at',
    });
    if (config.customDomain) {
      new SiteDns(this, 'SiteDns', { domain: config.customDomain, distribution: this.site.distribution });
    }
  }

  private emailOutputs(siteUrl: string, email: EmailResources): void {
    const { sending } = email.delivery;
    new CfnOutput(this, 'SubscribeUrl', {
      value: `${siteUrl}${SUBSCRIBE_PATH}`,
      description: 'The subscribe API (POST an address), served by CloudFront under /api/',
    });
    new CfnOutput(this, 'EmailDnsRecords', {
      value: sending.dnsRecords.map((record) => `${record.name} ${record.type} ${record.value}`).join(' ; '),
      description: sending.inHostedZone
        ? 'DKIM, MAIL FROM and DMARC records, created in the configured hosted zone'
        : 'Create these DKIM, MAIL FROM and DMARC records in the DNS of the sending domain (SES verifies it from them)',
    });
    new CfnOutput(this, 'EmailTableName', { value: email.subscriptions.table.tableName });
    new CfnOutput(this, 'SubscribeQueueUrl', {
      value: email.subscriptions.api.queue.queueUrl,
      description: 'Where npm run subscribers -- import queues confirmation requests',
    });
    new CfnOutput(this, 'TokenKeyringSecretArn', {
      value: email.subscriptions.keyring.secret.secretArn,
      description: 'Rotate by adding "k<N+1>" and setting "current"; keep older keys for mailed links',
    });
    new CfnOutput(this, 'OriginSecretArn', {
      value: email.subscriptions.originSecret.secret.secretArn,
      description:
        'Values of the header CloudFront sends the subscribe API: rotate by adding "h<N+1>" (README)',
    });
    new CfnOutput(this, 'SubscriberIdKeySecretArn', {
      value: email.subscriptions.idKey.secret.secretArn,
      description:
        'The key subscriber ids are an HMAC under: never rotate (npm run migrate:subscriber-ids reads it)',
    });
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
