/**
 * The publisher under crashes, against s3rver (articles and site buckets) and dynalite (the story
 * table) with real SDK calls. CloudFront has no emulator here: invalidations are recorded by a fake
 * invalidator, in order with the site writes.
 *
 * The site of five seed articles is published; then one story is removed, one changed and one added
 * (months change too), which leaves publisher marks. That publish is run once without a crash,
 * counting its writes (site objects written or removed, marks cleared, the render key, invalidations),
 * then once per write position N with a crash right after the Nth write (`test/helpers/faults.ts`),
 * followed by the next publish. Every trial must end with the same site bytes as the uninterrupted
 * run (same objects, bodies, content types and cache headers), no marks left, a further publish
 * writing nothing, and every changed path invalidated after its last write: a crash between writing
 * a page and invalidating it must not leave the CDN serving the old page.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composePublish } from '../../functions/compose/publish.js';
import type { PublishDeps } from '../../functions/core/cloud/publish.js';
import { articleId } from '../../functions/core/stories/prepare.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { createRng, syntheticArticle, withNewDate } from '../fixtures/syndication.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { SEEDS_DIR } from '../helpers/cli.js';
import {
  type DynamoEmulator,
  type S3Emulator,
  type S3EventRecord,
  s3MessageBody,
  startDynamo,
  startS3,
  testClients,
} from '../helpers/emulators.js';
import {
  Crasher,
  crashing,
  type FaultFigures,
  printFigures,
  scanTable,
  tableWith,
} from '../helpers/faults.js';
import { sqsEvent } from '../helpers/lambda-events.js';

const ARTICLES = 'publish-articles';
const BASE_SITE = 'publish-site-base';
const NOW = { now: () => new Date('2025-11-24T12:00:00.000Z') };
const SEEDS = [
  '000_8e65d67321044a22.txt',
  '001_c49de1067c077a2e.txt',
  '002_1053def13e2cd472.txt',
  '003_7eae227dbbbca2f7.txt',
  '004_362068bbac3e72bc.txt',
];
/** What the publisher reads of the table: stories, marks and the render key (not docs or postings). */
const PUBLISHER_ITEMS = /^(STORY#|DIRTY$|SITE$)/;
const PUBLISH_WRITES = new Set([
  'write',
  'remove',
  'clearDirty',
  'startPublish',
  'finishPublish',
  'invalidate',
]);

let s3: S3Emulator;
let dynamo: DynamoEmulator;
let clients: AwsClients;

beforeAll(async () => {
  [s3, dynamo] = await Promise.all([startS3({ buckets: [ARTICLES, BASE_SITE] }), startDynamo()]);
  clients = testClients(s3.endpoint, dynamo.endpoint);
});
afterAll(async () => {
  await Promise.all([s3?.close(), dynamo?.close()]);
});

const envFor = (table: string, site: string) => ({
  STORY_TABLE: table,
  ARTICLES_BUCKET: ARTICLES,
  ARTICLES_PREFIX: 'articles/',
  SITE_BUCKET: site,
  TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
  SITE_CONFIG: JSON.stringify({ title: 'Fault suite', siteUrl: 'https://news.example.org/' }),
});

let sequencer = 0;
/** Uploads (or deletes) an article and returns the body S3 would queue for it. */
async function change(name: string, text?: string): Promise<string> {
  const key = `articles/${name}`;
  sequencer++;
  const object: S3EventRecord['s3']['object'] = {
    key,
    sequencer: `0A${String(sequencer).padStart(14, '0')}`,
  };
  if (text === undefined) {
    await clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES, Key: key }));
  } else {
    const out = await clients.s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: text }));
    Object.assign(object, { size: Buffer.byteLength(text), eTag: out.ETag });
  }
  return s3MessageBody({
    eventName: text === undefined ? 'ObjectRemoved:Delete' : 'ObjectCreated:Put',
    eventTime: NOW.now().toISOString(),
    s3: { bucket: { name: ARTICLES }, object },
  });
}

/** Every object of a site bucket: body and the headers a reader gets. */
async function siteOf(bucket: string): Promise<Record<string, string>> {
  const site: Record<string, string> = {};
  const { Contents = [] } = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const { Key } of Contents) {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: Key! }));
    site[Key!] = `${object.ContentType} | ${object.CacheControl}\n${await object.Body!.transformToString()}`;
  }
  return site;
}

