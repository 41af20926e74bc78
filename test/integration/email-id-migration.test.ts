/**
 * The one-off move from unkeyed to keyed subscriber ids (`npm run migrate:subscriber-ids`) against
 * dynalite, with real SDK calls: profiles stored by earlier versions move to the keyed id of their
 * address, old unsubscribe and confirm links still reach them, a second run changes nothing, and a
 * profile that changes while it is moved is not lost. The subscribe queue is an in-memory queue and the
 * secrets are given as values (no emulator for SQS or Secrets Manager).
 */
import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/aws/clients.js';
import { migrateSubscriberIds } from '../../functions/adapters/aws/subscriber-id-migration.js';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/subscriber-store.js';
import { keyringFromJson } from '../../functions/adapters/fixed-secrets.js';
import { main as migrateCli } from '../../functions/cli/commands/migrate-subscriber-ids.js';
import { composeSubscribeApi } from '../../functions/compose/subscribe-api.js';
import { signToken } from '../../functions/core/email/tokens.js';
import { makeSubscribeApiHandler } from '../../functions/handlers/subscribe-api.js';
import { ID_KEY, idOf, MemoryQueue, originSource } from '../helpers/email-fakes.js';
import { createEmailTable, type DynamoEmulator, REGION, startDynamo } from '../helpers/emulators.js';
import { viaCloudFront } from '../helpers/lambda-events.js';

const KEYRING = keyringFromJson(JSON.stringify({ current: 1, k1: 'm'.repeat(64) }));
const AT = '2026-10-01T00:00:00.000Z';

let dynamo: DynamoEmulator;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynamo();
  doc = createDocumentClient({
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: dynamo.endpoint },
  });
});
afterAll(async () => {
  await dynamo?.close();
});

/** The ids of earlier versions: an unkeyed, labelled SHA-256 of the address. */
const legacyIdOf = (address: string) =>
  createHash('sha256').update(`newsfeed-subscriber\u0000${address}`).digest('hex').slice(0, 32);

type Status = 'pending' | 'confirmed' | 'unsubscribed' | 'suppressed';

/** A profile as an earlier version stored it: unkeyed id, no generation. */
async function putLegacy(table: string, address: string, status: Status): Promise<string> {
  const id = legacyIdOf(address);
  await doc.send(
    new PutCommand({
      TableName: table,
      Item: {
        pk: `SUB#${id}`,
        sk: 'PROFILE',
        id,
        address,
        status,
        createdAt: AT,
        updatedAt: AT,
        transientBounces: 0,
        ...(status === 'confirmed' ? { confirmedAt: AT, gsi1pk: 'CONFIRMED', gsi1sk: `${AT}#${id}` } : {}),
        ...(status === 'suppressed' ? { suppressedAt: AT, suppressReason: 'complaint' } : {}),
      },
    }),
  );
  return id;
}

async function rawProfile(table: string, id: string) {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: { pk: `SUB#${id}`, sk: 'PROFILE' }, ConsistentRead: true }),
  );
  return Item;
}

async function freshTable(): Promise<{ table: string; store: DynamoSubscriberStore }> {
  const table = `email-${randomUUID().slice(0, 8)}`;
  await createEmailTable(doc, table);
  return { table, store: new DynamoSubscriberStore(doc, table) };
}

function apiOf(table: string) {
  const env = {
    EMAIL_TABLE: table,
    LIST_ID: 'digest',
    SITE_CONFIG: JSON.stringify({ title: 'Harbour Wire', siteUrl: 'https://news.example.org/' }),
  };
  return makeSubscribeApiHandler(() =>
    composeSubscribeApi({
      env,
      clients: { dynamo: doc },
      keyring: KEYRING,
      origin: originSource,
      queue: new MemoryQueue(),
    }),
  );
}

