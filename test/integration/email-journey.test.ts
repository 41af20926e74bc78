/**
 * A subscriber's whole journey through the real handlers and composition roots, with real SDK
 * calls against dynalite (story and email tables), s3rver (articles, site) and aws-ses-v2-local
 * (mail read back at `GET /store`): subscribe through the API → confirmation mail → the link in
 * it confirms → the scheduled edition mails each confirmed subscriber once → the one-click
 * unsubscribe link in that mail works → the next edition skips them.
 *
 * Stand-ins, where no emulator exists: the subscribe queue and the outbox are in-memory queues
 * handing their bodies to the consumers as SQS events; the keyring comes from JSON instead of
 * Secrets Manager. The emulator drops the List-Unsubscribe headers of raw mail; they are checked
 * on the SDK request in test/unit/email-send-ses-request.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { outboxBody } from '../../functions/adapters/aws/sqs-outbox.js';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/subscriber-store.js';
import { keyringFromJson } from '../../functions/adapters/fixed-secrets.js';
import { readBuiltTemplates } from '../../functions/adapters/local/templates.js';
import { composeConfirmMailer } from '../../functions/compose/confirm-mailer.js';
import { composeEdition } from '../../functions/compose/edition.js';
import { composeSender } from '../../functions/compose/sender.js';
import { composeSubscribeApi } from '../../functions/compose/subscribe-api.js';
import type { EditionSendMessage } from '../../functions/core/email/edition-ports.js';
import type { SubscribeRequest } from '../../functions/core/email/subscriptions.js';
import { ConfirmationRenderer } from '../../functions/core/render/confirmation.js';
import { makeConfirmMailerHandler } from '../../functions/handlers/confirm-mailer.js';
import { makeEditionHandler } from '../../functions/handlers/edition.js';
import { makeSenderHandler } from '../../functions/handlers/sender.js';
import { makeSubscribeApiHandler } from '../../functions/handlers/subscribe-api.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { idKeySource, idOf, originSource } from '../helpers/email-fakes.js';
import { putStoryWithArticle } from '../helpers/email-world.js';
import {
  createEmailTable,
  createStoryTable,
  mailsTo,
  type S3Emulator,
  type SesEmulator,
  type StoredMail,
  startDynamo,
  startS3,
  startSes,
  testClients,
} from '../helpers/emulators.js';
import { sqsEvent, viaCloudFront } from '../helpers/lambda-events.js';

const SITE_URL = 'https://news.example.org/';
const KEYRING = keyringFromJson(JSON.stringify({ current: 1, k1: 'j'.repeat(64) }));

let s3: S3Emulator;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let ses: SesEmulator;
let clients: AwsClients;

beforeAll(async () => {
  [s3, dynamo, ses] = await Promise.all([startS3(), startDynamo(), startSes({ maxSendRate: 20 })]);
  clients = testClients(s3.endpoint, dynamo.endpoint);
});
afterAll(async () => {
  await Promise.all([s3?.close(), dynamo?.close(), ses?.close()]);
});

/** A form request through CloudFront, from one viewer. */
const request = (method: string, pathAndQuery: string, body?: string): APIGatewayProxyEventV2 =>
  viaCloudFront(method, pathAndQuery, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    viewer: '198.51.100.7:50000',
    body,
    sourceIp: '130.176.0.1',
  });

/** The path and query of the first `https://news.example.org/api/<kind>?token=…` link in a text part. */
function apiLink(mail: StoredMail | undefined, kind: 'confirm' | 'unsubscribe'): string {
  const match = new RegExp(`https://news\\.example\\.org(/api/${kind}\\?token=[A-Za-z0-9_-]+)`).exec(
    mail?.body.text ?? '',
  );
  if (!match?.[1]) throw new Error(`no ${kind} link in the mail's text part`);
  return match[1];
}

