/**
 * The send ledger in the email table: one item per edition and subscriber,
 *
 *   pk                                  sk     attributes
 *   SEND#<editionId>#<subscriberId>     SEND   state, attemptId, claimedAt, messageId?, sentAt?, error?, expiresAt
 *
 * created by a conditional put (the claim) and changed only by writes conditional on the claim's
 * attemptId, so a sender that lost its claim can never overwrite the one that holds it.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ClaimResult,
  SendLedger,
  SendRecord,
  SendState,
  SentRecord,
} from '../../core/email/edition-ports.js';
import { applied } from './conditional.js';

/**
 * Ledger items expire (DynamoDB TTL) long after any copy of their outbox message can come back:
 * SQS keeps a message 14 days at most.
 */
export const LEDGER_TTL_DAYS = 90;
/** A claim deleted between our failed put and our read is claimed again, a few times at most. */
const CLAIM_TRIES = 3;

const ledgerKey = (editionId: string, subscriberId: string) => ({
  pk: `SEND#${editionId}#${subscriberId}`,
  sk: 'SEND',
});

function toRecord(item: Record<string, unknown>): SendRecord {
  const record: SendRecord = {
    editionId: String(item.editionId),
    subscriberId: String(item.subscriberId),
    state: item.state as SendState,
    attemptId: String(item.attemptId),
    claimedAt: String(item.claimedAt),
  };
  if (typeof item.messageId === 'string') record.messageId = item.messageId;
  if (typeof item.sentAt === 'string') record.sentAt = item.sentAt;
  if (typeof item.error === 'string') record.error = item.error;
  return record;
}

export class DynamoSendLedger implements SendLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(editionId: string, subscriberId: string, attemptId: string, at: string): Promise<ClaimResult> {
    const expiresAt = Math.floor(Date.parse(at) / 1000) + LEDGER_TTL_DAYS * 86_400;
    for (let i = 0; i < CLAIM_TRIES; i++) {
      const claimed = await applied(
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...ledgerKey(editionId, subscriberId),
              editionId,
              subscriberId,
              state: 'claimed',
              attemptId,
              claimedAt: at,
              expiresAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (claimed) return { claimed: true };
      const existing = await this.get(editionId, subscriberId);
      if (existing) return { claimed: false, existing };
    }
    throw new Error(`send ${editionId}#${subscriberId}: the claim kept appearing and disappearing`);
  }

  async get(editionId: string, subscriberId: string): Promise<SendRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: ledgerKey(editionId, subscriberId),
        ConsistentRead: true,
      }),
    );
    return Item && toRecord(Item);
  }

  recordSent(...[editionId, subscriberId, attemptId, messageId, at]: SentRecord): Promise<boolean> {
    // Not conditional on the state: a claim another sender marked unknown meanwhile is still ours.
    return this.update(
      editionId,
      subscriberId,
      attemptId,
      'SET #state = :sent, #messageId = :mid, #sentAt = :at',
      {
        names: { '#state': 'state', '#messageId': 'messageId', '#sentAt': 'sentAt' },
        values: { ':sent': 'sent', ':mid': messageId, ':at': at },
      },
    );
  }

  markUnknown(editionId: string, subscriberId: string, attemptId: string, reason: string): Promise<boolean> {
    return this.update(
      editionId,
      subscriberId,
      attemptId,
      'SET #state = :unknown, #error = :reason',
      {
        names: { '#state': 'state', '#error': 'error' },
        values: { ':unknown': 'unknown', ':reason': reason, ':claimed': 'claimed' },
      },
      '#state = :claimed',
    );
  }

  markFailed(editionId: string, subscriberId: string, attemptId: string, error: string): Promise<boolean> {
    return this.update(editionId, subscriberId, attemptId, 'SET #state = :failed, #error = :error', {
      names: { '#state': 'state', '#error': 'error' },
      values: { ':failed': 'failed', ':error': error },
    });
  }

  release(editionId: string, subscriberId: string, attemptId: string): Promise<boolean> {
    return applied(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: ledgerKey(editionId, subscriberId),
          ConditionExpression: '#attempt = :attempt',
          ExpressionAttributeNames: { '#attempt': 'attemptId' },
          ExpressionAttributeValues: { ':attempt': attemptId },
        }),
      ),
    );
  }

  private update(
    editionId: string,
    subscriberId: string,
    attemptId: string,
    expression: string,
    { names, values }: { names: Record<string, string>; values: Record<string, unknown> },
    extraCondition?: string,
  ): Promise<boolean> {
    return applied(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ledgerKey(editionId, subscriberId),
          UpdateExpression: expression,
          ConditionExpression: `#attempt = :attempt${extraCondition ? ` AND ${extraCondition}` : ''}`,
          ExpressionAttributeNames: { ...names, '#attempt': 'attemptId' },
          ExpressionAttributeValues: { ...values, ':attempt': attemptId },
        }),
      ),
    );
  }
}
