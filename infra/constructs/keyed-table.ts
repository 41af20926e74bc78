import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  type StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { grantItemRead, grantItemReadWrite } from './item-grants.js';

export interface KeyedTableProps {
  /** Global secondary indexes on `<prefix>pk` / `<prefix>sk`, projecting every attribute. */
  indexes: ReadonlyArray<{ name: string; prefix: string }>;
  /** Indexes the item grants name (the ones functions query). @default all of `indexes` */
  grantedIndexes?: readonly string[];
  stream?: StreamViewType;
  timeToLiveAttribute?: string;
}

/**
 * The project's single-table shape: string `pk`/`sk`, on-demand (traffic is a trickle), point-in-time
 * recovery, encryption, and retained with deletion protection (the story index and subscribers'
 * consent are not to be lost with a stack). Grants are item-level with indexes named exactly.
 */
export class KeyedTable extends Table {
  readonly #grantedIndexes: readonly string[];

  constructor(scope: Construct, id: string, props: KeyedTableProps) {
    super(scope, id, {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      ...(props.stream && { stream: props.stream }),
      ...(props.timeToLiveAttribute && { timeToLiveAttribute: props.timeToLiveAttribute }),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const { name, prefix } of props.indexes) {
      this.addGlobalSecondaryIndex({
        indexName: name,
        partitionKey: { name: `${prefix}pk`, type: AttributeType.STRING },
        sortKey: { name: `${prefix}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    this.#grantedIndexes = props.grantedIndexes ?? props.indexes.map(({ name }) => name);
  }

  /** Item reads on the table and its granted indexes. */
  grantItemRead(grantee: IGrantable): void {
    grantItemRead(grantee, this.tableArn, this.#grantedIndexes);
  }

  /** Item reads and writes; writes only target the table (indexes are read-only). */
  grantItemReadWrite(grantee: IGrantable): void {
    grantItemReadWrite(grantee, this.tableArn, this.#grantedIndexes);
  }
}
