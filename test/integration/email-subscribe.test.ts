/**
 * The subscription functions end to end through their Lambda handlers and composition root, with real
 * SDK calls against dynalite (the email table) and aws-ses-v2-local (mail read back from `GET /store`).
 * Two stand-ins, said here as the preamble asks: the subscribe queue has no emulator, so an in-memory
 * queue takes the API's messages and the test hands them to the confirm mailer as an SQS event (the SQS
 * adapter itself is checked with aws-sdk-client-mock in `test/unit/email-subscribe-queue.test.ts`);
 * Secrets Manager has none either, so the keyring comes from JSON (`keyringFromJson`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/aws/clients.js';
import { DynamoRateLimiter, DynamoSubscriberStore } from '../../functions/adapters/aws/subscriber-store.js';
import { keyringFromJson } from '../../functions/adapters/fixed-secrets.js';
import { readBuiltTemplates } from '../../functions/adapters/local/templates.js';
import { composeBounces } from '../../functions/compose/bounces.js';
import { composeConfirmMailer } from '../../functions/compose/confirm-mailer.js';
import { composeSubscribeApi, type SubscribeComposeOptions } from '../../functions/compose/subscribe-api.js';
import type { Subscriber } from '../../functions/core/email/ports.js';
import type { SubscribeApiDeps } from '../../functions/core/email/subscribe-http.js';
import { unsubscribeToken } from '../../functions/core/email/subscribe-links.js';
import { confirmationCounter, sourceCounter } from '../../functions/core/email/subscribe-rate.js';
import type { SubscribeRequest } from '../../functions/core/email/subscriptions.js';
import { signToken } from '../../functions/core/email/tokens.js';
import { ConfirmationRenderer } from '../../functions/core/render/confirmation.js';
import { BounceBatchError, makeBouncesHandler } from '../../functions/handlers/bounces.js';
import { makeConfirmMailerHandler } from '../../functions/handlers/confirm-mailer.js';
import { makeSubscribeApiHandler } from '../../functions/handlers/subscribe-api.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { idKeySource, idOf, MemoryQueue, originSource, recording } from '../helpers/email-fakes.js';
import {
  createEmailTable,
  type DynamoEmulator,
  mailsTo,
  REGION,
  type SesEmulator,
  type StoredMail,
  startDynamo,
  startSes,
} from '../helpers/emulators.js';
import { functionUrlEvent, snsEvent, sqsEvent, viaCloudFront } from '../helpers/lambda-events.js';

const KEYRING_JSON = JSON.stringify({ current: 1, keys: { '1': 'k'.repeat(48) } });
const keyring = keyringFromJson(KEYRING_JSON);
const SITE_URL = 'https://news.example.org/';
const FROM = 'Panjshir Wire <news@news.example.org>';

let dynamo: DynamoEmulator;
let ses: SesEmulator;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  [dynamo, ses] = await Promise.all([startDynamo(), startSes()]);
  doc = createDocumentClient({
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: dynamo.endpoint },
  });
});

afterAll(async () => {
  await Promise.all([dynamo?.close(), ses?.close()]);
});

interface World {
  table: string;
  env: Record<string, string>;
  queue: MemoryQueue;
  store: DynamoSubscriberStore;
  api: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  drain(): Promise<string[]>;
  bounces: (event: SNSEvent) => Promise<void>;
}

async function world(
  overrides: Record<string, string> = {},
  wrap = (deps: SubscribeApiDeps) => deps,
): Promise<World> {
  const table = `email-${randomUUID().slice(0, 8)}`;
  await createEmailTable(doc, table);
  await ses.clear();
  const env = {
    EMAIL_TABLE: table,
    LIST_ID: 'digest',
    SITE_CONFIG: JSON.stringify({ title: 'Panjshir Wire', siteUrl: SITE_URL }),
    SUBSCRIBES_PER_SOURCE_PER_HOUR: '1000',
    FROM_ADDRESS: FROM,
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    CONFIRMATIONS_PER_ADDRESS_PER_DAY: '3',
    ...overrides,
  };
  const queue = new MemoryQueue();
  const options: SubscribeComposeOptions = {
    env,
    clients: { dynamo: doc, ses: ses.client },
    keyring,
    idKey: idKeySource,
    origin: originSource,
    queue,
  };
  const mailer = makeConfirmMailerHandler(() =>
    composeConfirmMailer(
      async (dir, config) => ConfirmationRenderer.create(await readBuiltTemplates(dir), config),
      options,
    ),
  );
  return {
    table,
    env,
    queue,
    store: new DynamoSubscriberStore(doc, table),
    api: makeSubscribeApiHandler(() => wrap(composeSubscribeApi(options))),
    bounces: makeBouncesHandler(() => composeBounces(options)),
    async drain() {
      const bodies = queue.requests.splice(0).map((request) => JSON.stringify(request));
      const result = await mailer(sqsEvent(bodies));
      return result.batchItemFailures.map((failure) => failure.itemIdentifier);
    },
  };
}

const subscribeEvent = (address: string, viewer = '198.51.100.20') =>
  viaCloudFront('POST', '/api/subscribe', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    viewer: `${viewer}:40000`,
    body: new URLSearchParams({ email: address }).toString(),
  });

/** The confirm link of a stored confirmation mail, as path and query for the API. */
function confirmLinkOf(mail: StoredMail): string {
  const link = /https:\/\/news\.example\.org\/api\/confirm\?token=[A-Za-z0-9_-]+/.exec(
    mail.body.text ?? '',
  )?.[0];
  if (!link) throw new Error('no confirm link in the text part');
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

async function rawItem(table: string, id: string) {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: { pk: `SUB#${id}`, sk: 'PROFILE' }, ConsistentRead: true }),
  );
  return Item;
}

