/**
 * What went out in an edition, in the email table (the rule: `core/email/mailed-stories.ts`).
 * Conditional writes only; the first edition a story or doc went out in is the one kept.
 *
 *   pk                  sk                 attributes
 *   MAILED              STORY#<storyId>    editionId
 *   MAILED              DOC#<docId>        editionId, feat? (the doc's packed features; left out over
 *                                          ITEM_PART_BYTES, and the doc is then known by id only)
 *   MAILEDFP#<8 hex>    DOCS               docs (string set of the mailed doc ids under that
 *                                          fingerprint; stops growing at the frequent-key cap)
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_POSTING_CAP } from '../../core/dedup/candidate-index.js';
import type { StoredFeatures } from '../../core/dedup/doc-features.js';
import type { MailedStore } from '../../core/email/mailed-stories.js';
import { decodeDoc, encodeDoc } from '../../core/stories/shingle-pack.js';
import { batchGetAll } from './batch-write.js';
import { applied } from './conditional.js';
import { DynamoTable, ITEM_PART_BYTES, type Item } from './dynamo-table.js';

const MAILED = 'MAILED';
const storySk = (id: string) => `STORY#${id}`;
const docSk = (id: string) => `DOC#${id}`;
const postingKey = (fp: number) => ({ pk: `MAILEDFP#${fp.toString(16).padStart(8, '0')}`, sk: 'DOCS' });

export class DynamoMailedStore implements MailedStore {
  private readonly table: DynamoTable;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    tableName: string,
  ) {
    this.table = new DynamoTable(client, tableName);
  }

  private async editions(sks: readonly string[]): Promise<Map<string, string>> {
    const keys = [...new Set(sks)].map((sk) => ({ pk: MAILED, sk }));
    const items = keys.length ? await batchGetAll(this.client, this.table.name, keys) : [];
    return new Map(items.map((item) => [String(item.sk), String(item.editionId)]));
  }

  async editionsOfStories(storyIds: readonly string[]): Promise<Map<string, string>> {
    const found = await this.editions(storyIds.map(storySk));
    return new Map([...found].map(([sk, edition]) => [sk.slice('STORY#'.length), edition]));
  }

  async editionsOfDocs(docIds: readonly string[]): Promise<Map<string, string>> {
    const found = await this.editions(docIds.map(docSk));
    return new Map([...found].map(([sk, edition]) => [sk.slice('DOC#'.length), edition]));
  }

  async docsSharing(keys: Uint32Array, frequent: number): Promise<string[]> {
    const unique = [...new Set(keys)].map(postingKey);
    const items = unique.length ? await batchGetAll(this.client, this.table.name, unique) : [];
    const docs = new Set<string>();
    for (const item of items) {
      const ids = item.docs instanceof Set ? [...(item.docs as Set<string>)] : [];
      if (ids.length < frequent) for (const id of ids) docs.add(id);
    }
    return [...docs].sort();
  }

  async mailedDoc(docId: string): Promise<{ editionId: string; features?: StoredFeatures } | undefined> {
    const item = await this.table.get({ pk: MAILED, sk: docSk(docId) });
    if (!item) return undefined;
    const editionId = String(item.editionId);
    return item.feat instanceof Uint8Array ? { editionId, features: decodeDoc(item.feat) } : { editionId };
  }

  async rememberStory(storyId: string, editionId: string): Promise<void> {
    await this.putFirst({ pk: MAILED, sk: storySk(storyId), editionId });
  }

  async rememberDoc(docId: string, editionId: string, features: StoredFeatures | undefined): Promise<void> {
    const item: Item = { pk: MAILED, sk: docSk(docId), editionId };
    const packed = features && encodeDoc(features);
    if (packed && packed.length <= ITEM_PART_BYTES) item.feat = packed;
    // The postings first: a doc record without them would never be found by content.
    for (const fp of new Set(features?.fps ?? [])) await this.addPosting(fp, docId);
    await this.putFirst(item);
  }

  private async putFirst(item: Item): Promise<void> {
    await this.table.putIf(item, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  /** Adds the doc under the fingerprint, unless as many docs as the frequent-key cap are there already. */
  private async addPosting(fp: number, docId: string): Promise<void> {
    await applied(
      this.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: postingKey(fp),
          UpdateExpression: 'ADD #docs :doc',
          ConditionExpression: 'attribute_not_exists(#docs) OR contains(#docs, :id) OR size(#docs) < :cap',
          ExpressionAttributeNames: { '#docs': 'docs' },
          ExpressionAttributeValues: { ':doc': new Set([docId]), ':id': docId, ':cap': DEFAULT_POSTING_CAP },
        }),
      ),
    );
  }
}
