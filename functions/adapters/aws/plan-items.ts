import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { IngestPlan } from '../../core/cloud/ports.js';
import { batchWriteAll, type WriteRequest } from './batch-write.js';
import { type DynamoTable, ITEM_PART_BYTES } from './dynamo-table.js';
import { PlanPartsMissingError, queryPartition } from './story-items.js';

/** The plan of the ingest in progress: one item, or a head and parts when it is large (see `story-items.ts`). */
export class DynamoPlans {
  constructor(private readonly table: DynamoTable) {}

  async getPlan(): Promise<IngestPlan | undefined> {
    const items = await queryPartition(this.table, 'PLAN');
    const head = items.find((item) => item.sk === 'HEAD');
    if (!head) return undefined;
    if (typeof head.plan === 'string') return JSON.parse(head.plan) as IngestPlan;
    const prefix = `PART#${String(head.planId)}#`;
    const parts = new Map<number, Uint8Array>();
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith(prefix) && item.part instanceof Uint8Array)
        parts.set(Number(sk.slice(prefix.length)), item.part);
    }
    const bytes = Number(head.bytes ?? 0);
    const json = new Uint8Array(bytes);
    let offset = 0;
    for (let n = 0; n < Number(head.parts ?? 0); n++) {
      const part = parts.get(n);
      if (!part || offset + part.length > bytes) throw new PlanPartsMissingError(n);
      json.set(part, offset);
      offset += part.length;
    }
    if (offset !== bytes) throw new PlanPartsMissingError(Number(head.parts ?? 0));
    return JSON.parse(new TextDecoder().decode(json)) as IngestPlan;
  }

  /**
   * One put when the plan fits an item (nearly always); else its parts first and the head naming them
   * last, so a head never points at missing parts. Parts of a head that was never written (the
   * writer died between the two) are never read.
   */
  async putPlan(plan: IngestPlan): Promise<void> {
    const json = new TextEncoder().encode(JSON.stringify(plan));
    if (json.length <= ITEM_PART_BYTES) {
      await this.table.put({ pk: 'PLAN', sk: 'HEAD', plan: new TextDecoder().decode(json) });
      return;
    }
    const planId = randomUUID();
    const requests: WriteRequest[] = [];
    for (let at = 0, n = 0; at < json.length; at += ITEM_PART_BYTES, n++) {
      const part = json.slice(at, at + ITEM_PART_BYTES);
      requests.push({ PutRequest: { Item: { pk: 'PLAN', sk: `PART#${planId}#${n}`, part } } });
    }
    await batchWriteAll(this.table.client, this.table.name, requests);
    await this.table.put({ pk: 'PLAN', sk: 'HEAD', planId, parts: requests.length, bytes: json.length });
  }

  async deletePlan(): Promise<void> {
    const { Attributes: head } = await this.table.client.send(
      new DeleteCommand({
        TableName: this.table.name,
        Key: { pk: 'PLAN', sk: 'HEAD' },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const requests: WriteRequest[] = [];
    for (let n = 0; n < Number(head?.parts ?? 0); n++) {
      requests.push({ DeleteRequest: { Key: { pk: 'PLAN', sk: `PART#${String(head?.planId)}#${n}` } } });
    }
    if (requests.length) await batchWriteAll(this.table.client, this.table.name, requests);
  }
}