describe('migrateSubscriberIds', () => {
  it('moves every legacy profile to the keyed id of its address, keeps its state, and lists confirmed ones once', async () => {
    const { table, store } = await freshTable();
    const states: Record<string, Status> = {
      'confirmed@example.org': 'confirmed',
      'pending@example.org': 'pending',
      'gone@example.org': 'unsubscribed',
      'bounced@example.org': 'suppressed',
    };
    for (const [address, status] of Object.entries(states)) await putLegacy(table, address, status);
    // Subscribed after the deploy: already under its keyed id.
    await store.createPending({
      id: idOf('new@example.org'),
      address: 'new@example.org',
      status: 'pending',
      generation: 0,
      createdAt: AT,
      updatedAt: AT,
      transientBounces: 0,
    });

    const lines: string[] = [];
    const report = await migrateSubscriberIds(doc, table, ID_KEY, (line) => lines.push(line));
    expect(report).toEqual({ profiles: 5, moved: 4, keyed: 1, conflicts: [], invalid: [] });
    expect(lines).toHaveLength(4);

    for (const [address, status] of Object.entries(states)) {
      const legacy = legacyIdOf(address);
      expect(await rawProfile(table, legacy), address).toBeUndefined();
      expect(await store.movedTo(legacy)).toBe(idOf(address));
      expect(await store.get(idOf(address))).toMatchObject({
        id: idOf(address),
        address,
        status,
        generation: 0,
        createdAt: AT,
      });
    }
    expect(await rawProfile(table, idOf('confirmed@example.org'))).toMatchObject({
      gsi1pk: 'CONFIRMED',
      gsi1sk: `${AT}#${idOf('confirmed@example.org')}`,
      movedFrom: legacyIdOf('confirmed@example.org'),
    });
    expect((await store.confirmedBefore('2100-01-01T00:00:00Z')).recipients).toEqual([
      { id: idOf('confirmed@example.org'), address: 'confirmed@example.org', confirmedAt: AT },
    ]);
    expect(await store.movedTo(idOf('new@example.org'))).toBeUndefined();

    // Run again: nothing left to move, nothing counted twice.
    expect(await migrateSubscriberIds(doc, table, ID_KEY)).toEqual({
      profiles: 5,
      moved: 0,
      keyed: 5,
      conflicts: [],
      invalid: [],
    });
  });

  it('lets links in mail sent before the move reach the moved profile: one-click unsubscribe and a pending confirm', async () => {
    const { table, store } = await freshTable();
    const reader = await putLegacy(table, 'reader@example.org', 'confirmed');
    const waiting = await putLegacy(table, 'waiting@example.org', 'pending');
    await migrateSubscriberIds(doc, table, ID_KEY);
    const api = apiOf(table);
    const ring = await KEYRING.keyring();

    const unsubscribe = signToken(ring, { purpose: 'unsubscribe', subscriberId: reader, list: 'digest' });
    const oneClick = await api(
      viaCloudFront('POST', `/api/unsubscribe?token=${unsubscribe}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      }),
    );
    expect(oneClick.statusCode).toBe(200);
    expect((await store.get(idOf('reader@example.org')))?.status).toBe('unsubscribed');
    expect((await store.confirmedBefore('2100-01-01T00:00:00Z')).recipients).toEqual([]);

    const confirm = signToken(ring, {
      purpose: 'confirm',
      subscriberId: waiting,
      list: 'digest',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    expect((await api(viaCloudFront('GET', `/api/confirm?token=${confirm}`))).statusCode).toBe(200);
    expect((await store.get(idOf('waiting@example.org')))?.status).toBe('confirmed');

    // A token naming an id nobody ever had still finds nothing.
    const stranger = signToken(ring, {
      purpose: 'unsubscribe',
      subscriberId: 'f'.repeat(32),
      list: 'digest',
    });
    const none = await api(viaCloudFront('POST', `/api/unsubscribe?token=${stranger}`));
    expect(none.statusCode).toBe(200);
    expect(await store.movedTo('f'.repeat(32))).toBeUndefined();
  });

  it('leaves a legacy profile in place when another profile holds its keyed id, and reports it', async () => {
    const { table, store } = await freshTable();
    const legacy = await putLegacy(table, 'twice@example.org', 'confirmed');
    await store.createPending({
      id: idOf('twice@example.org'),
      address: 'twice@example.org',
      status: 'pending',
      generation: 0,
      createdAt: AT,
      updatedAt: AT,
      transientBounces: 0,
    });
    const report = await migrateSubscriberIds(doc, table, ID_KEY);
    expect(report.conflicts).toEqual([legacy]);
    expect(report.moved).toBe(0);
    expect((await rawProfile(table, legacy))?.status).toBe('confirmed');
    expect((await store.get(idOf('twice@example.org')))?.status).toBe('pending');
    expect(await store.movedTo(legacy)).toBeUndefined();
  });

  it('does not lose a change made to the old profile while it is being moved (an old link used meanwhile)', async () => {
    const { table, store } = await freshTable();
    const legacy = await putLegacy(table, 'busy@example.org', 'confirmed');
    let raced = false;
    // Just before the first delete of the old profile, its subscriber unsubscribes through it.
    const racing = new Proxy(doc, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: unknown) => {
          if (!raced && command instanceof DeleteCommand) {
            raced = true;
            expect(
              await new DynamoSubscriberStore(doc, table).unsubscribe(legacy, '2026-11-01T00:00:00.000Z'),
            ).toBe(true);
          }
          return target.send(command as never);
        };
      },
    });
    const report = await migrateSubscriberIds(racing, table, ID_KEY);
    expect(raced).toBe(true);
    expect(report.moved).toBe(1);
    expect(await rawProfile(table, legacy)).toBeUndefined();
    expect(await store.get(idOf('busy@example.org'))).toMatchObject({
      status: 'unsubscribed',
      unsubscribedAt: '2026-11-01T00:00:00.000Z',
    });
    expect((await store.confirmedBefore('2100-01-01T00:00:00Z')).recipients).toEqual([]);
  });

  it('runs as npm run migrate:subscriber-ids: usage and exit 2 without its arguments, 0 for --help', async () => {
    const lines: string[] = [];
    expect(await migrateCli([], (line) => lines.push(line))).toBe(2);
    expect(lines.join('\n')).toContain('--id-key-secret');
    expect(await migrateCli(['--bogus'], () => {})).toBe(2);
    expect(await migrateCli(['--table', 'email'], () => {})).toBe(2);
    expect(await migrateCli(['--help'], () => {})).toBe(0);
  });
});
