import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocItem } from '../../core/cloud/ports.js';
import { decodePack, encodePack } from '../../core/stories/shingle-pack.js';
import { batchWriteAll, type WriteRequest } from './batch-write.js';
import { applied } from './conditional.js';
import type { DynamoTable, Item } from './dynamo-table.js';
import { DocChunksMissingError, splitFeatures } from './feature-chunks.js';
import { docKey, featKey, queryPartition, storedFeatures, toDocItem } from './story-items.js';

/** The docs of the story table: a head item and, for large features, chunk items (see `story-items.ts`). */
export class DynamoDocs {
  constructor(private readonly table: DynamoTable) {}

  async getDoc(docId: string): Promise<DocItem | undefined> {
    const items = await queryPartition(this.table, docKey(docId));
    const head = items.find((item) => item.sk === 'DOC');
    if (!head) return undefined;
    const features = decodePack(storedFeatures(docId, head, items)).get(0);
    if (!features) throw new DocChunksMissingError(docId, 'no features in the pack');
    return toDocItem(docId, head, features);
  }

  async putDoc(doc: DocItem): Promise<void> {
    const { tokens, lineEnds, fps, entities, particulars, flags } = doc;
    const packed = encodePack(new Map([[0, { tokens, lineEnds, fps, entities, particulars, flags }]]));
    const head: Item = {
      pk: docKey(doc.docId),
      sk: 'DOC',
      key: doc.key,
      seq: doc.seq,
      storyId: doc.storyId,
      date: doc.date,
      title: doc.title,
    };
    if (doc.undated) head.undated = true;
    if (doc.tags?.length) head.tags = doc.tags;
    if (doc.version !== undefined) head.version = doc.version;
    const parts = splitFeatures(packed);
    if (parts.length) {
      // Chunks first: the head names how many to read, so it must never point at missing ones.
      await batchWriteAll(
        this.table.client,
        this.table.name,
        parts.map((part, n): WriteRequest => ({ PutRequest: { Item: { ...featKey(doc.docId, n), part } } })),
      );
      head.chunks = parts.length;
      head.featBytes = packed.length;
    } else {
      head.feat = packed;
    }
    const { Attributes: old } = await this.table.client.send(
      new PutCommand({ TableName: this.table.name, Item: head, ReturnValues: 'ALL_OLD' }),
    );
    await this.deleteChunks(doc.docId, parts.length, Number(old?.chunks ?? 0));
  }

  async setDocStory(docId: string, storyId: string): Promise<void> {
    // Conditional: an update would otherwise create a head without features for a doc deleted since.
    await applied(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: docKey(docId), sk: 'DOC' },
          UpdateExpression: 'SET #story = :story',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#story': 'storyId' },
          ExpressionAttributeValues: { ':story': storyId },
        }),
      ),
    );
  }

  async deleteDoc(docId: string): Promise<void> {
    const { Attributes: old } = await this.table.client.send(
      new DeleteCommand({
        TableName: this.table.name,
        Key: { pk: docKey(docId), sk: 'DOC' },
        ReturnValues: 'ALL_OLD',
      }),
    );
    await this.deleteChunks(docId, 0, Number(old?.chunks ?? 0));
  }

  /** Deletes chunk items `from` (inclusive) to `to` (exclusive): what a smaller rewrite left behind. */
  private async deleteChunks(docId: string, from: number, to: number): Promise<void> {
    const requests: WriteRequest[] = [];
    for (let n = from; n < to; n++) requests.push({ DeleteRequest: { Key: featKey(docId, n) } });
    if (requests.length) await batchWriteAll(this.table.client, this.table.name, requests);
  }
}
