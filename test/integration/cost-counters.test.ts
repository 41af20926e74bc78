/**
 * The request and byte counts the cost model (`npm run cost`, bench/cost.ts) prices, measured by
 * running the real ingest, publish, confirm-mail and edition handlers in dev:cloud against the
 * emulators, with every SDK request counted (test/helpers/request-counter.ts). Two runs of each
 * phase with different sizes separate the per-unit cost from the fixed one (per article vs per
 * publish, per mail vs per edition). `UPDATE_COST_COUNTS=1` rewrites bench/cost-counts.json;
 * otherwise the measurement must still match the stored counts, so the model cannot drift from the code.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { ARTICLES_BUCKET, type DevCloud, SITE_BUCKET, startDevCloud } from '../../functions/dev/dev-cloud.js';
import type { DevEditionResult, DevMail } from '../../functions/dev/email-path.js';
import { testClients } from '../helpers/emulators.js';
import { type Counts, RequestCounter } from '../helpers/request-counter.js';
import { synthesize } from '../infra/synth.js';

const COST_COUNTS_FILE = join(import.meta.dirname, '../../bench/cost-counts.json');

let dir: string;
let cloud: DevCloud;
let uploads: AwsClients;
const log: string[] = [];
const counter = new RequestCounter();
/** The edition handler's own requests in the last edition (the rest of its counts are the sender's). */
let handled: Counts = {};

/** A distinct article of about the size of the seeds (3 KB), on a topic of its own so none is merged. */
function article(n: number): string {
  const words = [
    'harbour',
    'council',
    'ferry',
    'budget',
    'school',
    'bridge',
    'market',
    'storm',
    'clinic',
    'court',
  ];
  const topic = `${words[n % 10]} ${words[Math.floor(n / 10) % 10]} ${n}`;
  const sentence = (i: number) =>
    `Officials in district ${n * 37 + i} said the ${topic} plan number ${n * 101 + i} would be reviewed after residents raised objection ${i * 13 + n}.`;
  const body = Array.from({ length: 24 }, (_, i) => sentence(i)).join(' ');
  return ` date 2026-11-2${n % 5} The ${topic} question returns to the agenda\n\n${body}\n`;
}

let next = 0;
async function upload(count: number): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < count; i += 1) {
    const text = article(next++);
    bytes += Buffer.byteLength(text);
    await uploads.s3.send(
      new PutObjectCommand({ Bucket: ARTICLES_BUCKET, Key: `articles/cost-${next}.txt`, Body: text }),
    );
  }
  return bytes;
}

const publishes = () => log.filter((line) => line.startsWith('publish:')).length;

