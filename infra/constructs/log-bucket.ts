import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** How long S3 and CloudFront access logs are kept. */
export const ACCESS_LOG_RETENTION = Duration.days(365);

/**
 * Receives the S3 server access logs of the other buckets and the CloudFront access logs.
 * S3 access logs only accept SSE-S3 targets, and CloudFront standard logging writes through an
 * ACL grant, so this bucket keeps ACLs enabled (owner-preferred) where data buckets disable them.
 */
export class LogBucket extends Bucket {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: ACCESS_LOG_RETENTION }],
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });
  }
}
