import type { ObjectRecord } from '../../core/cloud/ports.js';
import type { Diagnostic } from '../../core/model.js';
import type { DynamoTable } from './dynamo-table.js';
import { type QuarantinedObject, queryPartition, toObjectRecord } from './story-items.js';

/**
 * What the table knows of each article object: its record (what was last applied for the key) and
 * its quarantine entry (why a version was rejected), both keyed by the object key (see
 * `story-items.ts`). Ingest writes them through `DynamoIngestStore`; the reconciler reads every
 * record here (`records`) and the dev console and tests every quarantine entry (`quarantined`),
 * without an ingest store.
 */
export class DynamoObjects {
  constructor(private readonly table: DynamoTable) {}

  async getObject(key: string): Promise<ObjectRecord | undefined> {
    const item = await this.table.get({ pk: 'OBJ', sk: key });
    return item && toObjectRecord(item);
  }

  putObjectIf(record: ObjectRecord, previous: ObjectRecord | undefined): Promise<boolean> {
    const { key, ...fields } = record;
    return this.table.putIf(
      { pk: 'OBJ', sk: key, ...fields },
      previous
        ? {
            ConditionExpression: '#v = :v AND #s = :s',
            ExpressionAttributeNames: { '#v': 'version', '#s': 'sequencer' },
            ExpressionAttributeValues: { ':v': previous.version, ':s': previous.sequencer },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  /** Every object record (for the reconciler). */
  async records(): Promise<ObjectRecord[]> {
    return (await queryPartition(this.table, 'OBJ')).map(toObjectRecord);
  }

  async quarantine(key: string, version: string, diagnostic: Diagnostic): Promise<void> {
    await this.table.put({
      pk: 'QUARANTINE',
      sk: key,
      version,
      code: diagnostic.code,
      message: diagnostic.message,
    });
  }

  async releaseQuarantine(key: string): Promise<void> {
    await this.table.delete({ pk: 'QUARANTINE', sk: key });
  }

  async quarantined(): Promise<QuarantinedObject[]> {
    return (await queryPartition(this.table, 'QUARANTINE')).map((item) => ({
      key: String(item.sk),
      version: String(item.version),
      code: String(item.code),
      message: String(item.message),
    }));
  }
}