async function journeyWorld() {
  const suffix = randomUUID().slice(0, 8);
  const env = {
    STORY_TABLE: `stories-${suffix}`,
    EMAIL_TABLE: `email-${suffix}`,
    SITE_BUCKET: `site-${suffix}`,
    ARTICLES_BUCKET: `articles-${suffix}`,
    ARTICLES_PREFIX: 'articles/',
    SITE_CONFIG: JSON.stringify({ title: 'Harbour Wire', siteUrl: SITE_URL, subscribeUrl: '/api/subscribe' }),
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    DIGEST_MAX_STORIES: '10',
    LIST_ID: 'digest',
    FROM_ADDRESS: 'news@example.org',
    CONFIGURATION_SET: 'newsfeed-events',
    SEND_CONCURRENCY: '2',
    SUBSCRIBES_PER_SOURCE_PER_HOUR: '100',
    CONFIRMATIONS_PER_ADDRESS_PER_DAY: '3',
  };
  await Promise.all([
    clients.s3.send(new CreateBucketCommand({ Bucket: env.SITE_BUCKET })),
    clients.s3.send(new CreateBucketCommand({ Bucket: env.ARTICLES_BUCKET })),
    createStoryTable(clients.dynamo, env.STORY_TABLE),
    createEmailTable(clients.dynamo, env.EMAIL_TABLE),
  ]);
  let now = Date.parse('2026-11-24T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const sleep = async (ms: number) => {
    now += ms;
  };
  const subscribeQueue: string[] = [];
  const outbox: string[] = [];
  const common = { env, clock, keyring: KEYRING };
  const subscribeOptions = {
    ...common,
    clients: { dynamo: clients.dynamo, ses: ses.client },
    idKey: idKeySource,
    origin: originSource,
    queue: { enqueue: async (r: SubscribeRequest) => void subscribeQueue.push(JSON.stringify(r)) },
  };
  const api = makeSubscribeApiHandler(() => composeSubscribeApi(subscribeOptions));
  const confirmMailer = makeConfirmMailerHandler(() =>
    composeConfirmMailer(
      async (dir, config) => ConfirmationRenderer.create(await readBuiltTemplates(dir), config),
      subscribeOptions,
    ),
  );
  const edition = makeEditionHandler(() =>
    composeEdition({
      ...common,
      clients: { dynamo: clients.dynamo, s3: clients.s3 },
      outbox: {
        enqueue: async (messages: readonly EditionSendMessage[]) => {
          for (const message of messages) outbox.push(outboxBody(message));
        },
      },
    }),
  );
  const sender = makeSenderHandler(() =>
    composeSender({ ...common, clients: { dynamo: clients.dynamo, ses: ses.client }, sleep }),
  );
  return {
    env,
    subscribers: new DynamoSubscriberStore(clients.dynamo, env.EMAIL_TABLE),
    at: (iso: string) => {
      now = Date.parse(iso);
    },
    api,
    async deliverSubscribeQueue() {
      const result = await confirmMailer(sqsEvent(subscribeQueue.splice(0)));
      expect(result.batchItemFailures).toEqual([]);
    },
    async runEdition(scheduledTime: string) {
      const outcome = await edition({ scheduledTime });
      while (outbox.length) {
        const result = await sender(sqsEvent([outbox.shift()!]));
        expect(result.batchItemFailures).toEqual([]);
      }
      return outcome;
    },
    /** A story as ingest leaves it: the article in the bucket, the story item first published at `createdAt`. */
    story: (id: string, createdAt: string) =>
      putStoryWithArticle(
        clients,
        { storyTable: env.STORY_TABLE, articlesBucket: env.ARTICLES_BUCKET, prefix: env.ARTICLES_PREFIX },
        {
          id,
          createdAt,
          title: `Harbour story ${id}`,
          summary: `What happened in ${id}.`,
          text: `The full text of story ${id}, long enough to be an article of its own.`,
        },
      ),
  };
}

