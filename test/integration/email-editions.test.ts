/**
 * Editions end to end with real SDK calls against real protocol peers: dynalite (story and email
 * tables, the send ledger), s3rver (articles, the archived copy, the home page) and
 * aws-ses-v2-local (the mail, read back at `GET /store`). The edition and sender handlers run
 * through their composition roots. SQS has no emulator here: the outbox is an in-memory queue
 * that carries the same message bodies, redelivers a message whose record the sender reported
 * failed (as SQS does after the visibility timeout), and gives up after five receives (the DLQ).
 * Crashes are injected by a ledger wrapper that throws right after the claim, or right before the
 * message id would be recorded; time is virtual (the sender's pacing sleeps advance it).
 *
 * The emulator drops the List-Unsubscribe headers of raw mail: they are checked on the SDK request
 * in test/unit/email-send-ses-request.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { DynamoEditionStore } from '../../functions/adapters/aws/edition-store.js';
import { S3SiteSink } from '../../functions/adapters/aws/s3-site-sink.js';
import { DynamoSendLedger } from '../../functions/adapters/aws/send-ledger.js';
import { outboxBody } from '../../functions/adapters/aws/sqs-outbox.js';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/subscriber-store.js';
import { keyringFromJson } from '../../functions/adapters/fixed-secrets.js';
import { composeEdition } from '../../functions/compose/edition.js';
import { composePublish } from '../../functions/compose/publish.js';
import { composeSender } from '../../functions/compose/sender.js';
import type { EditionSendMessage, Outbox, SendLedger } from '../../functions/core/email/edition-ports.js';
import { parseKeyringJson } from '../../functions/core/email/keyring-json.js';
import type { SenderDeps } from '../../functions/core/email/send-chunk.js';
import { verifyToken } from '../../functions/core/email/tokens.js';
import { makeEditionHandler } from '../../functions/handlers/edition.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { makeSenderHandler } from '../../functions/handlers/sender.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { idOf } from '../helpers/email-fakes.js';
import { putStoryWithArticle } from '../helpers/email-world.js';
import {
  createEmailTable,
  createStoryTable,
  mailsTo,
  type S3Emulator,
  type SesEmulator,
  startDynamo,
  startS3,
  startSes,
  testClients,
} from '../helpers/emulators.js';
import { sqsRecord } from '../helpers/lambda-events.js';

const ARTICLES = 'articles-bucket';
const SITE_URL = 'https://news.example.org/';
const KEYRING_JSON = JSON.stringify({ current: 1, keys: { '1': 'k'.repeat(40) } });
const T1 = '2026-11-24T07:00:00Z';
const T2 = '2026-11-25T07:00:00Z';
const E2 = 'e-2026-11-25T0700Z';
const MAX_RECEIVES = 5;

let s3: S3Emulator;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let ses: SesEmulator;
let clients: AwsClients;

beforeAll(async () => {
  [s3, dynamo, ses] = await Promise.all([startS3(), startDynamo(), startSes({ maxSendRate: 14 })]);
  clients = testClients(s3.endpoint, dynamo.endpoint);
  await clients.s3.send(new CreateBucketCommand({ Bucket: ARTICLES }));
});
afterAll(async () => {
  await Promise.all([s3?.close(), dynamo?.close(), ses?.close()]);
});
beforeEach(async () => ses.clear());

// --- the world of one scenario --------------------------------------------------------------------

interface Queued {
  messageId: string;
  body: string;
  receives: number;
}

/** Fresh tables, a virtual clock, the handlers wired as in Lambda, an in-memory outbox. */
async function world(options: { wrapLedger?: (ledger: SendLedger) => SendLedger } = {}) {
  const storyTable = `stories-${randomUUID().slice(0, 8)}`;
  const emailTable = `email-${randomUUID().slice(0, 8)}`;
  const site = `site-${randomUUID().slice(0, 8)}`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: site }));
  await createStoryTable(clients.dynamo, storyTable);
  await createEmailTable(clients.dynamo, emailTable);
  let now = Date.parse(T1);
  const clock = { now: () => new Date(now) };
  const sleep = async (ms: number) => {
    now += ms;
  };
  const queue: Queued[] = [];
  const deadLetters: Queued[] = [];
  let outboxFailures = 0;
  const outbox: Outbox = {
    async enqueue(messages: readonly EditionSendMessage[]) {
      if (outboxFailures > 0) {
        outboxFailures--;
        throw new Error('SQS SendMessageBatch failed');
      }
      for (const message of messages)
        queue.push({ messageId: randomUUID(), body: outboxBody(message), receives: 0 });
    },
  };
  const env = {
    STORY_TABLE: storyTable,
    EMAIL_TABLE: emailTable,
    SITE_BUCKET: site,
    ARTICLES_BUCKET: ARTICLES,
    ARTICLES_PREFIX: `${storyTable}/`,
    SITE_CONFIG: JSON.stringify({ title: 'Test Wire', siteUrl: SITE_URL, subscribeUrl: '/api/subscribe' }),
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    DIGEST_MAX_STORIES: '5',
    LIST_ID: 'digest',
    FROM_ADDRESS: 'news@example.org',
    CONFIGURATION_SET: 'newsfeed-events',
    SEND_CONCURRENCY: '2',
  };
  const edition = makeEditionHandler(() =>
    composeEdition({ clients: { dynamo: clients.dynamo, s3: clients.s3 }, env, clock, outbox }),
  );
  const warnings: Array<Record<string, unknown>> = [];
  const sender = makeSenderHandler((): SenderDeps => {
    const deps = composeSender({
      clients: { dynamo: clients.dynamo, ses: ses.client },
      env,
      clock,
      sleep,
      keyring: keyringFromJson(KEYRING_JSON),
      log: { warn: (_message, fields) => warnings.push(fields) },
    });
    return options.wrapLedger ? { ...deps, ledger: options.wrapLedger(deps.ledger) } : deps;
  });
  const publish = makePublishHandler(() =>
    composePublish({
      clients,
      env: { ...env, STORY_TABLE: storyTable, ARTICLES_PREFIX: `${storyTable}/` },
      clock,
    }),
  );

  /** Delivers queued messages one per invocation (batch size 1) until the queue is empty. */
  async function drain(): Promise<number> {
    let invocations = 0;
    for (let next = queue.shift(); next; next = queue.shift()) {
      next.receives++;
      invocations++;
      const event = { Records: [sqsRecord(next.messageId, next.body)] };
      // Powertools throws when every record of the batch failed (here: the one): SQS redelivers either way.
      const failed = await sender(event).then(
        (response) => response.batchItemFailures.some((failure) => failure.itemIdentifier === next.messageId),
        () => true,
      );
      if (failed) {
        (next.receives >= MAX_RECEIVES ? deadLetters : queue).push(next);
      }
    }
    return invocations;
  }

  const subscribers = new DynamoSubscriberStore(clients.dynamo, emailTable);
  return {
    env,
    storyTable,
    edition,
    drain,
    publish,
    queue,
    deadLetters,
    warnings,
    editions: new DynamoEditionStore(clients.dynamo, emailTable),
    ledger: new DynamoSendLedger(clients.dynamo, emailTable),
    subscribers,
    failOutbox: (times: number) => {
      outboxFailures = times;
    },
    setNow: (iso: string) => {
      now = Date.parse(iso);
    },
    /** A story as ingest writes it, with its article in the articles bucket. */
    story: (id: string, createdAt: string, date?: string) =>
      putStoryWithArticle(
        clients,
        { storyTable, articlesBucket: ARTICLES, prefix: `${storyTable}/` },
        {
          id,
          createdAt,
          date,
          title: `Headline ${id}`,
          summary: `Summary of ${id}`,
          text: `The body of story ${id}, with enough words to be an article.`,
        },
      ),
    async storyAttribute(id: string, name: string): Promise<unknown> {
      const { Item } = await clients.dynamo.send(
        new GetCommand({ TableName: storyTable, Key: { pk: `STORY#${id}`, sk: 'STORY' } }),
      );
      return Item?.[name];
    },
    /** A subscriber taken to `status` through the store's own transitions. */
    async subscriber(
      address: string,
      status: 'pending' | 'confirmed' | 'unsubscribed',
      confirmedAt = '2026-11-01T00:00:00.000Z',
    ): Promise<string> {
      const id = idOf(address);
      const at = '2026-10-31T00:00:00.000Z';
      await subscribers.createPending({
        id,
        address,
        status: 'pending',
        generation: 0,
        createdAt: at,
        updatedAt: at,
        transientBounces: 0,
      });
      if (status !== 'pending') expect(await subscribers.confirm(id, 0, confirmedAt)).toBe(true);
      if (status === 'unsubscribed')
        expect(await subscribers.unsubscribe(id, '2026-11-10T00:00:00.000Z')).toBe(true);
      return id;
    },
  };
}

