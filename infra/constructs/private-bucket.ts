import { RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface PrivateBucketProps {
  /** Receives this bucket's server access logs. */
  accessLogsBucket: IBucket;
  /** Key prefix of the access logs, ending in `/`. */
  accessLogsPrefix: string;
  versioned: boolean;
}

/**
 * The baseline for every bucket holding project data: no public access of any kind, S3-managed
 * encryption, TLS 1.2+ only, ACLs disabled, access logged, and kept when the stack is deleted
 * (emptying a bucket of editors' articles must be a deliberate act, not a side effect of `cdk destroy`).
 */
export class PrivateBucket extends Bucket {
  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id, {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: props.versioned,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix,
      removalPolicy: RemovalPolicy.RETAIN,
      autoDeleteObjects: false,
    });
  }
}