async function signUp(addresses: string[]): Promise<void> {
  for (const address of addresses) {
    const response = await fetch(`${cloud.siteUrl}api/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: address }).toString(),
    });
    expect(response.status).toBe(202);
  }
  await cloud.idle();
  for (const address of addresses) {
    const mails = (await (
      await fetch(`${cloud.siteUrl}_dev/mail?to=${encodeURIComponent(address)}`)
    ).json()) as DevMail[];
    expect((await fetch(mails[0]!.devLinks.confirm!)).status).toBe(200);
  }
}

async function edition(at: Date): Promise<DevEditionResult> {
  const response = await fetch(`${cloud.siteUrl}_dev/edition?at=${encodeURIComponent(at.toISOString())}`, {
    method: 'POST',
  });
  expect(response.status).toBe(200);
  const result = (await response.json()) as DevEditionResult;
  await cloud.idle();
  return result;
}

/** (a - b) / n per operation, never below zero: the per-unit share of two measurements. */
function perUnit(a: Counts, b: Counts, n: number): Counts {
  const out: Counts = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key] ?? { count: 0, requestBytes: 0, responseBytes: 0 };
    const y = b[key] ?? { count: 0, requestBytes: 0, responseBytes: 0 };
    const share = {
      count: Math.max(0, (x.count - y.count) / n),
      requestBytes: Math.max(0, Math.round((x.requestBytes - y.requestBytes) / n)),
      responseBytes: Math.max(0, Math.round((x.responseBytes - y.responseBytes) / n)),
    };
    if (share.count > 0) out[key] = share;
  }
  return out;
}

function sum(a: Counts, b: Counts): Counts {
  const out: Counts = { ...a };
  for (const [key, y] of Object.entries(b)) {
    const x = out[key] ?? { count: 0, requestBytes: 0, responseBytes: 0 };
    out[key] = {
      count: x.count + y.count,
      requestBytes: x.requestBytes + y.requestBytes,
      responseBytes: x.responseBytes + y.responseBytes,
    };
  }
  return out;
}

function scaled(a: Counts, by: number): Counts {
  return Object.fromEntries(
    Object.entries(a).map(([key, v]) => [
      key,
      {
        count: v.count * by,
        requestBytes: Math.round(v.requestBytes * by),
        responseBytes: Math.round(v.responseBytes * by),
      },
    ]),
  );
}

beforeAll(async () => {
  counter.install();
  dir = mkdtempSync(join(tmpdir(), 'cost-counters-'));
  cloud = await startDevCloud({
    s3Port: 0,
    sitePort: 0,
    sesPort: 0,
    dataDir: join(dir, 'data'),
    log: (l) => log.push(l),
    onEditionHandled: () => {
      handled = counter.take();
    },
  });
  uploads = testClients(cloud.s3Endpoint, cloud.dynamoEndpoint);
  counter.ignore(uploads.s3);
}, 60_000);

afterAll(async () => {
  counter.uninstall();
  await cloud?.close();
  uploads?.s3.destroy();
  uploads?.dynamo.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('cost counters, measured in the emulated path', () => {
  const measured: Record<string, unknown> = {};

  it('counts what one article and one publish cost', async () => {
    await upload(3); // a site that is not empty, as it never is for long
    await cloud.idle();
    counter.take();

    let before = publishes();
    const articleBytes = await upload(1);
    await cloud.idle();
    const one = counter.take();
    expect(publishes() - before).toBe(1);

    before = publishes();
    await upload(5);
    await cloud.idle();
    const five = counter.take();
    expect(publishes() - before).toBe(1);

    const perArticle = perUnit(five, one, 4);
    const perPublish = perUnit(one, perArticle, 1);
    expect(perArticle['S3.GetObjectCommand']?.count).toBeGreaterThanOrEqual(1);
    expect(Object.keys(perArticle).some((k) => k.startsWith('DynamoDB.'))).toBe(true);
    expect(Object.keys(perPublish).some((k) => k.startsWith('S3.Put'))).toBe(true);

    const listing = await uploads.s3.send(new ListObjectsV2Command({ Bucket: SITE_BUCKET }));
    const size = (key: string) => listing.Contents?.find((o) => o.Key === key)?.Size ?? 0;
    Object.assign(measured, {
      perArticle,
      perPublish,
      articleBytes,
      site: {
        objects: listing.KeyCount ?? 0,
        totalBytes: (listing.Contents ?? []).reduce((n, o) => n + (o.Size ?? 0), 0),
        homePageBytes: size('index.html'),
        feedBytes: size('feed.xml'),
      },
    });
  }, 120_000);

  it('counts what one sign-up, one mail and one edition cost', async () => {
    counter.take();
    await signUp(['c1@example.org', 'c2@example.org']);
    const perSignup = scaled(counter.take(), 1 / 2);
    expect(perSignup['SESv2.SendEmailCommand']?.count).toBe(1);

    // The edition handler's requests grow with its stories (each mailed story is recorded once, ever),
    // the sender's with its mails: per mail is the difference of the sender's requests between an
    // edition to two and one to six, each edition's own requests counted apart.
    // The second edition needs stories first published after the first one, and another minute (its id).
    const firstAt = new Date();
    const first = await edition(firstAt);
    const sentToTwo = counter.take();
    const editionOfTwo = handled;
    expect(first.mailed).toHaveLength(2);

    await signUp(['c3@example.org', 'c4@example.org', 'c5@example.org', 'c6@example.org']);
    await upload(1);
    await cloud.idle();
    counter.take();
    const second = await edition(new Date(firstAt.getTime() + 61_000));
    const sentToSix = counter.take();
    expect(second.mailed).toHaveLength(6);

    const perMail = perUnit(sentToSix, sentToTwo, 4);
    const perEdition = perUnit(sum(editionOfTwo, sentToTwo), scaled(perMail, 2), 1);
    expect(perMail['SESv2.SendEmailCommand']?.count).toBe(1);
    // Bytes per mail from the whole run, not the difference: the two editions carry different stories.
    const sends = sentToSix['SESv2.SendEmailCommand'];
    const mailBytes = Math.round((sends?.requestBytes ?? 0) / (sends?.count ?? 1));
    expect(mailBytes).toBeGreaterThan(1000);
    Object.assign(measured, { perSignup, perMail, perEdition, mailBytes });
  }, 120_000);

  it('reads the fixed parts from the synthesized template', () => {
    const { template } = synthesize({ email: { domain: 'example.com' } });
    const json = template.toJSON() as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    const of = (type: string) => Object.entries(json.Resources).filter(([, r]) => r.Type === type);
    const functions = Object.fromEntries(
      of('AWS::Lambda::Function')
        .filter(([, r]) => r.Properties?.Architectures !== undefined)
        .map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), Number(r.Properties?.MemorySize ?? 128)]),
    );
    expect(Object.keys(functions).length).toBeGreaterThanOrEqual(6);
    Object.assign(measured, {
      fixed: {
        alarms: of('AWS::CloudWatch::Alarm').length,
        secrets: of('AWS::SecretsManager::Secret').length,
        schedules: of('AWS::Scheduler::Schedule').length,
        functionMemoryMb: functions,
      },
    });
  });

  it('matches the stored counts (UPDATE_COST_COUNTS=1 rewrites them)', () => {
    const result = {
      measuredWith: 'test/integration/cost-counters.test.ts (dev:cloud emulators)',
      ...measured,
    };
    if (process.env.UPDATE_COST_COUNTS === '1' || !existsSync(COST_COUNTS_FILE)) {
      writeFileSync(COST_COUNTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    }
    const stored = JSON.parse(readFileSync(COST_COUNTS_FILE, 'utf8')) as Record<string, Counts>;
    for (const phase of ['perArticle', 'perPublish', 'perSignup', 'perMail', 'perEdition'] as const) {
      const now = measured[phase] as Counts;
      expect(Object.keys(now).sort(), phase).toEqual(Object.keys(stored[phase] ?? {}).sort());
      for (const [key, value] of Object.entries(now)) {
        // Batching in the emulated queues may shift a request between runs; more than that is a change.
        expect(
          Math.abs(value.count - (stored[phase]?.[key]?.count ?? 0)),
          `${phase} ${key}`,
        ).toBeLessThanOrEqual(Math.max(1, 0.3 * value.count));
      }
    }
  });
});
