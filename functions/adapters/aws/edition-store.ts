/**
 * Editions in the email table (conditional writes only; dynalite has no transactions):
 *
 *   pk                    sk            attributes
 *   EDITION               <editionId>   status, scheduledTime, createdAt, cutoff?, storyIds?, subject?, recipients?
 *   EDITION#<editionId>   CONTENT       scheduledTime, subject, html, text, placeholder, archivedPath
 *
 * Edition ids sort by time (`e-YYYY-MM-DDTHHMMZ`), so the EDITION partition read backwards lists
 * the newest first.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  CreateEditionResult,
  EditionContent,
  EditionRecord,
  EditionStatus,
  EditionStore,
} from '../../core/email/edition-ports.js';
import { applied } from './conditional.js';
import { DynamoTable, type Item } from './dynamo-table.js';

/** The partition of the edition records (the publish function may read only this one). */
export const EDITION_PARTITION = 'EDITION';
const EDITIONS = EDITION_PARTITION;
const contentKey = (editionId: string) => ({ pk: `EDITION#${editionId}`, sk: 'CONTENT' });
/** Editions read per page while looking back for one of a given status. */
const LOOKBACK_PAGE = 25;

function toRecord(item: Item): EditionRecord {
  const record: EditionRecord = {
    id: String(item.sk),
    status: item.status as EditionStatus,
    scheduledTime: String(item.scheduledTime),
    createdAt: String(item.createdAt),
  };
  if (typeof item.cutoff === 'string') record.cutoff = item.cutoff;
  if (Array.isArray(item.storyIds)) record.storyIds = item.storyIds.map(String);
  if (typeof item.subject === 'string') record.subject = item.subject;
  if (item.recipients !== undefined) record.recipients = Number(item.recipients);
  return record;
}

export class DynamoEditionStore implements EditionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: EditionRecord): Promise<CreateEditionResult> {
    const { id, ...fields } = record;
    const created = await applied(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: EDITIONS, sk: id, ...fields },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return { created: true };
    const existing = await this.get(id);
    // Editions are never deleted, so the one that failed the condition is there to read.
    if (!existing) throw new Error(`edition ${id} exists but could not be read`);
    return { created: false, existing };
  }

  async get(editionId: string): Promise<EditionRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: EDITIONS, sk: editionId },
        ConsistentRead: true,
      }),
    );
    return Item && toRecord(Item);
  }

  async previousNonEmpty(editionId: string): Promise<EditionRecord | undefined> {
    return this.newestWhere('#status <> :status', 'empty', editionId);
  }

  async putContent(content: EditionContent): Promise<void> {
    const { editionId, ...fields } = content;
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...contentKey(editionId), ...fields } }),
    );
  }

  async getContent(editionId: string): Promise<EditionContent | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: contentKey(editionId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      editionId,
      scheduledTime: String(Item.scheduledTime),
      subject: String(Item.subject),
      html: String(Item.html),
      text: String(Item.text),
      placeholder: String(Item.placeholder),
      archivedPath: String(Item.archivedPath),
    };
  }

  markSending(
    editionId: string,
    plan: { cutoff?: string; storyIds: string[]; subject: string },
  ): Promise<boolean> {
    return this.transition(editionId, 'planning', 'sending', {
      storyIds: plan.storyIds,
      subject: plan.subject,
      ...(plan.cutoff === undefined ? {} : { cutoff: plan.cutoff }),
    });
  }

  markEmpty(editionId: string, cutoff: string | undefined): Promise<boolean> {
    return this.transition(editionId, 'planning', 'empty', cutoff === undefined ? {} : { cutoff });
  }

  markSent(editionId: string, recipients: number): Promise<boolean> {
    return this.transition(editionId, 'sending', 'sent', { recipients });
  }

  /** Sets the status and fields only if the edition is still in `from`. */
  private transition(
    editionId: string,
    from: EditionStatus,
    to: EditionStatus,
    fields: Record<string, unknown>,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':from': from, ':to': to };
    const sets = ['#status = :to'];
    for (const [i, [name, value]] of Object.entries(fields).entries()) {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    }
    const input: UpdateCommandInput = {
      TableName: this.tableName,
      Key: { pk: EDITIONS, sk: editionId },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    return applied(this.client.send(new UpdateCommand(input)));
  }

  /**
   * The newest edition (before `beforeId` when given) matching a status condition. A filter applies
   * after `Limit`, so pages are followed until one matches.
   */
  private async newestWhere(
    condition: string,
    status: EditionStatus,
    beforeId?: string,
  ): Promise<EditionRecord | undefined> {
    for await (const page of new DynamoTable(this.client, this.tableName).pages({
      KeyConditionExpression: beforeId === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :before',
      FilterExpression: condition,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': EDITIONS,
        ':status': status,
        ...(beforeId === undefined ? {} : { ':before': beforeId }),
      },
      ScanIndexForward: false,
      Limit: LOOKBACK_PAGE,
      ConsistentRead: true,
    })) {
      const first = page.Items?.[0];
      if (first) return toRecord(first);
    }
    return undefined;
  }
}