async function unsubscribePath(id: string): Promise<string> {
  return `/api/unsubscribe?token=${unsubscribeToken(await keyring.keyring(), id, 'digest')}`;
}

describe('subscribe → confirmation mail → confirm', () => {
  it('mails both parts with a working link, confirms, and lists the subscriber from then on', async () => {
    const w = await world();
    const address = 'reader@example.org';
    const id = idOf(address);
    const accepted = await w.api(subscribeEvent('  Reader@EXAMPLE.org'.replace('Reader', 'reader')));
    expect(accepted.statusCode).toBe(202);
    expect(await w.store.get(id)).toBeUndefined();
    expect(await w.drain()).toEqual([]);

    const [mail, ...more] = mailsTo(await ses.store(), address);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('Confirm your subscription to Panjshir Wire');
    expect(mail!.from).toContain('<news@news.example.org>');
    const path = confirmLinkOf(mail!);
    const token = new URLSearchParams(path.split('?')[1]).get('token')!;
    expect(mail!.body.html).toContain('Confirm my subscription');
    expect(mail!.body.html).toContain(token);
    expect(await w.store.get(id)).toMatchObject({ status: 'pending', address });

    const before = new Date().toISOString();
    const page = await w.api(viaCloudFront('GET', path));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You are subscribed');
    const confirmed = (await w.store.get(id))!;
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmedAt! >= before).toBe(true);
    expect(await rawItem(w.table, id)).toMatchObject({
      gsi1pk: 'CONFIRMED',
      gsi1sk: `${confirmed.confirmedAt}#${id}`,
    });

    const later = new Date(Date.parse(confirmed.confirmedAt!) + 1000).toISOString();
    expect((await w.store.confirmedBefore(later)).recipients).toEqual([
      { id, address, confirmedAt: confirmed.confirmedAt },
    ]);
    // Strictly before: an edition scheduled at the confirmation instant does not include it.
    expect((await w.store.confirmedBefore(confirmed.confirmedAt!)).recipients).toEqual([]);
    expect([...(await w.store.stillConfirmed([id, idOf('x@example.org')])).keys()]).toEqual([id]);

    const again = await w.api(viaCloudFront('GET', path));
    expect(again.statusCode).toBe(200);
    expect((await w.store.get(id))!.confirmedAt).toBe(confirmed.confirmedAt);
  });

  it('mails a pending address again, nothing to a confirmed one, and brings an unsubscribed one back through a new confirmation', async () => {
    const w = await world();
    const address = 'cycle@example.org';
    const id = idOf(address);
    await w.api(subscribeEvent(address));
    await w.api(subscribeEvent(address));
    expect(await w.drain()).toEqual([]);
    const pendingMails = mailsTo(await ses.store(), address);
    expect(pendingMails).toHaveLength(2);
    expect((await w.store.get(id))!.status).toBe('pending');

    expect((await w.api(viaCloudFront('GET', confirmLinkOf(pendingMails[0]!)))).statusCode).toBe(200);
    const firstConfirmedAt = (await w.store.get(id))!.confirmedAt!;
    await w.api(subscribeEvent(address));
    await w.drain();
    expect(mailsTo(await ses.store(), address)).toHaveLength(2);
    expect((await w.store.get(id))!.status).toBe('confirmed');

    const unsubscribed = await w.api(
      viaCloudFront('POST', await unsubscribePath(id), {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      }),
    );
    expect(unsubscribed.statusCode).toBe(200);
    expect(await w.store.get(id)).toMatchObject({ status: 'unsubscribed' });
    expect(await rawItem(w.table, id)).not.toHaveProperty('gsi1pk');
    expect((await w.store.confirmedBefore('2100-01-01T00:00:00Z')).recipients).toEqual([]);
    expect((await w.store.stillConfirmed([id])).size).toBe(0);

    // An old confirm link does not undo the unsubscribe.
    const stale = await w.api(viaCloudFront('GET', confirmLinkOf(pendingMails[1]!)));
    expect(stale.statusCode).toBe(409);
    expect((await w.store.get(id))!.status).toBe('unsubscribed');

    await w.api(subscribeEvent(address));
    await w.drain();
    const mails = mailsTo(await ses.store(), address);
    expect(mails).toHaveLength(3);
    expect(await w.store.get(id)).toMatchObject({ status: 'pending', generation: 1 });
    // The links of the first subscription, replayed within their 7 days, do not confirm the second.
    const reopened = await rawItem(w.table, id);
    for (const old of [pendingMails[0]!, pendingMails[1]!]) {
      const replay = await w.api(viaCloudFront('GET', confirmLinkOf(old)));
      expect(replay.statusCode).toBe(400);
      expect(replay.body).toContain('This link has expired');
    }
    expect(await rawItem(w.table, id)).toEqual(reopened);
    expect((await w.api(viaCloudFront('GET', confirmLinkOf(mails[2]!)))).statusCode).toBe(200);
    const back = (await w.store.get(id))!;
    expect(back.status).toBe('confirmed');
    expect(back.confirmedAt! > firstConfirmedAt).toBe(true);
  });

  it('caps confirmation mails per address per day, counted in the email table', async () => {
    const w = await world();
    const address = 'bombed@example.org';
    for (let i = 0; i < 5; i++) expect((await w.api(subscribeEvent(address))).statusCode).toBe(202);
    expect(await w.drain()).toEqual([]);
    expect(mailsTo(await ses.store(), address)).toHaveLength(3);
    const counter = confirmationCounter(idOf(address), 3, new Date());
    expect(await new DynamoRateLimiter(doc, w.table).count(counter)).toBe(3);
    await w.api(subscribeEvent('other@example.org'));
    await w.drain();
    expect(mailsTo(await ses.store(), 'other@example.org')).toHaveLength(1);
  });

  it('limits subscribe requests per source and hour (429), keyed by the CloudFront viewer address', async () => {
    const w = await world({ SUBSCRIBES_PER_SOURCE_PER_HOUR: '2' });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await w.api(subscribeEvent(`s${i}@example.org`, '192.0.2.7'))).statusCode);
    expect(statuses).toEqual([202, 202, 429]);
    const limited = await w.api(subscribeEvent('s9@example.org', '192.0.2.7'));
    expect(Number(limited.headers!['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers!['retry-after'])).toBeLessThanOrEqual(3600);
    expect((await w.api(subscribeEvent('s3@example.org', '192.0.2.8'))).statusCode).toBe(202);
    // Called directly (the function URL is public), naming a fresh viewer or guessing the origin header:
    // refused, and counted nowhere, so no such request can use up or reset anyone's limit.
    const direct = (headers: Record<string, string>) =>
      functionUrlEvent('POST', '/subscribe', {
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'email=d%40example.org',
        sourceIp: '192.0.2.9',
      });
    const attempts: Record<string, string>[] = [
      {},
      { 'cloudfront-viewer-address': '192.0.2.10:1' },
      { 'cloudfront-viewer-address': '192.0.2.11:1', 'x-origin-verify': 'guess-'.repeat(8) },
    ];
    for (const headers of attempts) {
      expect((await w.api(direct(headers))).statusCode, JSON.stringify(headers)).toBe(403);
    }
    const limiter = new DynamoRateLimiter(doc, w.table);
    for (const key of ['192.0.2.9', '192.0.2.10', '192.0.2.11', 'unknown']) {
      expect(await limiter.count(sourceCounter(key, 2, new Date())), key).toBe(0);
    }
    expect(await limiter.count(sourceCounter('192.0.2.7', 2, new Date()))).toBe(2);
    expect(w.queue.requests.map((r) => r.address)).toEqual([
      's0@example.org',
      's1@example.org',
      's3@example.org',
    ]);
  });

  it('answers 503 when the table is not there, and reports one malformed queue message alone', async () => {
    const w = await world();
    const broken = await world({ EMAIL_TABLE: 'no-such-table' });
    const failed = await broken.api(subscribeEvent('a@example.org'));
    expect(failed.statusCode).toBe(503);
    expect(failed.headers!['retry-after']).toBe('60');

    w.queue.requests.push({
      kind: 'subscribe',
      address: 'good@example.org',
      requestedAt: new Date().toISOString(),
    });
    w.queue.requests.push({ kind: 'nonsense' } as unknown as SubscribeRequest);
    expect(await w.drain()).toEqual(['msg-1']);
    expect(mailsTo(await ses.store(), 'good@example.org')).toHaveLength(1);
  });
});

