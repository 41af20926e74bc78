/**
 * Wakes the site publisher for another invocation: the publisher runs on the story table's stream,
 * filtered to `STORY#` keys, so a write to one item under that prefix is an invocation. Item layout:
 *
 *   pk              sk     attributes
 *   STORY#~publish  WAKE   at (a fresh id on every wake: an unchanged item makes no stream record)
 *
 * Not a story: it has no `STORY` sort key and none of the index keys, so no listing or story read
 * ever meets it. `~` sorts after every story id, which are hex.
 */
import { randomUUID } from 'node:crypto';
import type { PublishWake } from '../../core/cloud/publish-drain.js';
import type { DynamoTable } from './dynamo-table.js';

export const PUBLISH_WAKE_KEY = { pk: 'STORY#~publish', sk: 'WAKE' } as const;

export class DynamoPublishWake implements PublishWake {
  constructor(private readonly table: DynamoTable) {}

  async wake(): Promise<void> {
    await this.table.put({ ...PUBLISH_WAKE_KEY, at: randomUUID() });
  }
}
