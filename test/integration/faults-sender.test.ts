/**
 * The edition sender under crashes, with real SDK calls against dynalite (the email table and its
 * send ledger, the story table), s3rver (the article and the archived edition) and aws-ses-v2-local
 * (the mail, read back from its store). SQS has no emulator here: outbox message bodies are handed
 * to the real sender handler, one per invocation (the queue's batch size), and a message whose
 * invocation crashed comes back 1–3 times, in a shuffled order with a stray copy of one that did not.
 *
 * One edition for six subscribers, in two outbox messages, is sent once without a crash, counting the
 * write calls (ledger claims and outcomes, and each send to SES), then once per write position N with
 * a crash right after the Nth write. The README's policy ("Sending each edition at most once"): no
 * subscriber is ever mailed twice; one the crash left without a known outcome may miss the edition,
 * and is then marked `unknown` in the ledger and logged, never silently skipped. Time is virtual.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { DynamoSendLedger } from '../../functions/adapters/aws/send-ledger.js';
import { outboxBody } from '../../functions/adapters/aws/sqs-outbox.js';
import { DynamoSubscriberStore } from '../../functions/adapters/aws/subscriber-store.js';
import { keyringFromJson } from '../../functions/adapters/fixed-secrets.js';
import { composeEdition } from '../../functions/compose/edition.js';
import { composeSender } from '../../functions/compose/sender.js';
import type { EditionSendMessage } from '../../functions/core/email/edition-ports.js';
import type { SenderDeps } from '../../functions/core/email/send-chunk.js';
import { makeEditionHandler } from '../../functions/handlers/edition.js';
import { makeSenderHandler } from '../../functions/handlers/sender.js';
import { createRng } from '../fixtures/syndication.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { idOf } from '../helpers/email-fakes.js';
import { putStoryWithArticle } from '../helpers/email-world.js';
import {
  createEmailTable,
  createStoryTable,
  type DynamoEmulator,
  mailsTo,
  type S3Emulator,
  type SesEmulator,
  startDynamo,
  startS3,
  startSes,
  testClients,
} from '../helpers/emulators.js';
import {
  Crasher,
  crashing,
  type FaultFigures,
  printFigures,
  redeliveries,
  scanTable,
  shuffle,
  tableWith,
} from '../helpers/faults.js';
import { sqsRecord } from '../helpers/lambda-events.js';

// Every injected crash is logged by the handler as an error or a warning: the figures say what matters.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
const ARTICLES = 'sender-articles';
const SCHEDULED = '2026-11-24T07:00:00Z';
const KEYRING_JSON = JSON.stringify({ current: 1, keys: { '1': 'k'.repeat(40) } });
const ADDRESSES = ['ana', 'ben', 'cai', 'dee', 'eli', 'fay'].map((name) => `${name}@example.org`);
const SENDER_WRITES = new Set(['claim', 'recordSent', 'markUnknown', 'markFailed', 'release', 'send']);

let s3: S3Emulator;
let dynamo: DynamoEmulator;
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

function envFor(storyTable: string, emailTable: string, site: string) {
  return {
    STORY_TABLE: storyTable,
    EMAIL_TABLE: emailTable,
    SITE_BUCKET: site,
    ARTICLES_BUCKET: ARTICLES,
    ARTICLES_PREFIX: `${storyTable}/`,
    SITE_CONFIG: JSON.stringify({ title: 'Fault Wire', siteUrl: 'https://news.example.org/' }),
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    DIGEST_MAX_STORIES: '5',
    LIST_ID: 'digest',
    FROM_ADDRESS: 'news@example.org',
    CONFIGURATION_SET: 'newsfeed-events',
    SEND_CONCURRENCY: '2',
  };
}

/** The edition queued for six confirmed subscribers: the email table as the sender finds it, and its messages. */
async function queuedEdition() {
  const storyTable = `stories-${randomUUID().slice(0, 8)}`;
  const emailTable = `email-${randomUUID().slice(0, 8)}`;
  const site = `site-${randomUUID().slice(0, 8)}`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: site }));
  await createStoryTable(clients.dynamo, storyTable);
  await createEmailTable(clients.dynamo, emailTable);
  await putStoryWithArticle(
    clients,
    { storyTable, articlesBucket: ARTICLES, prefix: `${storyTable}/` },
    {
      id: 'lead',
      createdAt: '2026-11-23T10:00:00.000Z',
      title: 'Headline lead',
      summary: 'Summary of the lead',
      text: 'The body of the lead story, with enough words to be an article.',
    },
  );
  const subscribers = new DynamoSubscriberStore(clients.dynamo, emailTable);
  for (const address of ADDRESSES) {
    const id = idOf(address);
    const at = '2026-10-31T00:00:00.000Z';
    await subscribers.createPending({
      id,
      address,
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      transientBounces: 0,
      generation: 0,
    });
    expect(await subscribers.confirm(id, 0, '2026-11-01T00:00:00.000Z')).toBe(true);
  }
  const queued: EditionSendMessage[] = [];
  const env = envFor(storyTable, emailTable, site);
  const edition = makeEditionHandler(() =>
    composeEdition({
      clients: { dynamo: clients.dynamo, s3: clients.s3 },
      env,
      clock: { now: () => new Date(SCHEDULED) },
      outbox: { enqueue: async (messages) => void queued.push(...messages) },
    }),
  );
  expect(await edition({ scheduledTime: SCHEDULED })).toMatchObject({ action: 'sent', recipients: 6 });
  // Two messages of three (the edition queues up to 50 a message): a crash stops one of them.
  const ids = queued.flatMap((message) => message.subscriberIds).sort();
  expect(ids).toHaveLength(6);
  const editionId = queued[0]!.editionId;
  const bodies = [ids.slice(0, 3), ids.slice(3)].map((subscriberIds) =>
    outboxBody({ kind: 'edition', editionId, subscriberIds }),
  );
  return { env, editionId, items: await scanTable(clients.dynamo, emailTable), bodies };
}

