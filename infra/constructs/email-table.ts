import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { EDITION_PARTITION } from '../../functions/adapters/aws/edition-store.js';
import { BY_CONFIRMED_INDEX } from '../../functions/adapters/aws/subscriber-store.js';
import { KeyedTable } from './keyed-table.js';

/**
 * Confirmed subscribers, oldest confirmation first (`gsi1pk` = `CONFIRMED`, `gsi1sk` =
 * `<confirmedAt>#<id>`); the name comes from the adapter that queries it.
 */
export { BY_CONFIRMED_INDEX };

/** Epoch seconds after which DynamoDB deletes an item (rate-limit counters). */
export const EMAIL_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Subscribers, rate-limit counters, editions and the send ledger. Kept apart from the story
 * table: it holds personal data (addresses) with its own retention and access, no function that
 * handles articles can read it, and its writes never wake the publisher through the story stream.
 * Retained and deletion-protected like the story table: losing it loses every subscriber's consent.
 */
export class EmailTable extends KeyedTable {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      indexes: [{ name: BY_CONFIRMED_INDEX, prefix: 'gsi1' }],
      timeToLiveAttribute: EMAIL_TTL_ATTRIBUTE,
    });
  }

  /**
   * Query and GetItem on the edition records only (`dynamodb:LeadingKeys` = the `EDITION`
   * partition): what the publisher needs for the digest archive. No subscriber, rate counter, send
   * record or edition content is readable with it, and no index.
   */
  grantEditionRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [this.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [EDITION_PARTITION] } },
      }),
    );
  }
}