describe('profiles stored before generations existed', () => {
  async function putLegacy(table: string, address: string, status: 'pending' | 'unsubscribed') {
    const id = idOf(address);
    const at = '2026-10-01T00:00:00.000Z';
    // As the previous version wrote them: no generation attribute.
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `SUB#${id}`,
          sk: 'PROFILE',
          id,
          address,
          status,
          createdAt: at,
          updatedAt: at,
          transientBounces: 0,
          ...(status === 'unsubscribed' ? { unsubscribedAt: at } : {}),
        },
      }),
    );
    return id;
  }

  it('read as generation 0: a link mailed before the change still confirms, and a re-subscribe opens generation 1', async () => {
    const w = await world();
    const pendingId = await putLegacy(w.table, 'legacy-pending@example.org', 'pending');
    expect((await w.store.get(pendingId))!.generation).toBe(0);
    // A confirm token in the old layout (no generation field), as an inbox may still hold.
    const oldLink = signToken(await keyring.keyring(), {
      purpose: 'confirm',
      subscriberId: pendingId,
      list: 'digest',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    expect((await w.api(viaCloudFront('GET', `/api/confirm?token=${oldLink}`))).statusCode).toBe(200);
    expect(await w.store.get(pendingId)).toMatchObject({ status: 'confirmed', generation: 0 });

    const address = 'legacy-gone@example.org';
    const goneId = await putLegacy(w.table, address, 'unsubscribed');
    const oldGoneLink = signToken(await keyring.keyring(), {
      purpose: 'confirm',
      subscriberId: goneId,
      list: 'digest',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    await w.api(subscribeEvent(address));
    expect(await w.drain()).toEqual([]);
    expect(await rawItem(w.table, goneId)).toMatchObject({ status: 'pending', generation: 1 });
    expect((await w.api(viaCloudFront('GET', `/api/confirm?token=${oldGoneLink}`))).statusCode).toBe(400);
    expect((await w.store.get(goneId))!.status).toBe('pending');
    const [mail] = mailsTo(await ses.store(), address);
    expect((await w.api(viaCloudFront('GET', confirmLinkOf(mail!)))).statusCode).toBe(200);
    expect(await w.store.get(goneId)).toMatchObject({ status: 'confirmed', generation: 1 });
  });

  it('the store refuses a confirm or reopen at another generation, and accepts 0 for a missing one only', async () => {
    const w = await world();
    const id = await putLegacy(w.table, 'store@example.org', 'unsubscribed');
    const at = '2026-11-01T00:00:00.000Z';
    expect(await w.store.reopen(id, 1, at)).toBe(false);
    expect(await w.store.reopen(id, 0, at)).toBe(true);
    expect(await w.store.reopen(id, 0, at)).toBe(false);
    expect(await w.store.confirm(id, 0, at)).toBe(false);
    expect(await w.store.confirm(id, 2, at)).toBe(false);
    expect((await w.store.get(id))!.status).toBe('pending');
    expect(await w.store.confirm(id, 1, at)).toBe(true);
    expect(await w.store.get(id)).toMatchObject({ status: 'confirmed', generation: 1, confirmedAt: at });
  });
});

describe('tokens against the real store', () => {
  let w: World;
  const a = 'alice@example.org';
  const b = 'bob@example.org';
  const idA = idOf(a);
  const idB = idOf(b);
  let confirmPathA: string;

  beforeEach(async () => {
    w = await world();
    await w.api(subscribeEvent(a));
    await w.api(subscribeEvent(b));
    await w.drain();
    confirmPathA = confirmLinkOf(mailsTo(await ses.store(), a)[0]!);
    await w.api(viaCloudFront('GET', confirmLinkOf(mailsTo(await ses.store(), b)[0]!)));
  });

  it('rejects the confirm link with any one character of the token changed, and changes nothing', async () => {
    const before = await rawItem(w.table, idA);
    const [path, token] = confirmPathA.split('?token=') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const swapped = alphabet[(alphabet.indexOf(token[i]!) + 17) % 64]!;
      const response = await w.api(
        viaCloudFront('GET', `${path}?token=${token.slice(0, i)}${swapped}${token.slice(i + 1)}`),
      );
      expect(response.statusCode, `position ${i}`).toBe(400);
    }
    expect(await rawItem(w.table, idA)).toEqual(before);
  });

  it("unsubscribes only the subscriber the token names: A's token never touches B", async () => {
    await w.api(viaCloudFront('GET', confirmPathA));
    const bBefore = await rawItem(w.table, idB);
    const response = await w.api(viaCloudFront('POST', await unsubscribePath(idA)));
    expect(response.statusCode).toBe(200);
    expect((await w.store.get(idA))!.status).toBe('unsubscribed');
    expect(await rawItem(w.table, idB)).toEqual(bBefore);
    const again = await w.api(viaCloudFront('POST', await unsubscribePath(idA)));
    expect(again.statusCode).toBe(200);
    expect((await w.store.confirmedBefore('2100-01-01T00:00:00Z')).recipients.map((r) => r.id)).toEqual([
      idB,
    ]);
  });

  it('GET /unsubscribe shows the button and changes nothing', async () => {
    const before = await rawItem(w.table, idB);
    const path = await unsubscribePath(idB);
    for (const prefix of ['', '/api']) {
      const response = await w.api(viaCloudFront('GET', path.replace('/api', prefix)));
      expect(response.statusCode).toBe(200);
      expect(response.headers!['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers!['x-frame-options']).toBe('DENY');
      expect(response.headers!['cache-control']).toBe('no-store');
      expect(response.body).toContain('<button type="submit">Unsubscribe</button>');
    }
    expect(await rawItem(w.table, idB)).toEqual(before);
  });
});

describe('the API does the same work whatever the state of the address', () => {
  const STATES = ['new', 'pending', 'confirmed', 'unsubscribed', 'suppressed'] as const;

  function profileIn(address: string, state: (typeof STATES)[number]): Subscriber & Record<string, unknown> {
    const id = idOf(address);
    const at = '2026-11-01T00:00:00.000Z';
    const base = { id, address, generation: 0, createdAt: at, updatedAt: at, transientBounces: 0 };
    if (state === 'confirmed') {
      return { ...base, status: 'confirmed', confirmedAt: at, gsi1pk: 'CONFIRMED', gsi1sk: `${at}#${id}` };
    }
    return { ...base, status: state === 'new' ? 'pending' : state };
  }

  async function put(table: string, address: string, state: (typeof STATES)[number]) {
    const id = idOf(address);
    if (state === 'new') {
      await doc.send(new DeleteCommand({ TableName: table, Key: { pk: `SUB#${id}`, sk: 'PROFILE' } }));
      return;
    }
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: `SUB#${id}`, sk: 'PROFILE', ...profileIn(address, state) },
      }),
    );
  }

  it('makes the same port calls and gives the same answer; prints the median time per state', async () => {
    const log: string[] = [];
    const w = await world({}, (deps) => recording(deps, log));
    const address = 'probe@example.org';
    const answers = new Map<string, string>();
    const calls = new Map<string, string>();
    for (const state of STATES) {
      await put(w.table, address, state);
      log.length = 0;
      const response = await w.api(subscribeEvent(address));
      answers.set(state, JSON.stringify(response));
      calls.set(state, log.join(' '));
    }
    expect(new Set(answers.values()).size).toBe(1);
    expect(JSON.parse(answers.get('new')!).statusCode).toBe(202);
    expect(new Set(calls.values())).toEqual(new Set(['origin.originSecrets limiter.take queue.enqueue']));

    const ROUNDS = 40;
    const samples = new Map<string, number[]>(STATES.map((state) => [state, []]));
    for (const state of STATES) await put(w.table, `${state}@example.org`, state);
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, so drift in the emulator's speed spreads over every state alike.
      for (const state of STATES) {
        const event = subscribeEvent(`${state}@example.org`, `198.51.100.${round % 250}`);
        const start = performance.now();
        const response = await w.api(event);
        samples.get(state)!.push(performance.now() - start);
        expect(response.statusCode).toBe(202);
      }
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    console.log(
      `POST /subscribe against dynalite, median of ${ROUNDS} per state: ${STATES.map(
        (state) => `${state} ${median(samples.get(state)!).toFixed(2)} ms`,
      ).join(', ')}`,
    );
    expect(w.queue.requests).toHaveLength(STATES.length * (ROUNDS + 1));
  });
});

