import { CfnResource, Mixins, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketAutoDeleteObjects } from 'aws-cdk-lib/aws-s3/mixins';
import type { RemovalSetting } from './deploy-config.js';

/** The resources that hold data: what `newsfeed.removalPolicy` decides about. */
export const DATA_RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
] as const;

/**
 * `retain` (the default) leaves the constructs' own policies: data buckets, tables (with deletion
 * protection), the token and subscriber-id keys and the log groups outlive `cdk destroy`.
 * `destroy` makes `cdk destroy` remove them all: buckets are emptied first (CDK's auto-delete
 * handler, versions included) and the tables' deletion protection is turned off. Applied after
 * the stack is built, so every construct is covered without each one knowing the setting.
 */
export function applyRemovalSetting(stack: Stack, setting: RemovalSetting): void {
  if (setting === 'retain') return;
  const data = stack.node
    .findAll()
    .filter(
      (c): c is CfnResource =>
        CfnResource.isCfnResource(c) &&
        (DATA_RESOURCE_TYPES as readonly string[]).includes(c.cfnResourceType),
    );
  for (const resource of data) {
    resource.applyRemovalPolicy(RemovalPolicy.DESTROY);
    if (resource instanceof CfnTable) resource.deletionProtectionEnabled = false;
  }
  for (const bucket of data.filter((r): r is CfnBucket => r instanceof CfnBucket)) {
    Mixins.of(bucket).apply(new BucketAutoDeleteObjects());
  }
}
