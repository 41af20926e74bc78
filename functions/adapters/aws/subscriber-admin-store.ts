/**
 * The list owner's view of the email table (`npm run subscribers`), beside `DynamoSubscriberStore`:
 * it adds the consent attributes to a profile it creates, lists every profile, and erases one.
 *
 *   pk                   sk        attributes (besides the Subscriber fields of subscriber-store.ts)
 *   SUB#<subscriberId>   PROFILE   consentSource, consentAt: written by an import; absent for the form
 *   SUB#<subscriberId>   PROFILE   after `forget`: id, status 'suppressed', suppressReason 'erased',
 *                                  suppressedAt, createdAt/updatedAt = the erase time; no address
 *
 * An erased profile stays a profile so that every path that reads one (the confirm mailer skips a
 * suppressed address; a second subscribe cannot create it anew) keeps the address from being mailed.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Subscriber } from '../../core/email/ports.js';
import {
  type Consent,
  ERASED,
  type ExportedSubscriber,
  type SubscriberAdminStore,
} from '../../core/email/subscriber-admin.js';
import { applied } from './conditional.js';
import { DynamoTable } from './dynamo-table.js';
import { CONFIRMED_PARTITION, DynamoSubscriberStore, profileKey } from './subscriber-store.js';

/** How imported and form profiles show in the export when no consent source is stored. */
export const FORM_SOURCE = 'form';

export class DynamoSubscriberAdminStore implements SubscriberAdminStore {
  private readonly profiles: DynamoSubscriberStore;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.profiles = new DynamoSubscriberStore(client, table);
  }

  get(id: string): Promise<Subscriber | undefined> {
    return this.profiles.get(id);
  }

  createImported(subscriber: Subscriber, consent: Consent): Promise<boolean> {
    const listed =
      subscriber.status === 'confirmed' && subscriber.confirmedAt
        ? { gsi1pk: CONFIRMED_PARTITION, gsi1sk: `${subscriber.confirmedAt}#${subscriber.id}` }
        : {};
    return applied(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...profileKey(subscriber.id),
            ...subscriber,
            ...listed,
            consentSource: consent.source,
            consentAt: consent.at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async *list(): AsyncIterable<ExportedSubscriber> {
    for await (const page of new DynamoTable(this.client, this.table).scan({
      FilterExpression: 'sk = :profile AND begins_with(pk, :sub)',
      ExpressionAttributeValues: { ':profile': 'PROFILE', ':sub': 'SUB#' },
    })) {
      for (const item of page.Items ?? []) yield exported(item);
    }
  }

  async forget(id: string, at: string): Promise<void> {
    // A whole-item put: every attribute not named here (address, consent, bounces, index keys) goes.
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...profileKey(id),
          id,
          address: '',
          status: 'suppressed',
          suppressReason: ERASED,
          suppressedAt: at,
          createdAt: at,
          updatedAt: at,
          generation: 0,
          transientBounces: 0,
        },
      }),
    );
  }
}

function exported(item: Record<string, unknown>): ExportedSubscriber {
  const text = (name: string) =>
    typeof item[name] === 'string' && item[name] !== '' ? String(item[name]) : undefined;
  const row: ExportedSubscriber = {
    id: String(item.id),
    status: item.status as ExportedSubscriber['status'],
    source: text('consentSource') ?? (item.suppressReason === ERASED ? '' : FORM_SOURCE),
  };
  for (const [field, name] of [
    ['address', 'address'],
    ['confirmedAt', 'confirmedAt'],
    ['consentAt', 'consentAt'],
    ['suppressReason', 'suppressReason'],
  ] as const) {
    const value = text(name);
    if (value !== undefined) row[field] = value;
  }
  return row;
}
