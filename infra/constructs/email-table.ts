import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { grantItemRead, grantItemReadWrite } from './item-grants.js';

/** Confirmed subscribers, oldest confirmation first (`gsi1pk` = `CONFIRMED`, `gsi1sk` = `<confirmedAt>#<id>`). */
export const BY_CONFIRMED_INDEX = 'byConfirmed';

/** Epoch seconds after which DynamoDB deletes an item (rate-limit counters). */
export const EMAIL_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Subscribers, rate-limit counters, editions and the send ledger. Kept apart from the story
 * table: it holds personal data (addresses) with its own retention and access, no function that
 * handles articles can read it, and its writes never wake the publisher through the story stream.
 * Retained and deletion-protected like the story table: losing it loses every subscriber's consent.
 */
export class EmailTable extends Table {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: EMAIL_TTL_ATTRIBUTE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addGlobalSecondaryIndex({
      indexName: BY_CONFIRMED_INDEX,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  /** Item reads on the table and its one index, which is named exactly (no `index/*`). */
  grantItemRead(grantee: IGrantable): void {
    grantItemRead(grantee, this.tableArn, [BY_CONFIRMED_INDEX]);
  }

  /** Item reads and writes; writes only target the table. */
  grantItemReadWrite(grantee: IGrantable): void {
    grantItemReadWrite(grantee, this.tableArn, [BY_CONFIRMED_INDEX]);
  }
}