describe('a subscriber’s journey', () => {
  it('subscribe → confirm by mail link → one edition mail each → one-click unsubscribe → skipped next time', async () => {
    const w = await journeyWorld();
    await ses.clear();

    // Alice and Bob subscribe and confirm; Carol subscribes and never confirms.
    const subscribe = (address: string) =>
      w.api(request('POST', '/api/subscribe', `email=${encodeURIComponent(address)}`));
    const asNew = await subscribe('alice@example.org');
    expect(asNew.statusCode).toBe(202);
    await subscribe('bob@example.org');
    await subscribe('carol@example.org');
    await w.deliverSubscribeQueue();
    let store = await ses.store();
    for (const address of ['alice@example.org', 'bob@example.org', 'carol@example.org']) {
      expect(mailsTo(store, address)).toHaveLength(1);
    }
    // Alice, pending, subscribes again: the same answer as when she was new.
    const asPending = await subscribe('alice@example.org');
    expect([asPending.statusCode, asPending.body]).toEqual([asNew.statusCode, asNew.body]);
    await w.deliverSubscribeQueue();
    w.at('2026-11-24T09:05:00Z');
    store = await ses.store();
    for (const address of ['alice@example.org', 'bob@example.org']) {
      const confirm = await w.api(request('GET', apiLink(mailsTo(store, address).at(-1), 'confirm')));
      expect(confirm.statusCode).toBe(200);
    }
    // Confirmed now: still the same answer, and no further mail.
    const asConfirmed = await subscribe('alice@example.org');
    expect([asConfirmed.statusCode, asConfirmed.body]).toEqual([asNew.statusCode, asNew.body]);
    await w.deliverSubscribeQueue();
    expect(mailsTo(await ses.store(), 'alice@example.org')).toHaveLength(2);
    expect((await w.subscribers.get(idOf('carol@example.org')))?.status).toBe('pending');

    // Two stories are first published before the next morning's schedule, one after it.
    await w.story('tide', '2026-11-24T15:00:00.000Z');
    await w.story('ferry', '2026-11-24T18:30:00.000Z');
    await w.story('late', '2026-11-25T07:30:00.000Z');
    await ses.clear();
    w.at('2026-11-25T07:00:01Z');
    expect(await w.runEdition('2026-11-25T07:00:00Z')).toMatchObject({
      action: 'sent',
      recipients: 2,
      stories: 2,
    });
    // The schedule fires twice: still one mail each.
    expect(await w.runEdition('2026-11-25T07:00:00Z')).toMatchObject({ action: 'duplicate' });

    store = await ses.store();
    expect(store).toHaveLength(2);
    for (const address of ['alice@example.org', 'bob@example.org']) {
      const [mail, ...more] = mailsTo(store, address);
      expect(more).toEqual([]);
      for (const part of [mail?.body.text ?? '', mail?.body.html ?? '']) {
        expect(part).toContain('Harbour story tide');
        expect(part).toContain('Harbour story ferry');
        expect(part).not.toContain('Harbour story late');
      }
      // Newest first.
      const text = mail?.body.text ?? '';
      expect(text.indexOf('Harbour story ferry')).toBeLessThan(text.indexOf('Harbour story tide'));
    }
    expect(mailsTo(store, 'carol@example.org')).toEqual([]);

    // Alice uses the one-click link of that mail (RFC 8058: a POST with the One-Click body).
    const unsubscribe = apiLink(mailsTo(store, 'alice@example.org')[0], 'unsubscribe');
    const page = await w.api(request('GET', unsubscribe));
    expect(page.statusCode).toBe(200);
    expect((await w.subscribers.get(idOf('alice@example.org')))?.status).toBe('confirmed');
    const oneClick = await w.api(request('POST', unsubscribe, 'List-Unsubscribe=One-Click'));
    expect(oneClick.statusCode).toBe(200);
    expect((await w.subscribers.get(idOf('alice@example.org')))?.status).toBe('unsubscribed');

    await ses.clear();
    w.at('2026-11-26T07:00:01Z');
    expect(await w.runEdition('2026-11-26T07:00:00Z')).toMatchObject({
      action: 'sent',
      recipients: 1,
      stories: 1,
    });
    store = await ses.store();
    expect(store.map((mail) => mail.destination.to)).toEqual([['bob@example.org']]);
    expect(store[0]?.body.text).toContain('Harbour story late');
  });
});