async function copySite(from: string, to: string): Promise<void> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: to }));
  const { Contents = [] } = await clients.s3.send(new ListObjectsV2Command({ Bucket: from }));
  for (const { Key } of Contents) {
    await clients.s3.send(new CopyObjectCommand({ Bucket: to, Key: Key!, CopySource: `${from}/${Key}` }));
  }
}

interface Outcome {
  site: Record<string, string>;
  writes: number;
  crashPoint?: string;
  /** Changed paths whose last write no invalidation followed. */
  uninvalidated: string[];
  marksLeft: number;
  /** What one more publish wrote (it must write nothing). */
  rewritten: number;
}

/** Publishes from the stored state, crashing after write `crashAfter` if given, then publishes again. */
async function publishRun(items: Record<string, unknown>[], crashAfter?: number): Promise<Outcome> {
  const table = `t-${randomUUID().slice(0, 8)}`;
  const site = `site-${randomUUID().slice(0, 8)}`;
  await Promise.all([tableWith(clients.dynamo, table, items), copySite(BASE_SITE, site)]);
  const env = envFor(table, site);
  const crasher = new Crasher(crashAfter);
  /** Site writes and invalidations in order: `write path`, `remove path`, `invalidate /a /b`. */
  const events: string[] = [];
  const invalidator = {
    async invalidate(paths: string[]) {
      events.push(`invalidate ${paths.join(' ')}`);
      return undefined;
    },
  };
  const container = () =>
    makePublishHandler(async (): Promise<PublishDeps> => {
      const deps = await composePublish({ clients, env, clock: NOW });
      const sink = {
        write: async (file: { path: string; contentType: string; body: string }) => {
          const written = await deps.sink.write(file);
          if (written) events.push(`write ${file.path}`);
          return written;
        },
        remove: async (path: string) => {
          await deps.sink.remove(path);
          events.push(`remove ${path}`);
        },
        exists: (path: string) => deps.sink.exists(path),
      };
      const recorded: PublishDeps = { ...deps, sink, invalidator };
      return {
        ...recorded,
        store: crashing('store', deps.store, PUBLISH_WRITES, crasher),
        sink: crashing('sink', sink, PUBLISH_WRITES, crasher),
        invalidator: crashing('cdn', invalidator, PUBLISH_WRITES, crasher),
        setRenderKey: async (key: string) => {
          crasher.before();
          await deps.setRenderKey(key);
          crasher.afterWrite();
        },
      };
    });

  const first = await container()().catch((error: unknown) => error);
  if (crasher.crashed) {
    crasher.revive();
    await container()();
  } else expect(first).toMatchObject({ invalidated: expect.any(Array) });
  const writes = crasher.writes;
  const again = await container()();

  const lastWrite = new Map<string, number>();
  const invalidatedAt = new Map<string, number>();
  events.forEach((event, i) => {
    const [kind, ...paths] = event.split(' ');
    if (kind === 'invalidate') for (const path of paths) invalidatedAt.set(path, i);
    else lastWrite.set(`/${paths[0]}`, i);
  });
  const covered = (path: string, at: number) =>
    (invalidatedAt.get(path) ?? -1) > at || (invalidatedAt.get('/*') ?? -1) > at;
  const outcome: Outcome = {
    site: await siteOf(site),
    writes,
    uninvalidated: [...lastWrite].filter(([path, at]) => !covered(path, at)).map(([path]) => path),
    marksLeft: (await scanTable(clients.dynamo, table)).filter((item) => item.pk === 'DIRTY').length,
    rewritten: again.written + again.removed,
  };
  if (crasher.crashPoint) outcome.crashPoint = crasher.crashPoint;
  return outcome;
}

