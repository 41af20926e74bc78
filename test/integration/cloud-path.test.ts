/**
 * The cloud path end to end against real protocol peers: s3rver (S3) and dynalite (DynamoDB), with
 * real AWS SDK v3 calls. SQS has no emulator here, so the SQS events the ingest function receives
 * are built from the S3 event records s3rver emits (the body S3 would send), and the reconciler's
 * SendMessageBatch calls are captured with aws-sdk-client-mock.
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composePublish } from '../../functions/compose/publish.js';
import { composeReconcile } from '../../functions/compose/reconcile.js';
import { applyEvent, prepareEvent } from '../../functions/core/cloud/ingest.js';
import type { ObjectEvent } from '../../functions/core/cloud/s3-events.js';
import { articleId } from '../../functions/core/stories/prepare.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { makeReconcileHandler } from '../../functions/handlers/reconcile.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { runCli, SEEDS_DIR, workspace } from '../helpers/cli.js';
import {
  createStoryTable,
  type S3Emulator,
  startDynamo,
  startS3,
  testClients,
} from '../helpers/emulators.js';
import { sqsEvent, sqsRecord } from '../helpers/lambda-events.js';
import { parseWithFeedparser } from '../helpers/readers.js';
import { storyTable } from '../helpers/story-table.js';

const SEEDS = [
  '000_8e65d67321044a22.txt',
  '001_c49de1067c077a2e.txt',
  '002_1053def13e2cd472.txt',
  '003_7eae227dbbbca2f7.txt',
  '004_362068bbac3e72bc.txt',
];
const ARTICLES = 'articles-bucket';
const SITE = 'site-bucket';
const FIXED_NOW = { now: () => new Date('2025-11-24T12:00:00.000Z') };

let s3: S3Emulator;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let clients: AwsClients;

beforeAll(async () => {
  s3 = await startS3();
  dynamo = await startDynamo();
  clients = testClients(s3.endpoint, dynamo.endpoint);
  await clients.s3.send(new CreateBucketCommand({ Bucket: ARTICLES }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: SITE }));
  for (const seed of SEEDS) {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: ARTICLES,
        Key: `articles/${seed}`,
        Body: readFileSync(join(SEEDS_DIR, seed)),
      }),
    );
  }
});

afterAll(async () => {
  await s3?.close();
  await dynamo?.close();
});

/** A fresh table per scenario, so scenarios never see each other's state. */
async function freshEnv(): Promise<NodeJS.ProcessEnv> {
  const table = `stories-${randomUUID().slice(0, 8)}`;
  await createStoryTable(clients.dynamo, table);
  return {
    STORY_TABLE: table,
    ARTICLES_BUCKET: ARTICLES,
    ARTICLES_PREFIX: 'articles/',
    SITE_BUCKET: SITE,
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    INGEST_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/ingest',
    SITE_CONFIG: JSON.stringify({ title: 'Cloud test', siteUrl: 'https://news.example.org/' }),
  };
}

/** The S3 event records s3rver emitted for the seed uploads, newest per key. */
function seedRecords(): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const record of s3.events) {
    const key = (record as { s3: { object: { key: string } } }).s3.object.key;
    if (SEEDS.some((seed) => key.endsWith(encodeURIComponent(seed)) || key.endsWith(seed)))
      byKey.set(key, record);
  }
  return [...byKey.values()];
}

/** The body S3 sends to the queue for one record (the keys as s3rver gave them). */
const s3Body = (record: unknown): string => JSON.stringify({ Records: [record] });

async function storiesIn(env: NodeJS.ProcessEnv) {
  const store = storyTable(clients.dynamo, env.STORY_TABLE!);
  const stories = await store.publish.newest(1000);
  return stories.map((story) => ({ id: story.id, title: story.title, members: [...story.members].sort() }));
}

async function readSite(path: string): Promise<string> {
  const object = await clients.s3.send(new GetObjectCommand({ Bucket: SITE, Key: path }));
  return object.Body!.transformToString();
}