describe('bounce and complaint events through SNS', () => {
  const sample = (name: string) =>
    readFileSync(new URL(`../fixtures/ses-events/${name}.json`, import.meta.url), 'utf8');

  async function confirmedSubscriber(w: World, address: string) {
    const id = idOf(address);
    const at = new Date().toISOString();
    await w.store.createPending({
      id,
      address,
      status: 'pending',
      generation: 0,
      createdAt: at,
      updatedAt: at,
      transientBounces: 0,
    });
    await w.store.confirm(id, 0, at);
    return id;
  }

  it('suppresses on a permanent bounce or a complaint, counts transient bounces once each, ignores strangers', async () => {
    const w = await world();
    const gone = await confirmedSubscriber(w, 'gone@example.net');
    const full = await confirmedSubscriber(w, 'Full.Box@example.com');
    const annoyed = await confirmedSubscriber(w, 'annoyed@example.org');
    await w.bounces(
      snsEvent([
        sample('permanent-bounce'),
        sample('transient-bounce'),
        sample('complaint'),
        sample('identity-notification-bounce'),
        sample('delivery'),
        'not json at all',
      ]),
    );
    expect(await w.store.get(gone)).toMatchObject({
      status: 'suppressed',
      suppressReason: 'permanent-bounce',
    });
    expect(await w.store.get(annoyed)).toMatchObject({ status: 'suppressed', suppressReason: 'complaint' });
    expect(await rawItem(w.table, gone)).not.toHaveProperty('gsi1pk');
    expect(await w.store.get(full)).toMatchObject({ status: 'confirmed', transientBounces: 1 });
    expect(await rawItem(w.table, full)).toMatchObject({
      lastBounceId: expect.any(String),
      lastBounceAt: expect.any(String),
    });
    expect(await rawItem(w.table, idOf('nobody@example.net'))).toBeUndefined();
    expect((await w.store.confirmedBefore('2100-01-01T00:00:00Z')).recipients.map((r) => r.id)).toEqual([
      full,
    ]);

    // SNS delivers at least once: the same transient notice again is not counted twice.
    await w.bounces(snsEvent([sample('transient-bounce')]));
    expect((await w.store.get(full))!.transientBounces).toBe(1);
  });

  it('keeps a suppressed address suppressed: no confirmation mail, and its confirm link does not activate it', async () => {
    const w = await world();
    const address = 'gone@example.net';
    await w.api(subscribeEvent(address));
    await w.drain();
    const link = confirmLinkOf(mailsTo(await ses.store(), address)[0]!);
    await w.bounces(snsEvent([sample('permanent-bounce')]));
    await w.api(subscribeEvent(address));
    await w.drain();
    expect(mailsTo(await ses.store(), address)).toHaveLength(1);
    const response = await w.api(viaCloudFront('GET', link));
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('We cannot send to this address');
    expect((await w.store.get(idOf(address)))!.status).toBe('suppressed');
  });

  it('fails the invocation when the table cannot be written, so Lambda retries it', async () => {
    const w = await world({ EMAIL_TABLE: 'no-such-table' });
    await expect(w.bounces(snsEvent([sample('complaint')]))).rejects.toBeInstanceOf(BounceBatchError);
  });
});
