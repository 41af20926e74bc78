/**
 * The one-off move of subscriber profiles from the unkeyed ids of earlier versions (a SHA-256 of the
 * address) to keyed ids (`core/email/subscriber-id.ts`), for tables made before the change. Idempotent:
 * a profile already under its keyed id is left alone, so the move can be run again after an interruption.
 *
 * For each profile whose id is not the keyed id of its address, with conditional writes only (no
 * transactions, as everywhere here):
 *   1. the profile is copied under the keyed id (`movedFrom` names the old one; the confirmed index
 *      key follows the new id); a profile already there that is not such a copy is a conflict: left
 *      alone and reported (someone subscribed under the new id before the move; an operator decides);
 *   2. `SUB#<old> MOVED` records the new id, so unsubscribe and confirm links in mails already sent,
 *      which name the old id, still reach the subscriber (`SubscriberStore.movedTo`);
 *   3. the old profile is deleted, only if it did not change since it was read; if it did (someone used
 *      an old link meanwhile), it is read again and the copy made anew.
 * Between 1 and 3 a confirmed subscriber is listed twice: run it between editions (README).
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { normalizeAddress } from '../../core/email/address.js';
import { subscriberIdFor } from '../../core/email/subscriber-id.js';
import { applied } from './conditional.js';
import { DynamoTable } from './dynamo-table.js';
import { CONFIRMED_PARTITION, movedKey, profileKey } from './subscriber-store.js';

type Item = Record<string, unknown>;

export interface IdMigrationReport {
  /** Profiles read. */
  profiles: number;
  /** Moved to their keyed id by this run. */
  moved: number;
  /** Already under their keyed id (new since the change, or moved by an earlier run). */
  keyed: number;
  /** Old ids left in place because another profile holds the keyed id. */
  conflicts: string[];
  /** Old ids whose stored address does not normalise: left in place. */
  invalid: string[];
}

/** How often a profile that changed under the move is read again before it is reported as a conflict. */
const MAX_MOVE_ATTEMPTS = 3;

export async function migrateSubscriberIds(
  client: DynamoDBDocumentClient,
  table: string,
  idKey: Uint8Array,
  log: (line: string) => void = () => {},
): Promise<IdMigrationReport> {
  const report: IdMigrationReport = { profiles: 0, moved: 0, keyed: 0, conflicts: [], invalid: [] };
  const movedNow = new Set<string>();
  for await (const page of new DynamoTable(client, table).scan({
    FilterExpression: 'sk = :profile',
    ExpressionAttributeValues: { ':profile': 'PROFILE' },
    ConsistentRead: true,
  })) {
    for (const item of page.Items ?? []) {
      // A copy this run made may come up later in the scan: it was counted as moved.
      if (item.movedFrom !== undefined && movedNow.has(String(item.movedFrom))) continue;
      report.profiles++;
      const oldId = String(item.id);
      const address = normalizeAddress(String(item.address));
      if (!address.ok) {
        report.invalid.push(oldId);
        log(`${oldId}: stored address does not normalise (${address.reason}); left in place`);
        continue;
      }
      const newId = subscriberIdFor(idKey, address.address);
      if (newId === oldId) {
        report.keyed++;
        continue;
      }
      if (await moveProfile(client, table, oldId, newId, item)) {
        movedNow.add(oldId);
        report.moved++;
        log(`${oldId} → ${newId}`);
      } else {
        report.conflicts.push(oldId);
        log(`${oldId}: ${newId} is held by another profile; left in place`);
      }
    }
  }
  return report;
}

async function moveProfile(
  client: DynamoDBDocumentClient,
  table: string,
  oldId: string,
  newId: string,
  first: Item,
): Promise<boolean> {
  let item: Item | undefined = first;
  for (let attempt = 0; attempt < MAX_MOVE_ATTEMPTS && item; attempt++) {
    const copied = await applied(
      client.send(
        new PutCommand({
          TableName: table,
          Item: movedItem(item, newId),
          // A copy made by an earlier attempt or run may be replaced; a profile of its own may not.
          ConditionExpression: 'attribute_not_exists(pk) OR movedFrom = :old',
          ExpressionAttributeValues: { ':old': oldId },
        }),
      ),
    );
    if (!copied) return false;
    await client.send(new PutCommand({ TableName: table, Item: { ...movedKey(oldId), movedTo: newId } }));
    const removed = await applied(
      client.send(
        new DeleteCommand({
          TableName: table,
          Key: profileKey(oldId),
          ConditionExpression: 'updatedAt = :updatedAt AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':updatedAt': item.updatedAt, ':status': item.status },
        }),
      ),
    );
    if (removed) return true;
    // Changed (or deleted) since it was read: copy what it is now, if anything.
    ({ Item: item } = await client.send(
      new GetCommand({ TableName: table, Key: profileKey(oldId), ConsistentRead: true }),
    ));
  }
  // Gone meanwhile (moved by a concurrent run): the copy and the record of the move are in place.
  return item === undefined;
}

function movedItem(item: Item, newId: string): Item {
  const moved: Item = { ...item, ...profileKey(newId), id: newId, movedFrom: item.id };
  if (item.gsi1pk === CONFIRMED_PARTITION) moved.gsi1sk = `${String(item.confirmedAt)}#${newId}`;
  return moved;
}
