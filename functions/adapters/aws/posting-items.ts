import { DEFAULT_POSTING_CAP } from '../../core/dedup/candidate-index.js';
import { type CandidateHit, candidatesFrom, type Posting } from '../../core/stories/assign-stories.js';
import { batchWriteAll, type WriteRequest } from './batch-write.js';
import { mapLimit } from './concurrency.js';
import type { DynamoTable } from './dynamo-table.js';
import { fingerprintKey } from './story-items.js';

const CANDIDATE_QUERIES_IN_FLIGHT = 16;

/** The candidate index: one posting item per fingerprint and doc (see `story-items.ts`). */
export class DynamoPostings {
  constructor(private readonly table: DynamoTable) {}

  async addPostings(docId: string, fps: Uint32Array, keys: number): Promise<void> {
    const requests = [...new Set(fps)].map(
      (fp): WriteRequest => ({ PutRequest: { Item: { pk: fingerprintKey(fp), sk: docId, keys } } }),
    );
    await batchWriteAll(this.table.client, this.table.name, requests);
  }

  async removePostings(docId: string, fps: Uint32Array): Promise<void> {
    const requests = [...new Set(fps)].map(
      (fp): WriteRequest => ({ DeleteRequest: { Key: { pk: fingerprintKey(fp), sk: docId } } }),
    );
    await batchWriteAll(this.table.client, this.table.name, requests);
  }

  async candidates(fps: Uint32Array): Promise<CandidateHit[]> {
    return candidatesFrom(fps, await this.postings(fps));
  }

  /** Each fingerprint's docs, with their numbers of keys; a frequent fingerprint has none (see `candidates`). */
  async postings(fps: Uint32Array): Promise<Map<number, Posting[]>> {
    const found = new Map<number, Posting[]>();
    await mapLimit([...new Set(fps)], CANDIDATE_QUERIES_IN_FLIGHT, async (fp) => {
      const page = await this.table.page({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': fingerprintKey(fp) },
        ProjectionExpression: 'sk, #keys',
        ExpressionAttributeNames: { '#keys': 'keys' },
        Limit: DEFAULT_POSTING_CAP + 1,
        ConsistentRead: true,
      });
      const items = page.Items ?? [];
      // A fingerprint carried by more docs than the cap (the local index's too) is frequent: evidence of
      // nothing. Docs returned per fingerprint are capped, so a lookup costs the same however large the corpus.
      if (items.length > DEFAULT_POSTING_CAP) return;
      found.set(
        fp,
        items.map((item) => ({ docId: String(item.sk), keys: Number(item.keys ?? 0) })),
      );
    });
    return found;
  }
}
