/**
 * Subscribers and rate counters in the email table (EMAIL_TABLE), with conditional writes only:
 * every status change names the status it leaves, so two requests racing for one profile cannot
 * both apply, and no DynamoDB transaction is needed.
 *
 *   pk                              sk        attributes
 *   SUB#<subscriberId>              PROFILE   the Subscriber fields, lastBounceAt, lastBounceId;
 *                                             while confirmed gsi1pk 'CONFIRMED', gsi1sk '<confirmedAt>#<id>';
 *                                             `generation` absent on profiles written before it: read as 0
 *   SUB#<legacyId>                  MOVED     movedTo: where the one-off id migration moved the profile
 *                                             that had an unkeyed id (`subscriber-id-migration.ts`)
 *   RATE#<scope>#<key>#<window>     RATE      count, expiresAt (TTL, epoch seconds)
 *
 * The index `byConfirmed` (gsi1pk, gsi1sk) lists confirmed subscribers in confirmation order; an
 * unsubscribe or a suppression removes the index attributes in the same write that changes the status.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Recipient, RecipientDirectory, Subscriber } from '../../core/email/ports.js';
import type { RateCounter, RateLimiter, SubscriberStore } from '../../core/email/subscriptions.js';
import { batchGetAll } from './batch-write.js';
import { applied } from './conditional.js';
import { DynamoTable } from './dynamo-table.js';

/** The email table's index of confirmed subscribers; `infra/` and the emulator helper import it. */
export const BY_CONFIRMED_INDEX = 'byConfirmed';
export const CONFIRMED_PARTITION = 'CONFIRMED';
const DEFAULT_PAGE_SIZE = 500;

type Item = Record<string, unknown>;

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

export const profileKey = (id: string) => ({ pk: `SUB#${id}`, sk: 'PROFILE' });
export const movedKey = (legacyId: string) => ({ pk: `SUB#${legacyId}`, sk: 'MOVED' });
const rateKey = (c: Pick<RateCounter, 'scope' | 'key' | 'window'>) => ({
  pk: `RATE#${c.scope}#${c.key}#${c.window}`,
  sk: 'RATE',
});

/** Runs a conditional update; false when its condition did not hold. */
const conditionalUpdate = (client: DynamoDBDocumentClient, input: UpdateCommandInput) =>
  applied(client.send(new UpdateCommand(input)));

function toSubscriber(item: Item): Subscriber {
  const subscriber: Subscriber = {
    id: String(item.id),
    address: String(item.address),
    status: item.status as Subscriber['status'],
    generation: Number(item.generation ?? 0),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    transientBounces: Number(item.transientBounces ?? 0),
  };
  for (const field of ['confirmedAt', 'unsubscribedAt', 'suppressedAt'] as const) {
    if (typeof item[field] === 'string') subscriber[field] = item[field] as string;
  }
  if (item.suppressReason === 'permanent-bounce' || item.suppressReason === 'complaint') {
    subscriber.suppressReason = item.suppressReason;
  }
  return subscriber;
}

function toRecipient(item: Item): Recipient {
  return { id: String(item.id), address: String(item.address), confirmedAt: String(item.confirmedAt) };
}

/**
 * A condition on the stored generation. A profile without the attribute is at generation 0, so
 * only the test for 0 may accept a missing one.
 */
function generationIs(generation: number): { expression: string; values: Item } {
  if (!Number.isSafeInteger(generation) || generation < 0)
    throw new RangeError(`bad generation ${generation}`);
  return generation === 0
    ? {
        expression: '(attribute_not_exists(#generation) OR #generation = :generation)',
        values: { ':generation': 0 },
      }
    : { expression: '#generation = :generation', values: { ':generation': generation } };
}

/** `2026-11-25T07:00:00Z` and `…00.000Z` must compare the same way against `<confirmedAt>#<id>` keys. */
function canonicalTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`not an ISO time: ${iso}`);
  return new Date(time).toISOString();
}

