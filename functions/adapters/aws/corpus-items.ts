/**
 * The corpus index of the story table (`CorpusIndexStore`): line and entity postings, the marks of
 * common lines, and the template set, as items beside the docs (layout in `story-items.ts`):
 *
 *   LINE#<8 hex>     <docId>   (nothing: the doc carries the line)
 *   ENT#<8 hex>      <docId>   (nothing: the doc names the entity)
 *   COMMON#<8 hex>   C         (the line is carried by `COMMON_LINE_DOCS` docs or more)
 *   TEMPLATE         <8 hex>   (the line is learned to be template)
 *
 * Postings sort by docId, whose first 32 bits are the template sample's key, so the first items of
 * a line's partition are its sample. Reads are strongly consistent, as every ingest read is.
 */
import type { CorpusIndexStore } from '../../core/cloud/ports.js';
import { batchGetAll, batchWriteAll, type WriteRequest } from './batch-write.js';
import type { DynamoTable } from './dynamo-table.js';
import { docKey, queryPartition } from './story-items.js';

const hex = (hash: number) => hash.toString(16).padStart(8, '0');
export const lineKey = (line: number) => `LINE#${hex(line)}`;
export const entityKey = (entity: number) => `ENT#${hex(entity)}`;
const commonKey = (line: number) => ({ pk: `COMMON#${hex(line)}`, sk: 'C' });
const TEMPLATE = 'TEMPLATE';

export class DynamoCorpusIndex implements CorpusIndexStore {
  constructor(private readonly table: DynamoTable) {}

  lineCarriers(line: number, limit?: number): Promise<string[]> {
    return this.carriers(lineKey(line), limit);
  }

  entityCarriers(entity: number, limit?: number): Promise<string[]> {
    return this.carriers(entityKey(entity), limit);
  }

  private async carriers(pk: string, limit?: number): Promise<string[]> {
    const items = await this.table.query(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
      },
      limit,
    );
    return items.map((item) => String(item.sk));
  }

  addCarrier(docId: string, lines: Uint32Array, entities: Uint32Array): Promise<void> {
    return this.write(postingKeys(docId, lines, entities).map((key) => ({ PutRequest: { Item: key } })));
  }

  removeCarrier(docId: string, lines: Uint32Array, entities: Uint32Array): Promise<void> {
    return this.write(postingKeys(docId, lines, entities).map((key) => ({ DeleteRequest: { Key: key } })));
  }

  setCommon(common: readonly number[], uncommon: readonly number[]): Promise<void> {
    return this.write([
      ...[...new Set(common)].map((line): WriteRequest => ({ PutRequest: { Item: commonKey(line) } })),
      ...[...new Set(uncommon)].map((line): WriteRequest => ({ DeleteRequest: { Key: commonKey(line) } })),
    ]);
  }

  async commonLines(lines: readonly number[]): Promise<Set<number>> {
    const keys = [...new Set(lines)].map(commonKey);
    if (!keys.length) return new Set();
    const found = await batchGetAll(this.table.client, this.table.name, keys);
    return new Set(found.map((item) => Number.parseInt(String(item.pk).slice('COMMON#'.length), 16)));
  }

  async templates(): Promise<Set<number>> {
    const items = await queryPartition(this.table, TEMPLATE);
    return new Set(items.map((item) => Number.parseInt(String(item.sk), 16)));
  }

  setTemplates(added: readonly number[], removed: readonly number[]): Promise<void> {
    return this.write([
      ...added.map((line): WriteRequest => ({ PutRequest: { Item: { pk: TEMPLATE, sk: hex(line) } } })),
      ...removed.map((line): WriteRequest => ({ DeleteRequest: { Key: { pk: TEMPLATE, sk: hex(line) } } })),
    ]);
  }

  async docStories(docIds: readonly string[]): Promise<Map<string, string>> {
    const keys = [...new Set(docIds)].map((docId) => ({ pk: docKey(docId), sk: 'DOC' }));
    const stories = new Map<string, string>();
    if (!keys.length) return stories;
    // Only the story of each head: the features stay in DynamoDB.
    for (const item of await batchGetAll(this.table.client, this.table.name, keys, 'pk, storyId')) {
      if (typeof item.storyId === 'string') stories.set(String(item.pk).slice('DOC#'.length), item.storyId);
    }
    return stories;
  }

  private async write(requests: WriteRequest[]): Promise<void> {
    if (requests.length) await batchWriteAll(this.table.client, this.table.name, requests);
  }
}

function postingKeys(docId: string, lines: Uint32Array, entities: Uint32Array) {
  return [
    ...[...new Set(lines)].map((line) => ({ pk: lineKey(line), sk: docId })),
    ...[...new Set(entities)].map((entity) => ({ pk: entityKey(entity), sk: docId })),
  ];
}