async function siteObject(site: string, key: string): Promise<string | undefined> {
  try {
    const { Body } = await clients.s3.send(new GetObjectCommand({ Bucket: site, Key: key }));
    return Body?.transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Throws once for one subscriber at the chosen point, as a Lambda dying there would stop it. */
function crashingLedger(point: 'after-claim' | 'before-record', victim: string) {
  let crashed = false;
  return (ledger: SendLedger): SendLedger => ({
    ...ledger,
    claim: async (editionId, subscriberId, attemptId, at) => {
      const result = await ledger.claim(editionId, subscriberId, attemptId, at);
      if (point === 'after-claim' && subscriberId === victim && !crashed) {
        crashed = true;
        throw new Error('injected crash after the claim');
      }
      return result;
    },
    recordSent: async (editionId, subscriberId, attemptId, messageId, at) => {
      if (point === 'before-record' && subscriberId === victim && !crashed) {
        crashed = true;
        throw new Error('injected crash before the message id was recorded');
      }
      return ledger.recordSent(editionId, subscriberId, attemptId, messageId, at);
    },
    markUnknown: ledger.markUnknown.bind(ledger),
    markFailed: ledger.markFailed.bind(ledger),
    release: ledger.release.bind(ledger),
  });
}

describe('digest editions end to end', () => {
  it('mails each confirmed subscriber the new stories once; nobody else; a second firing sends nothing', async () => {
    const w = await world();
    // Edition 1's stories; A is updated later (same createdAt): an updated story is not new.
    await w.story('a', '2026-11-23T10:00:00.000Z');
    await w.story('b', '2026-11-23T12:00:00.000Z');
    const alice = await w.subscriber('alice@example.org', 'confirmed');
    const bob = await w.subscriber('bob@example.org', 'confirmed');
    await w.subscriber('carol@example.org', 'pending');
    await w.subscriber('dave@example.org', 'unsubscribed');
    // Confirmed after edition 2's schedule time: edition 2 started before them.
    await w.subscriber('erin@example.org', 'confirmed', '2026-11-25T09:00:00.000Z');

    expect(await w.edition({ scheduledTime: T1 })).toMatchObject({
      action: 'sent',
      recipients: 2,
      stories: 2,
    });
    await w.drain();
    await ses.clear();

    await w.story('c', '2026-11-24T09:00:00.000Z', '2026-11-21');
    await w.story('d', '2026-11-24T20:00:00.000Z');
    await w.story('a', '2026-11-23T10:00:00.000Z', '2026-11-22');
    await w.story('late', '2026-11-25T08:00:00.000Z');
    // The publisher has published all of that (no marks left), linking edition 1.
    await w.publish();
    expect(await siteObject(w.env.SITE_BUCKET, 'index.html')).toContain(
      'href="digests/e-2026-11-24T0700Z.html"',
    );
    w.setNow('2026-11-25T07:00:02.000Z');
    const outcome = await w.edition({ scheduledTime: T2 });
    expect(outcome).toMatchObject({ action: 'sent', editionId: E2, stories: 2, recipients: 2, messages: 1 });
    expect(await w.drain()).toBe(1);

    const record = await w.editions.get(E2);
    expect(record).toMatchObject({
      status: 'sent',
      storyIds: ['d', 'c'],
      cutoff: '2026-11-24T07:00:00.000Z',
    });
    const store = await ses.store();
    expect(store).toHaveLength(2);
    for (const [address, id] of [
      ['alice@example.org', alice],
      ['bob@example.org', bob],
    ] as const) {
      const [mail, ...more] = mailsTo(store, address);
      expect(more).toEqual([]);
      expect(mail!.subject).toBe(record!.subject);
      expect(mail!.from).toContain('news@example.org');
      for (const part of [mail!.body.text!, mail!.body.html!]) {
        expect(part).toContain('Headline c');
        expect(part).toContain('Headline d');
        expect(part).toContain('Summary of d');
        expect(part).not.toContain('Headline a');
        expect(part).not.toContain('Headline late');
        expect(part).not.toContain('unsubscribe.invalid');
      }
      const url = /Unsubscribe: (\S+)/.exec(mail!.body.text!)?.[1];
      expect(url).toMatch(/^https:\/\/news\.example\.org\/api\/unsubscribe\?token=/);
      const token = new URL(url!).searchParams.get('token')!;
      expect(
        verifyToken(
          parseKeyringJson(KEYRING_JSON, 'test'),
          token,
          { purpose: 'unsubscribe', list: 'digest' },
          new Date(),
        ),
      ).toEqual({
        ok: true,
        subscriberId: id,
        generation: 0,
      });
      expect(mail!.body.html).toContain(`href="${url}"`);
      expect(await w.ledger.get(E2, id)).toMatchObject({ state: 'sent', messageId: mail!.messageId });
    }
    for (const nobody of ['carol@example.org', 'dave@example.org', 'erin@example.org']) {
      expect(mailsTo(store, nobody)).toEqual([]);
    }

    // The schedule fires again (and a retried invocation within the same minute): one edition.
    expect(await w.edition({ scheduledTime: T2 })).toEqual({
      action: 'duplicate',
      editionId: E2,
      status: 'sent',
    });
    expect(await w.edition({ scheduledTime: '2026-11-25T07:00:41Z' })).toMatchObject({ action: 'duplicate' });
    expect(await w.drain()).toBe(0);
    expect(await ses.store()).toHaveLength(2);

    // The public copy, and the home page that links it once the publisher has run.
    const archived = await siteObject(w.env.SITE_BUCKET, `digests/${E2}.html`);
    expect(archived).toContain('Headline d');
    expect(archived).not.toContain('unsubscribe.invalid');
    expect(archived).not.toContain('api/unsubscribe');
    expect(archived).toContain(`${SITE_URL}index.html#subscribe`);
    // The edition marked its lead story dirty and touched its item (what wakes the publisher's
    // stream filter): the next publish renders the home page with the new link.
    expect(await w.storyAttribute('d', 'digestEdition')).toBe(E2);
    const published = await w.publish();
    expect(published.invalidated).toContain('/index.html');
    const index = await siteObject(w.env.SITE_BUCKET, 'index.html');
    expect(index).toContain(`href="digests/${E2}.html"`);
    expect(index).toContain(record!.subject);
  });

  it('makes no edition when no story is new: no mail, no archive', async () => {
    const w = await world();
    await w.story('a', '2026-11-23T10:00:00.000Z');
    await w.subscriber('alice@example.org', 'confirmed');
    await w.edition({ scheduledTime: T1 });
    await w.drain();
    await ses.clear();
    // Updated, not new.
    await w.story('a', '2026-11-23T10:00:00.000Z', '2026-11-24');

    expect(await w.edition({ scheduledTime: T2 })).toEqual({
      action: 'empty',
      editionId: E2,
      cutoff: '2026-11-24T07:00:00.000Z',
    });
    expect(w.queue).toEqual([]);
    expect(await ses.store()).toEqual([]);
    expect(await w.editions.get(E2)).toMatchObject({ status: 'empty' });
    expect(await new S3SiteSink(clients.s3, w.env.SITE_BUCKET).exists(`digests/${E2}.html`)).toBe(false);
  });

  it('a crash between claim and send: that subscriber gets nothing on retry, the ledger says unknown', async () => {
    let victim = '';
    const w = await world({ wrapLedger: (ledger) => crashingLedger('after-claim', victim)(ledger) });
    await w.story('a', '2026-11-24T10:00:00.000Z');
    const alice = await w.subscriber('alice@example.org', 'confirmed');
    victim = await w.subscriber('bob@example.org', 'confirmed');
    await w.edition({ scheduledTime: T2 });

    expect(await w.drain()).toBe(2);
    const store = await ses.store();
    expect(mailsTo(store, 'bob@example.org')).toEqual([]);
    expect(mailsTo(store, 'alice@example.org')).toHaveLength(1);
    expect(await w.ledger.get(E2, victim)).toMatchObject({ state: 'unknown' });
    expect(await w.ledger.get(E2, alice)).toMatchObject({ state: 'sent' });
    expect(w.warnings).toEqual([expect.objectContaining({ editionId: E2, subscriberId: victim })]);
    expect(w.deadLetters).toEqual([]);
  });

  it('a crash between send and record: exactly one mail, never sent again', async () => {
    let victim = '';
    const w = await world({ wrapLedger: (ledger) => crashingLedger('before-record', victim)(ledger) });
    await w.story('a', '2026-11-24T10:00:00.000Z');
    await w.subscriber('alice@example.org', 'confirmed');
    victim = await w.subscriber('bob@example.org', 'confirmed');
    await w.edition({ scheduledTime: T2 });

    expect(await w.drain()).toBe(2);
    const store = await ses.store();
    expect(mailsTo(store, 'bob@example.org')).toHaveLength(1);
    expect(mailsTo(store, 'alice@example.org')).toHaveLength(1);
    // SES took it, but its id was never recorded: the ledger cannot know, and says so.
    expect(await w.ledger.get(E2, victim)).toMatchObject({ state: 'unknown' });
  });

  it('a run that crashed while queueing recipients is finished by the next, without double mail', async () => {
    const w = await world();
    await w.story('a', '2026-11-24T10:00:00.000Z');
    for (let i = 0; i < 120; i++) await w.subscriber(`reader${i}@example.org`, 'confirmed');
    // The fan-out queues 10 messages (500 ids) per call: with 120 readers, its first call fails.
    w.failOutbox(1);
    await expect(w.edition({ scheduledTime: T2 })).rejects.toThrow('SQS SendMessageBatch failed');
    expect(await w.editions.get(E2)).toMatchObject({ status: 'sending' });
    expect(await w.edition({ scheduledTime: T2 })).toMatchObject({
      action: 'sent',
      resumed: true,
      recipients: 120,
    });
    // And a third, duplicated delivery of the whole outbox: the ledger absorbs it.
    const copies = w.queue.map((q) => ({ ...q, messageId: randomUUID() }));
    w.queue.push(...copies);

    expect(await w.drain()).toBe(6);
    const store = await ses.store();
    expect(store).toHaveLength(120);
    expect(new Set(store.map((mail) => mail.destination.to[0])).size).toBe(120);
  });
});