export class DynamoSubscriberStore implements SubscriberStore, RecipientDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: { pageSize?: number } = {},
  ) {}

  async get(id: string): Promise<Subscriber | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: profileKey(id), ConsistentRead: true }),
    );
    return Item ? toSubscriber(Item) : undefined;
  }

  async movedTo(id: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: movedKey(id), ConsistentRead: true }),
    );
    return typeof Item?.movedTo === 'string' ? Item.movedTo : undefined;
  }

  createPending(subscriber: Subscriber): Promise<boolean> {
    return applied(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...profileKey(subscriber.id), ...subscriber, status: 'pending' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  reopen(id: string, generation: number, at: string): Promise<boolean> {
    const current = generationIs(generation);
    return this.update(id, {
      UpdateExpression:
        'SET #status = :pending, #generation = :next, updatedAt = :at REMOVE unsubscribedAt, confirmedAt, gsi1pk, gsi1sk',
      ConditionExpression: `#status = :unsubscribed AND ${current.expression}`,
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':unsubscribed': 'unsubscribed',
        ':at': at,
        ':next': generation + 1,
        ...current.values,
      },
    });
  }

  confirm(id: string, generation: number, at: string): Promise<boolean> {
    const confirmedAt = canonicalTime(at);
    const current = generationIs(generation);
    return this.update(id, {
      UpdateExpression:
        'SET #status = :confirmed, confirmedAt = :at, updatedAt = :at, gsi1pk = :partition, gsi1sk = :sort',
      ConditionExpression: `#status = :pending AND ${current.expression}`,
      ExpressionAttributeValues: {
        ...current.values,
        ':confirmed': 'confirmed',
        ':pending': 'pending',
        ':at': confirmedAt,
        ':partition': CONFIRMED_PARTITION,
        ':sort': `${confirmedAt}#${id}`,
      },
    });
  }

  unsubscribe(id: string, at: string): Promise<boolean> {
    return this.update(id, {
      UpdateExpression:
        'SET #status = :unsubscribed, unsubscribedAt = :at, updatedAt = :at REMOVE gsi1pk, gsi1sk',
      ConditionExpression: '#status IN (:pending, :confirmed)',
      ExpressionAttributeValues: {
        ':unsubscribed': 'unsubscribed',
        ':pending': 'pending',
        ':confirmed': 'confirmed',
        ':at': at,
      },
    });
  }

  suppress(id: string, reason: NonNullable<Subscriber['suppressReason']>, at: string): Promise<boolean> {
    return this.update(id, {
      UpdateExpression:
        'SET #status = :suppressed, suppressedAt = :at, suppressReason = :reason, updatedAt = :at REMOVE gsi1pk, gsi1sk',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :suppressed',
      ExpressionAttributeValues: { ':suppressed': 'suppressed', ':reason': reason, ':at': at },
    });
  }

  recordTransientBounce(id: string, at: string, feedbackId: string): Promise<boolean> {
    return conditionalUpdate(this.client, {
      TableName: this.table,
      Key: profileKey(id),
      UpdateExpression:
        'SET lastBounceAt = :at, lastBounceId = :feedback, updatedAt = :at ADD transientBounces :one',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(lastBounceId) OR lastBounceId <> :feedback)',
      ExpressionAttributeValues: { ':at': at, ':feedback': feedbackId, ':one': 1 },
    });
  }

  async confirmedBefore(
    before: string,
    cursor?: string,
  ): Promise<{ recipients: Recipient[]; cursor?: string }> {
    // One page per call: the port hands the cursor back to its caller (`core/email/fan-out.ts`).
    const result = await new DynamoTable(this.client, this.table).page(
      {
        IndexName: BY_CONFIRMED_INDEX,
        KeyConditionExpression: 'gsi1pk = :partition AND gsi1sk < :before',
        // The index is eventually consistent: an unsubscribe a moment ago may still be listed here;
        // the sender re-checks with `stillConfirmed` before each chunk.
        FilterExpression: '#status = :confirmed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':partition': CONFIRMED_PARTITION,
          ':before': canonicalTime(before),
          ':confirmed': 'confirmed',
        },
        Limit: this.options.pageSize ?? DEFAULT_PAGE_SIZE,
      },
      cursor === undefined ? undefined : decodeCursor(cursor),
    );
    const recipients = (result.Items ?? []).map(toRecipient);
    return result.LastEvaluatedKey
      ? { recipients, cursor: encodeCursor(result.LastEvaluatedKey) }
      : { recipients };
  }

  async stillConfirmed(ids: readonly string[]): Promise<Map<string, Recipient>> {
    const items = await batchGetAll(this.client, this.table, [...new Set(ids)].map(profileKey));
    const found = new Map<string, Recipient>();
    for (const item of items) {
      if (item.status === 'confirmed') found.set(String(item.id), toRecipient(item));
    }
    return found;
  }

  private update(
    id: string,
    input: Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<boolean> {
    const expressions = `${input.UpdateExpression} ${input.ConditionExpression}`;
    return conditionalUpdate(this.client, {
      TableName: this.table,
      Key: profileKey(id),
      // DynamoDB refuses a name the expressions do not use.
      ExpressionAttributeNames: {
        '#status': 'status',
        ...(expressions.includes('#generation') ? { '#generation': 'generation' } : {}),
      },
      ...input,
    });
  }
}

export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  take(counter: RateCounter): Promise<boolean> {
    return conditionalUpdate(this.client, {
      TableName: this.table,
      Key: rateKey(counter),
      UpdateExpression: 'SET expiresAt = if_not_exists(expiresAt, :expires) ADD #count :one',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':expires': counter.expiresAt, ':one': 1, ':limit': counter.limit },
    });
  }

  async release(counter: RateCounter): Promise<void> {
    await conditionalUpdate(this.client, {
      TableName: this.table,
      Key: rateKey(counter),
      UpdateExpression: 'ADD #count :minus',
      ConditionExpression: '#count > :zero',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
    });
  }

  /** The current count of a window (tests and operators). */
  async count(counter: Pick<RateCounter, 'scope' | 'key' | 'window'>): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: rateKey(counter), ConsistentRead: true }),
    );
    return Number(Item?.count ?? 0);
  }
}

function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Item {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this directory returned');
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    ['pk', 'sk', 'gsi1pk', 'gsi1sk'].every((name) => typeof (key as Item)[name] === 'string');
  if (!valid) throw new InvalidCursorError('cursor is not one this directory returned');
  return key as Item;
}
