import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The global secondary index listing stories by date (`gsi1pk`, `gsi1sk`). */
export const BY_DATE_INDEX = 'byDate';

/** The keys the publish function reacts to; other items (articles, fingerprints, bookkeeping) do not republish. */
export const STORY_KEY_PREFIX = 'STORY#';

const READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const WRITE_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

/**
 * The single-table index of articles, fingerprints and stories. On-demand (traffic is a trickle
 * of uploads), point-in-time recovery on, and its stream drives publishing.
 */
export class StoryTable extends Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addGlobalSecondaryIndex({
      indexName: BY_DATE_INDEX,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  /**
   * Item reads on the table and its one index. Unlike `grantReadData`, the index ARN is named
   * exactly instead of `index/*`, so the policy carries no wildcard resource.
   */
  grantItemRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: READ_ACTIONS, resources: this.itemResources() }),
    );
  }

  /** Item reads and writes; see `grantItemRead`. Writes only target the table (indexes are read-only). */
  grantItemReadWrite(grantee: IGrantable): void {
    this.grantItemRead(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: WRITE_ACTIONS, resources: [this.tableArn] }),
    );
  }

  private itemResources(): string[] {
    return [this.tableArn, `${this.tableArn}/index/${BY_DATE_INDEX}`];
  }
}