type Edition = Awaited<ReturnType<typeof queuedEdition>>;

interface Outcome {
  writes: number;
  crashPoint?: string;
  /** Mails per address. */
  mails: Record<string, number>;
  /** Ledger state per address. */
  ledger: Record<string, string>;
  unknownWarnings: number;
}

async function sendRun(edition: Edition, crashAfter: number | undefined, seed: number): Promise<Outcome> {
  const emailTable = `email-${randomUUID().slice(0, 8)}`;
  await tableWith(clients.dynamo, emailTable, edition.items, createEmailTable);
  await ses.clear();
  const env = { ...edition.env, EMAIL_TABLE: emailTable };
  let now = Date.parse(SCHEDULED) + 60_000;
  const clock = { now: () => new Date(now) };
  const crasher = new Crasher(crashAfter);
  let unknownWarnings = 0;
  const container = () =>
    makeSenderHandler((): SenderDeps => {
      const deps = composeSender({
        clients: { dynamo: clients.dynamo, ses: ses.client },
        env,
        clock,
        sleep: async (ms) => {
          now += ms;
        },
        keyring: keyringFromJson(KEYRING_JSON),
        log: {
          warn: (message) => {
            if (message.startsWith('send outcome unknown')) unknownWarnings++;
          },
        },
      });
      return {
        ...deps,
        ledger: crashing('ledger', deps.ledger, SENDER_WRITES, crasher),
        mailer: crashing('ses', deps.mailer, SENDER_WRITES, crasher),
      };
    });
  let sender = container();
  /** One invocation of one message; false when it crashed or reported the message failed. */
  const deliver = async (body: string): Promise<boolean> => {
    const before = crasher.crashed;
    const messageId = randomUUID();
    const failed = await sender({ Records: [sqsRecord(messageId, body)] }).then(
      (response) => response.batchItemFailures.length > 0,
      () => true,
    );
    if (crasher.crashed !== before) {
      crasher.revive();
      sender = container();
      now += 60_000;
    }
    return !failed;
  };

  // The messages, then whatever failed 1–3 times each in a shuffled order, with a stray copy of one
  // that went through (SQS delivers at least once), until nothing fails.
  const rng = createRng(seed);
  let round = edition.bodies;
  for (let pass = 0; round.length; pass++) {
    const failed: string[] = [];
    for (const body of round) if (!(await deliver(body))) failed.push(body);
    const stray = pass === 0 ? [edition.bodies[Math.floor(rng() * edition.bodies.length)]!] : [];
    round = shuffle(rng, [...redeliveries(rng, failed), ...stray]);
  }

  const store = await ses.store();
  const ledger = new DynamoSendLedger(clients.dynamo, emailTable);
  const outcome: Outcome = { writes: crasher.writes, mails: {}, ledger: {}, unknownWarnings };
  for (const address of ADDRESSES) {
    outcome.mails[address] = mailsTo(store, address).length;
    const record = await ledger.get(edition.editionId, idOf(address));
    outcome.ledger[address] = record?.state ?? 'none';
  }
  if (crasher.crashPoint) outcome.crashPoint = crasher.crashPoint;
  return outcome;
}

