import { Duration } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeWildcardArn } from './nag-acknowledgements.js';
import { PrivateBucket } from './private-bucket.js';

/** Editors upload under this prefix; nothing else in the bucket is an article. */
export const ARTICLES_PREFIX = 'articles/';

export interface ArticlesBucketProps {
  accessLogsBucket: IBucket;
}

/** How long an overwritten or deleted article stays recoverable. */
export const ARTICLE_VERSION_RETENTION = Duration.days(90);

/** The editors' inbox. Versioned, so an overwritten or deleted article can be recovered. */
export class ArticlesBucket extends PrivateBucket {
  constructor(scope: Construct, id: string, props: ArticlesBucketProps) {
    super(scope, id, {
      accessLogsBucket: props.accessLogsBucket,
      accessLogsPrefix: 's3/articles/',
      versioned: true,
    });
    // Without an expiry every edit keeps a copy forever.
    this.addLifecycleRule({ noncurrentVersionExpiration: ARTICLE_VERSION_RETENTION });
  }

  /** Lets `grantee` read article objects, and nothing else in the bucket. */
  grantReadArticles(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.arnForObjects(`${ARTICLES_PREFIX}*`)],
      }),
    );
    acknowledgeWildcardArn(
      grantee,
      this.node.defaultChild as CfnBucket,
      `/${ARTICLES_PREFIX}*`,
      'Article keys are chosen by editors at upload time; the grant is GetObject only, limited to the articles/ prefix.',
    );
  }

  /** Lets `grantee` list keys under the articles prefix only (the listing is a bucket-level action). */
  grantListArticles(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucketArn],
        conditions: { StringLike: { 's3:prefix': [ARTICLES_PREFIX, `${ARTICLES_PREFIX}*`] } },
      }),
    );
  }
}