describe('publish fault suite: a crash after every site write, then the next publish', () => {
  it('converges to the bytes of an uninterrupted publish, with every change invalidated', async () => {
    // The base: five seeds ingested and published.
    const seedBodies: string[] = [];
    for (const seed of SEEDS)
      seedBodies.push(await change(seed, readFileSync(join(SEEDS_DIR, seed), 'utf8')));
    const baseTable = 'publish-base';
    await tableWith(clients.dynamo, baseTable, []);
    const env = envFor(baseTable, BASE_SITE);
    const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: NOW }));
    expect((await ingest(sqsEvent(seedBodies))).batchItemFailures).toEqual([]);
    await makePublishHandler(() => composePublish({ clients, env, clock: NOW }))();
    const base = await siteOf(BASE_SITE);
    const relatedIn = async () =>
      new Map(
        (await scanTable(clients.dynamo, baseTable))
          .filter((item) => String(item.pk).startsWith('STORY#'))
          .map((item) => [String(item.id), JSON.stringify(item.related ?? [])]),
      );
    const relatedBefore = await relatedIn();

    // One story removed, one moved to another month, one added in a month of its own.
    // (A changed body under the same title and date leaves the story record, so its marks, unchanged.)
    const redated = withNewDate(readFileSync(join(SEEDS_DIR, SEEDS[2]!), 'utf8'), '2021-07-30');
    const changes = [
      await change(SEEDS[4]!),
      await change(SEEDS[2]!, redated),
      await change('late.txt', ` date 2021-09-15 ${syntheticArticle(createRng(4), 3)}\n`),
    ];
    expect((await ingest(sqsEvent(changes))).batchItemFailures).toEqual([]);
    const items = (await scanTable(clients.dynamo, baseTable)).filter((item) =>
      PUBLISHER_ITEMS.test(String(item.pk)),
    );
    // The three changed stories (a single article's story has its id), and every other story whose
    // related-coverage list (shown on its page) changed.
    const relatedAfter = await relatedIn();
    const relinked = [...relatedAfter]
      .filter(([id, list]) => relatedBefore.has(id) && relatedBefore.get(id) !== list)
      .map(([id]) => id);
    expect(relinked.length).toBeGreaterThan(0);
    const changed = [SEEDS[4]!, SEEDS[2]!, 'late.txt'].map((key) => articleId(key));
    const marked = items.filter((item) => item.pk === 'DIRTY').map((item) => String(item.sk));
    expect(marked.sort()).toEqual([...new Set([...changed, ...relinked])].sort());

    const reference = await publishRun(items);
    expect(reference.uninvalidated).toEqual([]);
    expect(reference.marksLeft).toBe(0);
    expect(reference.rewritten).toBe(0);
    // The change reached the site: a page went, a month appeared.
    expect(Object.keys(reference.site).length).not.toBe(0);
    expect(Object.keys(reference.site)).toEqual(
      expect.arrayContaining(['archive/2021-07.html', 'archive/2021-09.html']),
    );
    expect(Object.keys(base).filter((path) => !(path in reference.site))).toHaveLength(1);

    const figures: FaultFigures = {
      trials: 0,
      recovered: 0,
      lost: 0,
      duplicated: 0,
      notes: { 'not invalidated': 0 },
    };
    const failures: string[] = [];
    for (let n = 1; n <= reference.writes; n++) {
      const trial = await publishRun(items, n);
      figures.trials++;
      const missing = Object.keys(reference.site).filter((path) => trial.site[path] !== reference.site[path]);
      const extraPaths = Object.keys(trial.site).filter((path) => !(path in reference.site));
      figures.lost += missing.length;
      figures.duplicated += extraPaths.length;
      figures.notes!['not invalidated']! += trial.uninvalidated.length;
      const problems = [
        ...missing.map((path) => `${path} differs`),
        ...extraPaths.map((path) => `${path} left behind`),
        ...trial.uninvalidated.map((path) => `${path} not invalidated`),
        ...(trial.marksLeft ? [`${trial.marksLeft} marks left`] : []),
        ...(trial.rewritten ? [`a further publish wrote ${trial.rewritten}`] : []),
      ];
      if (problems.length)
        failures.push(`crash after write ${n} (${trial.crashPoint}): ${problems.join(', ')}`);
      else figures.recovered++;
    }
    printFigures('publish', figures);
    expect(failures).toEqual([]);
    expect(figures).toMatchObject({
      trials: reference.writes,
      recovered: reference.writes,
      lost: 0,
      duplicated: 0,
    });
    expect(figures.trials).toBeGreaterThan(10);
  });
});