describe('edition sender fault suite: a crash after every write, then redelivery', () => {
  it('mails nobody twice, and flags whoever a crash may have left unmailed', async () => {
    const edition = await queuedEdition();
    const reference = await sendRun(edition, undefined, 0);
    expect(Object.values(reference.mails)).toEqual(ADDRESSES.map(() => 1));
    expect(Object.values(reference.ledger)).toEqual(ADDRESSES.map(() => 'sent'));

    const figures: FaultFigures = {
      trials: 0,
      recovered: 0,
      lost: 0,
      duplicated: 0,
      notes: { 'missed, flagged unknown': 0 },
    };
    const failures: string[] = [];
    for (let n = 1; n <= reference.writes; n++) {
      const trial = await sendRun(edition, n, n * 104_729);
      figures.trials++;
      const problems: string[] = [];
      for (const address of ADDRESSES) {
        const mails = trial.mails[address]!;
        const state = trial.ledger[address]!;
        if (mails > 1) {
          figures.duplicated += mails - 1;
          problems.push(`${address} mailed ${mails} times`);
        }
        if (mails === 0 && state === 'unknown') figures.notes!['missed, flagged unknown']!++;
        else if (mails === 0) {
          figures.lost++;
          problems.push(`${address} never mailed, ledger ${state}`);
        } else if (state !== 'sent' && state !== 'unknown')
          problems.push(`${address} mailed, ledger ${state}`);
      }
      const unknown = Object.values(trial.ledger).filter((state) => state === 'unknown').length;
      // Only the crash's own send is left without a known outcome, and it is logged for the operator.
      if (unknown > 1) problems.push(`${unknown} sends unknown`);
      if (unknown !== trial.unknownWarnings)
        problems.push(`${unknown} unknown, ${trial.unknownWarnings} logged`);
      if (unknown && !/^(ledger\.claim|ses\.send)\*$/.test(trial.crashPoint ?? ''))
        problems.push(`unknown after a crash at ${trial.crashPoint}`);
      if (problems.length)
        failures.push(`crash after write ${n} (${trial.crashPoint}): ${problems.join(', ')}`);
      else if (Object.values(trial.mails).every((count) => count === 1)) figures.recovered++;
    }
    printFigures('sender', figures);
    expect(failures).toEqual([]);
    expect(figures).toMatchObject({ lost: 0, duplicated: 0 });
    // A crash right after a claim (one per subscriber) is the only one that can cost a mail.
    expect(figures.trials - figures.recovered).toBe(figures.notes!['missed, flagged unknown']);
    expect(figures.notes!['missed, flagged unknown']).toBe(ADDRESSES.length);
    // Claim, send and record per subscriber, and the stray copy's refused claims.
    expect(figures.trials).toBe(reference.writes);
    expect(figures.trials).toBeGreaterThanOrEqual(3 * ADDRESSES.length);
  });
});
