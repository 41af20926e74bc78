import { type CfnResource, DefaultStackSynthesizer, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';

/*
 * cdk-nag finding ids embed the flattened resource, e.g. `Resource::<Bucket1234.Arn>/*`.
 * They are computed here rather than written out, so they stay right when a construct is
 * renamed or the stack gets a concrete account and region (which turns pseudo parameters
 * such as `<AWS::AccountId>` into literals).
 */

function principalOf(grantee: IGrantable): IConstruct | undefined {
  const principal = grantee.grantPrincipal;
  return Construct.isConstruct(principal) ? principal : undefined;
}

/** How cdk-nag prints a value that is either a literal or a pseudo parameter. */
function shown(value: string, pseudoParameter: string): string {
  return Token.isUnresolved(value) ? `<AWS::${pseudoParameter}>` : value;
}

/** Acknowledges the AwsSolutions-IAM5 finding for `<resource.Arn><suffix>` in `grantee`'s policy. */
export function acknowledgeWildcardArn(
  grantee: IGrantable,
  resource: CfnResource,
  suffix: string,
  reason: string,
): void {
  const principal = principalOf(grantee);
  if (!principal) return;
  const logicalId = Stack.of(resource).getLogicalId(resource);
  Validations.of(principal).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>${suffix}]`,
    reason,
  });
}

/** Acknowledges the `Resource::*` finding on `grantee`'s policy, for actions that have no resource-level permissions. */
export function acknowledgeStarResource(grantee: IGrantable, reason: string): void {
  const principal = principalOf(grantee);
  if (principal) Validations.of(principal).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
}

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
const NOT_CONFIGURABLE = 'Handler that CDK itself adds; its role, runtime and settings are not configurable.';

function assetsBucketObjects(stack: Stack): string {
  const qualifier =
    (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const bucket = `cdk-${qualifier}-assets-${shown(stack.account, 'AccountId')}-${shown(stack.region, 'Region')}`;
  return `arn:${shown(stack.partition, 'Partition')}:s3:::${bucket}/*`;
}

function acknowledgeBucketDeploymentHandler(handler: IConstruct, destination: CfnResource): void {
  const stack = Stack.of(handler);
  const copies =
    'Deploy-time copy of the local articles/ folder (deployLocalArticles): CDK grants read on the staged asset ' +
    'and read-write on the destination bucket; the handler never runs outside a deployment.';
  Validations.of(handler).acknowledge(
    { id: BASIC_EXECUTION_ROLE, reason: NOT_CONFIGURABLE },
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: copies,
    })),
    { id: `AwsSolutions-IAM5[Resource::${assetsBucketObjects(stack)}]`, reason: copies },
    { id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(destination)}.Arn>/*]`, reason: copies },
    { id: 'AwsSolutions-L1', reason: NOT_CONFIGURABLE },
    { id: 'Serverless-LambdaLatestVersion', reason: NOT_CONFIGURABLE },
    { id: 'Serverless-LambdaTracing', reason: `${NOT_CONFIGURABLE} It only runs during deployments.` },
    {
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked synchronously by CloudFormation; a failure fails the deployment, so there is no event to keep.',
    },
  );
}

/**
 * Acknowledges findings on the singleton handlers CDK adds to `stack` (bucket notifications,
 * bucket deployment), on those constructs only. `deploymentDestination` is the bucket a
 * BucketDeployment writes to, when there is one.
 */
export function acknowledgeCdkHandlers(stack: Stack, deploymentDestination?: CfnResource): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      Validations.of(child).acknowledge({ id: BASIC_EXECUTION_ROLE, reason: NOT_CONFIGURABLE });
    } else if (child.node.id.startsWith('Custom::CDKBucketDeployment') && deploymentDestination) {
      acknowledgeBucketDeploymentHandler(child, deploymentDestination);
    }
  }
}

/**
 * A function driven only by an SQS event source mapping: it is invoked synchronously, so a
 * function-level DLQ would never receive anything, and mappings from SQS take no on-failure
 * destination; the queue's own redrive policy is the failure path. `queue` names it in the reasons.
 */
export function acknowledgeSqsConsumer(fn: IConstruct, queue: string): void {
  Validations.of(fn).acknowledge(
    {
      id: 'Serverless-LambdaDLQ',
      reason:
        `Invoked only synchronously, by its SQS event source mapping: failed messages return to the ${queue} and ` +
        'are redriven to its dead-letter queue, so a function-level DLQ would never receive anything.',
    },
    {
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: `SQS event source mappings do not support on-failure destinations; the ${queue} redrive policy is the failure path.`,
    },
  );
}