describe('the cloud path: S3 → SQS → ingest → DynamoDB → publish → site bucket', () => {
  let localStories: Array<{ id: string; title: string; members: string[] }>;

  it('turns the five seeds into the same four stories, with the same ids, as the local build', async () => {
    const local = runCli(workspace());
    localStories = local.report.stories.map((s) => ({
      id: s.id,
      title: s.title,
      members: [...s.members].sort(),
    }));

    const env = await freshEnv();
    const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    const response = await ingest(sqsEvent(seedRecords().map(s3Body)));
    expect(response.batchItemFailures).toEqual([]);
    const publish = makePublishHandler(() => composePublish({ clients, env, clock: FIXED_NOW }));
    const published = await publish();
    expect(published.stories).toBe(4);

    const sortById = <T extends { id: string }>(list: T[]) =>
      [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(sortById(await storiesIn(env))).toEqual(sortById(localStories));

    const dir = mkdtempSync(join(tmpdir(), 'cloud-feed-'));
    writeFileSync(join(dir, 'feed.xml'), await readSite('feed.xml'));
    const feed = parseWithFeedparser(join(dir, 'feed.xml'));
    expect(feed.bozo).toBe(false);
    expect(feed.entries).toHaveLength(4);
    expect(feed.entries.map((e) => e.id).sort()).toEqual(localStories.map((s) => s.id).sort());
    const head = await clients.s3.send(new GetObjectCommand({ Bucket: SITE, Key: 'feed.xml' }));
    expect(head.ContentType).toBe('application/rss+xml; charset=utf-8');
    expect(head.CacheControl).toMatch(/max-age=\d+/);
    expect(await readSite('index.html')).toContain('Taliban resistance movement claims gains');

    // A second publish with nothing dirty writes nothing.
    expect((await publish()).written).toBe(0);
  });

  it('is idempotent under at-least-once delivery: any replay of 1–5 copies in any order gives the same stories', async () => {
    const records = seedRecords();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: records.length, maxLength: records.length }),
        fc.infiniteStream(fc.integer({ min: 1, max: 4 })),
        fc.integer(),
        async (copies, batchSizes, seed) => {
          const env = await freshEnv();
          const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
          const deliveries = records.flatMap((record, i) => Array.from({ length: copies[i]! }, () => record));
          // Shuffle with the generated seed.
          let state = seed;
          const random = () => {
            state = (Math.imul(state, 1103515245) + 12345) | 0;
            return (state >>> 0) / 4294967296;
          };
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
          }
          const sizes = batchSizes[Symbol.iterator]();
          for (let i = 0; i < deliveries.length; ) {
            const size = sizes.next().value as number;
            const batch = deliveries.slice(i, i + size).map(s3Body);
            i += size;
            expect((await ingest(sqsEvent(batch))).batchItemFailures).toEqual([]);
          }
          const stories = await storiesIn(env);
          // Same grouping as the local build; ids may differ only in which member came first.
          expect(stories.map((s) => s.members.join('|')).sort()).toEqual(
            localStories.map((s) => s.members.join('|')).sort(),
          );
          // A story's id is the id of one of its members (the first seen), whatever the order.
          for (const story of stories) expect(story.members.map((key) => articleId(key))).toContain(story.id);
          expect(new Set(stories.map((s) => s.id)).size).toBe(stories.length);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('merges two copies of one story ingested at the same time into one story', async () => {
    const env = await freshEnv();
    const records = seedRecords();
    const copy = (name: string) => records.find((r) => JSON.stringify(r).includes(name))!;
    const a = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    const b = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    const [ra, rb] = await Promise.all([
      a(sqsEvent([s3Body(copy(SEEDS[0]!))])),
      b(sqsEvent([s3Body(copy(SEEDS[1]!))])),
    ]);
    expect([...ra.batchItemFailures, ...rb.batchItemFailures]).toEqual([]);
    const stories = await storiesIn(env);
    expect(stories).toHaveLength(1);
    expect(stories[0]!.members).toEqual([SEEDS[0], SEEDS[1]]);
  });

  it('reports only a poison message as failed; the good ones in its batch are ingested', async () => {
    const env = await freshEnv();
    const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    const good = seedRecords().map((record, i) => sqsRecord(`good-${i}`, s3Body(record)));
    const poison = sqsRecord('poison-1', '{"Records": [{"eventName": "ObjectCreated:Put", "s3": {}}]}');
    const response = await ingest({ Records: [good[0]!, poison, ...good.slice(1)] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison-1' }]);
    expect(await storiesIn(env)).toHaveLength(4);
  });

  it('quarantines a bad article with its reason and publishes the rest', async () => {
    const env = await freshEnv();
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: ARTICLES,
        Key: 'articles/broken.txt',
        Body: Buffer.from([0xff, 0xfe, 0x00, 0x41]),
      }),
    );
    const record = s3.events.findLast((r) => JSON.stringify(r).includes('broken.txt'))!;
    const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    const response = await ingest(sqsEvent([...seedRecords(), record].map(s3Body)));
    expect(response.batchItemFailures).toEqual([]);
    const store = storyTable(clients.dynamo, env.STORY_TABLE!);
    const quarantined = await store.objects.quarantined();
    expect(quarantined.map((q) => q.key)).toEqual(['broken.txt']);
    expect(quarantined[0]!.message).toContain('broken.txt');
    expect(await storiesIn(env)).toHaveLength(4);
    await clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES, Key: 'articles/broken.txt' }));
  });

  it('leaves an image beside the articles alone: not parsed, not quarantined, not re-sent by the reconciler', async () => {
    const env = await freshEnv();
    const imageKey = 'articles/desk/pics/lead.png';
    // A PNG's first bytes: binary, so it would be quarantined as a broken article if it were parsed.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    await clients.s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: imageKey, Body: png }));
    try {
      const record = s3.events.findLast((r) => JSON.stringify(r).includes('lead.png'))!;
      expect(record).toBeDefined();
      const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
      expect((await ingest(sqsEvent([...seedRecords(), record].map(s3Body)))).batchItemFailures).toEqual([]);
      const store = storyTable(clients.dynamo, env.STORY_TABLE!);
      expect(await store.objects.quarantined()).toEqual([]);
      expect(await store.objects.getObject('desk/pics/lead.png')).toBeUndefined();
      expect(await storiesIn(env)).toHaveLength(4);

      const sqs = new SQSClient({ region: 'us-east-1' });
      const sent = mockClient(sqs); // no SQS emulator on npm: the reconciler's sends are recorded
      sent.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      const reconcile = makeReconcileHandler(() =>
        composeReconcile({ clients: { ...clients, sqs }, env, clock: FIXED_NOW }),
      );
      expect((await reconcile()).missing).toEqual([]);
      expect(sent.commandCalls(SendMessageBatchCommand)).toHaveLength(0);

      // A removal still goes through (it clears a record an older release may have written).
      const deps = composeIngest({ clients, env, clock: FIXED_NOW });
      const removal: ObjectEvent = {
        kind: 'removed',
        bucket: ARTICLES,
        key: imageKey,
        size: 0,
        version: '',
        etag: '',
        sequencer: '0F',
        eventTime: '2025-11-24T11:00:00.000Z',
      };
      expect((await prepareEvent(deps, { ...removal, kind: 'created', size: png.length })).kind).toBe('skip');
      expect((await applyEvent(deps, await prepareEvent(deps, removal))).action).toBe('removed');
    } finally {
      await clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES, Key: imageKey }));
    }
  });

  it('quarantines a rejected version only while it is the newest one applied, and forgets it on removal', async () => {
    const env = await freshEnv();
    const deps = composeIngest({ clients, env, clock: FIXED_NOW });
    const store = storyTable(clients.dynamo, env.STORY_TABLE!);
    const key = `articles/${SEEDS[2]}`;
    const event = (sequencer: string, kind: 'created' | 'removed', size: number): ObjectEvent => ({
      kind,
      bucket: ARTICLES,
      key,
      size,
      version: `v${sequencer}`,
      etag: kind === 'created' ? `etag${sequencer}` : '',
      sequencer,
      eventTime: '2025-11-24T11:00:00.000Z',
    });
    // An oversized (so rejected) version and a newer good one, both prepared before either is applied,
    // as two concurrent batches would: the newer one is applied first.
    const rejected = await prepareEvent(deps, event('0A', 'created', 10 * 1024 * 1024));
    const good = await prepareEvent(deps, event('0B', 'created', 100));
    expect([rejected.kind, good.kind]).toEqual(['rejected', 'doc']);
    expect((await applyEvent(deps, good)).action).toBe('published');
    expect((await applyEvent(deps, rejected)).action).toBe('stale');
    expect(await store.objects.quarantined()).toEqual([]);

    // In order, a rejected version is listed, and a removal of the key clears it.
    expect((await applyEvent(deps, await prepareEvent(deps, event('0C', 'created', 1e8)))).action).toBe(
      'quarantined',
    );
    expect((await store.objects.quarantined()).map((q) => [q.key, q.version, q.code])).toEqual([
      [SEEDS[2], 'v0C', 'too-large'],
    ]);
    expect(await storiesIn(env)).toEqual([]);
    expect((await applyEvent(deps, await prepareEvent(deps, event('0D', 'removed', 0)))).action).toBe(
      'removed',
    );
    expect(await store.objects.quarantined()).toEqual([]);
  });

  it('publishes a story whose canonical article is gone from another copy, and leaves out one with none left', async () => {
    const env = await freshEnv();
    const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    expect((await ingest(sqsEvent(seedRecords().map(s3Body)))).batchItemFailures).toEqual([]);
    const warnings: Array<Record<string, unknown>> = [];
    const log = {
      warn: (message: string, fields: Record<string, unknown>) => warnings.push({ message, ...fields }),
    };
    const publish = makePublishHandler(() => composePublish({ clients, env, clock: FIXED_NOW, log }));
    await publish();
    const store = storyTable(clients.dynamo, env.STORY_TABLE!);
    const story = (await store.publish.newest(10)).find((s) => s.members.length === 2)!;
    const other = story.members.find((key) => key !== story.canonical)!;
    const guid = `<guid isPermaLink="false">${story.id}</guid>`;
    const remove = (key: string) =>
      clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES, Key: `articles/${key}` }));
    try {
      // Deleted from the bucket, its removal not ingested yet; the story is marked, as a later change to it would.
      await remove(story.canonical);
      await store.ingest.putStory(story);
      await publish();
      expect(warnings).toContainEqual(
        expect.objectContaining({
          message: 'article missing from the articles bucket',
          key: story.canonical,
        }),
      );
      expect(warnings).toContainEqual(expect.objectContaining({ storyId: story.id, shownFrom: other }));
      expect(await readSite('feed.xml')).toContain(guid);
      expect(await readSite(`articles/${story.slug}.html`)).toContain(story.title);

      // No copy left: the story is left out, the rest of the site is still published.
      await remove(other);
      await store.ingest.putStory(story);
      const result = await publish();
      expect(result.stories).toBe(1);
      expect(warnings).toContainEqual(
        expect.objectContaining({
          message: 'story left out: none of its articles can be read',
          storyId: story.id,
        }),
      );
      const feed = await readSite('feed.xml');
      expect(feed).not.toContain(guid);
      expect(feed.match(/<item>/g)).toHaveLength(3);
    } finally {
      for (const key of [story.canonical, other]) {
        await clients.s3.send(
          new PutObjectCommand({
            Bucket: ARTICLES,
            Key: `articles/${key}`,
            Body: readFileSync(join(SEEDS_DIR, key)),
          }),
        );
      }
    }
  });

  it('restores an article whose event was dropped, through the reconciler', async () => {
    const env = await freshEnv();
    const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    const [dropped, ...delivered] = seedRecords();
    await ingest(sqsEvent(delivered.map(s3Body)));
    expect(await storiesIn(env)).toHaveLength(4); // 000 and 001 are one story: dropping one changes the members only

    const sqs = new SQSClient({ region: 'us-east-1' });
    const sent = mockClient(sqs);
    sent.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const reconcile = makeReconcileHandler(() =>
      composeReconcile({ clients: { ...clients, sqs }, env, clock: FIXED_NOW }),
    );
    const result = await reconcile();
    const droppedKey = (dropped as { s3: { object: { key: string } } }).s3.object.key;
    expect(result.missing).toEqual([decodeURIComponent(droppedKey).replace(/^articles\//, '')]);
    const bodies = sent
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(bodies).toHaveLength(1);
    await ingest(sqsEvent(bodies.map((entry) => entry.MessageBody!)));
    const stories = await storiesIn(env);
    expect(stories.map((s) => s.members.join('|')).sort()).toEqual(
      localStories.map((s) => s.members.join('|')).sort(),
    );
    // Reconciling again finds nothing to do.
    expect((await reconcile()).missing).toEqual([]);
  });

  it('removes what only a deleted object contributed', async () => {
    const env = await freshEnv();
    const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: FIXED_NOW }));
    await ingest(sqsEvent(seedRecords().map(s3Body)));
    const publish = makePublishHandler(() => composePublish({ clients, env, clock: FIXED_NOW }));
    await publish();
    await clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES, Key: `articles/${SEEDS[4]}` }));
    const removal = s3.events.findLast(
      (r) => JSON.stringify(r).includes(SEEDS[4]!) && JSON.stringify(r).includes('ObjectRemoved'),
    )!;
    expect((await ingest(sqsEvent([s3Body(removal)]))).batchItemFailures).toEqual([]);
    expect(await storiesIn(env)).toHaveLength(3);
    const result = await publish();
    expect(result.removed).toBeGreaterThan(0);
    expect(await readSite('feed.xml')).not.toContain('Taliban say it has surrounded');
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: ARTICLES,
        Key: `articles/${SEEDS[4]}`,
        Body: readFileSync(join(SEEDS_DIR, SEEDS[4]!)),
      }),
    );
  });
});
