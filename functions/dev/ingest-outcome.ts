import { DynamoDocs } from '../adapters/aws/doc-items.js';
import type { DynamoTable } from '../adapters/aws/dynamo-table.js';
import { DynamoObjects } from '../adapters/aws/object-items.js';
import type { S3EventRecord } from './emulators.js';

/**
 * What the ingest left for one object, read back from the story table (the handler reports only
 * failures): the dev console's line per uploaded or removed article.
 */
export function ingestOutcome(
  table: DynamoTable,
  articlesPrefix: string,
): (record: S3EventRecord, failed: boolean) => Promise<string> {
  const objects = new DynamoObjects(table);
  const docs = new DynamoDocs(table);
  return async (record, failed) => {
    const key = record.s3.object.key;
    // No queue redelivers here: the handler's error line says why, and uploading again retries.
    if (failed) return `${key}: failed (see the error above; upload the file again to retry)`;
    const object = await objects.getObject(key.slice(articlesPrefix.length));
    if (!object || object.sequencer !== record.s3.object.sequencer) {
      return `${key}: ${object ? 'stale (a newer event was applied)' : 'ignored'}`;
    }
    if (object.status === 'deleted') return `${key}: removed`;
    if (object.status === 'held') return `${key}: held until ${object.heldUntil}`;
    if (object.status === 'rejected') {
      const reason = (await objects.quarantined()).find((entry) => entry.key === object.key)?.message;
      return `${key}: quarantined${reason ? `: ${reason}` : ''}`;
    }
    const doc = await docs.getDoc(object.docId);
    return `${key}: published, story ${doc?.storyId ?? '(none)'}`;
  };
}
