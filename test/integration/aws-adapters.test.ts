/**
 * The AWS SDK v3 adapters against real protocol peers started in-process: s3rver for S3 and dynalite
 * for DynamoDB. CloudFront and SQS have no emulator here: their adapters are tested with
 * aws-sdk-client-mock, which checks the requests the SDK would send, not a service's answers.
 */
import { randomUUID } from 'node:crypto';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
} from '@aws-sdk/client-cloudfront';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import {
  CloudFrontInvalidator,
  MAX_LISTED_PATHS,
} from '../../functions/adapters/aws/cloudfront-invalidator.js';
import { ITEM_PART_BYTES } from '../../functions/adapters/aws/dynamo-table.js';
import {
  DocChunksMissingError,
  joinFeatures,
  splitFeatures,
} from '../../functions/adapters/aws/feature-chunks.js';
import { S3ArticleSource, S3ObjectReader } from '../../functions/adapters/aws/s3-articles.js';
import {
  cacheControlFor,
  S3SiteSink,
  UnsafeSitePathError,
} from '../../functions/adapters/aws/s3-site-sink.js';
import {
  EnqueueFailedError,
  s3NotificationBody,
  sqsEnqueuer,
} from '../../functions/adapters/aws/sqs-enqueue.js';
import type { DocItem, IngestPlan, ObjectRecord, StoryItem } from '../../functions/core/cloud/ports.js';
import { type ObjectEvent, parseS3Event } from '../../functions/core/cloud/s3-events.js';
import { DEFAULT_POSTING_CAP as POSTING_CAP } from '../../functions/core/dedup/candidate-index.js';
import { encodePack } from '../../functions/core/stories/shingle-pack.js';
import { compareStories } from '../../functions/core/stories/story-view.js';
import {
  createStoryTable,
  type DynamoEmulator,
  type S3Emulator,
  s3MessageBody,
  startDynamo,
  startS3,
  testClients,
} from '../helpers/emulators.js';
import { type StoryTable, storyTable } from '../helpers/story-table.js';

const ARTICLES = 'articles-bucket';
const SITE = 'site-bucket';

let s3: S3Emulator;
let dynamo: DynamoEmulator;
let clients: AwsClients;

beforeAll(async () => {
  [s3, dynamo] = await Promise.all([startS3({ buckets: [ARTICLES, SITE] }), startDynamo()]);
  clients = testClients(s3.endpoint, dynamo.endpoint);
});

afterAll(async () => {
  await Promise.all([s3?.close(), dynamo?.close()]);
});

/** A store on a fresh table: tests never see each other's items. */
async function freshStore(): Promise<{ store: StoryTable; table: string }> {
  const table = `t-${randomUUID().slice(0, 8)}`;
  await createStoryTable(clients.dynamo, table);
  return { store: storyTable(clients.dynamo, table), table };
}

async function partition(table: string, pk: string): Promise<string[]> {
  const page = await clients.dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return (page.Items ?? []).map((item) => String(item.sk));
}

/** Deterministic pseudo-random words (xorshift32), so a failure is reproducible. */
function words(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = seed || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0;
  }
  return out;
}

function makeDoc(docId: string, shingles: number, overrides: Partial<DocItem> = {}): DocItem {
  return {
    docId,
    key: `${docId}.txt`,
    seq: 7,
    date: '2021-08-23T00:00:00.000Z',
    title: `Title of ${docId}`,
    tokens: words(shingles, shingles + 1),
    lineEnds: Uint32Array.of(Math.floor(shingles / 2), shingles),
    fps: words(12, 9),
    entities: words(5, 3),
    particulars: words(6, 7),
    flags: 1,
    ...overrides,
  };
}

/** In the shape ingest builds (`{ ...record, id, createdAt }`), evidence keys in order. */
function makeStoryItem(id: string, date: string, overrides: Partial<StoryItem> = {}): StoryItem {
  return {
    slug: `slug-${id}`,
    canonical: `${id}.txt`,
    members: [`${id}.txt`, `${id}-copy.txt`],
    date,
    updated: date,
    title: `Story ${id}`,
    evidence: {
      [`${id}-b.txt`]: { containment: 1, coverage: 1 },
      [`${id}-copy.txt`]: { containment: 0.9, coverage: 0.75 },
    },
    createdBuild: 0,
    id,
    createdAt: '2025-11-24T12:00:00.000Z',
    ...overrides,
  };
}

describe('the story table adapters against dynalite', () => {
  it('compare-and-sets object records: a stale previous writes nothing', async () => {
    const { store } = await freshStore();
    const first: ObjectRecord = {
      key: 'a b/é.txt',
      version: 'v1',
      etag: 'e1',
      sequencer: '0A',
      status: 'active',
      docId: 'd1',
      firstSeen: '2025-01-01T00:00:00.000Z',
    };
    expect(await store.ingest.putObjectIf(first, undefined)).toBe(true);
    expect(await store.ingest.putObjectIf({ ...first, version: 'v0' }, undefined)).toBe(false);
    expect(await store.ingest.getObject(first.key)).toEqual(first);

    const second: ObjectRecord = { ...first, version: 'v2', etag: 'e2', sequencer: '0B' };
    expect(await store.ingest.putObjectIf(second, first)).toBe(true);
    expect(await store.ingest.putObjectIf({ ...first, status: 'deleted' }, first)).toBe(false);
    expect(await store.ingest.getObject(first.key)).toEqual(second);
    // Same version, other sequencer: still stale.
    expect(await store.ingest.putObjectIf(first, { ...second, sequencer: '0A' })).toBe(false);

    const other: ObjectRecord = { ...first, key: 'other.txt', docId: 'd2' };
    await store.ingest.putObjectIf(other, undefined);
    expect(await store.objects.records()).toEqual([second, other].sort((a, b) => (a.key < b.key ? -1 : 1)));
    expect(await store.ingest.getObject('missing.txt')).toBeUndefined();
  });

  it('quarantines and releases a key', async () => {
    const { store } = await freshStore();
    await store.ingest.quarantine('bad.txt', 'v9', {
      source: 'bad.txt',
      severity: 'error',
      code: 'binary',
      message: 'bad.txt: binary',
    });
    expect(await store.objects.quarantined()).toEqual([
      { key: 'bad.txt', version: 'v9', code: 'binary', message: 'bad.txt: binary' },
    ]);
    await store.ingest.releaseQuarantine('bad.txt');
    expect(await store.objects.quarantined()).toEqual([]);
  });

  it('round-trips a doc, with and without a story id', async () => {
    const { store, table } = await freshStore();
    const doc = makeDoc('small', 500);
    await store.ingest.putDoc(doc);
    expect(await store.ingest.getDoc('small')).toEqual(doc);
    expect(await partition(table, 'DOC#small')).toEqual(['DOC']);
    await store.ingest.putDoc({ ...doc, storyId: 's1' });
    expect((await store.ingest.getDoc('small'))?.storyId).toBe('s1');
    await store.ingest.deleteDoc('small');
    expect(await store.ingest.getDoc('small')).toBeUndefined();
  });

  it("sets a stored doc's story without touching its features, and never creates a doc", async () => {
    const { store, table } = await freshStore();
    const big = makeDoc('big', 200_000);
    await store.ingest.putDoc(big);
    await store.ingest.setDocStory('big', 'story-1');
    expect(await store.ingest.getDoc('big')).toEqual({ ...big, storyId: 'story-1' });
    await store.ingest.setDocStory('gone', 'story-1');
    expect(await store.ingest.getDoc('gone')).toBeUndefined();
    expect(await partition(table, 'DOC#gone')).toEqual([]);
  });

  it('stores one ingest plan, split into parts when it is too large for an item, and deletes it whole', async () => {
    const { store, table } = await freshStore();
    expect(await store.ingest.getPlan()).toBeUndefined();
    const record: ObjectRecord = {
      key: 'a.txt',
      version: 'v2',
      etag: 'e2',
      sequencer: '0B',
      status: 'rejected',
      docId: 'd1',
      firstSeen: '2025-01-01T00:00:00.000Z',
    };
    const small: IngestPlan = {
      key: 'a.txt',
      record,
      previous: { ...record, version: 'v1', sequencer: '0A', status: 'active' },
      stories: [makeStoryItem('s1', '2021-08-01T00:00:00.000Z')],
      retired: [makeStoryItem('s2', '2021-08-02T00:00:00.000Z')],
      docStories: [{ docId: 'd2', storyId: 's1' }],
      removeDoc: 'd1',
      quarantine: {
        version: 'v2',
        diagnostic: { source: 'a.txt', severity: 'error', code: 'binary', message: 'a.txt: binary' },
      },
    };
    await store.ingest.putPlan(small);
    expect(await store.ingest.getPlan()).toEqual(small);
    expect(await partition(table, 'PLAN')).toEqual(['HEAD']);

    // Thousands of members with long keys: over one item, as a very large merge could be.
    const members = Array.from({ length: 4000 }, (_, i) => `folder/${'ü'.repeat(40)}-${i}.txt`);
    const large: IngestPlan = {
      ...small,
      stories: [makeStoryItem('s1', '2021-08-01T00:00:00.000Z', { members })],
    };
    expect(new TextEncoder().encode(JSON.stringify(large)).length).toBeGreaterThan(ITEM_PART_BYTES);
    await store.ingest.putPlan(large);
    expect(await store.ingest.getPlan()).toEqual(large);
    const items = await partition(table, 'PLAN');
    expect(items.length).toBeGreaterThan(2);
    expect(items).toContain('HEAD');
    await store.ingest.deletePlan();
    expect(await store.ingest.getPlan()).toBeUndefined();
    expect(await partition(table, 'PLAN')).toEqual([]);
    await store.ingest.deletePlan();
  });

  it('splits a 200,000-shingle doc into chunks under the item limit, and cleans them up', async () => {
    const { store, table } = await freshStore();
    const big = makeDoc('big', 200_000, { storyId: 'story-big' });
    const packed = encodePack(new Map([[0, big]]));
    const chunks = Math.ceil(packed.length / ITEM_PART_BYTES);
    expect(chunks).toBeGreaterThan(1);

    await store.ingest.putDoc(big);
    const sks = await partition(table, 'DOC#big');
    expect(sks.sort()).toEqual(['DOC', ...Array.from({ length: chunks }, (_, n) => `FEAT#${n}`)].sort());
    expect(await store.ingest.getDoc('big')).toEqual(big);

    // Rewritten small: the chunks it no longer needs are deleted.
    const shrunk = makeDoc('big', 100);
    await store.ingest.putDoc(shrunk);
    expect(await partition(table, 'DOC#big')).toEqual(['DOC']);
    expect(await store.ingest.getDoc('big')).toEqual(shrunk);

    await store.ingest.putDoc(big);
    await store.ingest.deleteDoc('big');
    expect(await partition(table, 'DOC#big')).toEqual([]);
  });

  it('refuses to reassemble features from missing or short chunks', () => {
    const packed = encodePack(new Map([[0, makeDoc('x', 200_000)]]));
    const parts = splitFeatures(packed);
    const all = new Map(parts.map((part, n) => [n, part]));
    expect(joinFeatures('x', all, parts.length, packed.length)).toEqual(packed);
    const gap = new Map(all);
    gap.delete(1);
    expect(() => joinFeatures('x', gap, parts.length, packed.length)).toThrow(DocChunksMissingError);
    expect(() => joinFeatures('x', all, parts.length, packed.length + 4)).toThrow(DocChunksMissingError);
    expect(() => joinFeatures('x', all, parts.length - 1, packed.length)).toThrow(DocChunksMissingError);
  });

  it('adds, finds and removes postings, counting shared fingerprints and skipping frequent ones', async () => {
    const { store } = await freshStore();
    const ids = async (fps: Uint32Array) => (await store.ingest.candidates(fps)).map((hit) => hit.docId);
    await store.ingest.addPostings('d1', Uint32Array.of(1, 2, 3, 3), 3);
    await store.ingest.addPostings('d2', Uint32Array.of(3, 0xffffffff), 2);
    expect(await ids(Uint32Array.of(3))).toEqual(['d1', 'd2']);
    expect(await ids(Uint32Array.of(1, 0xffffffff))).toEqual(['d1', 'd2']);
    expect(await store.ingest.candidates(Uint32Array.of(1, 2, 3))).toEqual([
      { docId: 'd1', shared: 3, keys: 3 },
      { docId: 'd2', shared: 1, keys: 2 },
    ]);
    expect(await ids(Uint32Array.of(42))).toEqual([]);
    await store.ingest.removePostings('d1', Uint32Array.of(1, 2, 3));
    expect(await ids(Uint32Array.of(1, 2, 3, 0xffffffff))).toEqual(['d2']);

    // More fingerprints than one batch write (25) and more lookups than are in flight at once (16).
    const many = Uint32Array.from({ length: 60 }, (_, i) => 1000 + i);
    await store.ingest.addPostings('d3', many, 60);
    expect(await store.ingest.candidates(many)).toEqual([{ docId: 'd3', shared: 60, keys: 60 }]);

    // A fingerprint carried by more docs than the cap is frequent: it finds nothing.
    const carriers = Array.from({ length: POSTING_CAP }, (_, i) => `doc${String(i).padStart(3, '0')}`);
    for (const id of carriers) await store.ingest.addPostings(id, Uint32Array.of(77), 1);
    expect(await ids(Uint32Array.of(77))).toHaveLength(POSTING_CAP);
    await store.ingest.addPostings('one-more', Uint32Array.of(77), 1);
    expect(await ids(Uint32Array.of(77))).toEqual([]);
  });

  it('marks a put story dirty, keeps the first previous version, and clears only an unchanged mark', async () => {
    const { store } = await freshStore();
    const v1 = makeStoryItem('s1', '2021-08-01T00:00:00.000Z');
    await store.ingest.putStory(v1);
    expect(await store.ingest.getStory('s1')).toEqual(v1);
    // Same serialisation as the story written (ingest compares them as JSON).
    expect(JSON.stringify(await store.ingest.getStory('s1'))).toBe(JSON.stringify(v1));
    const [first] = await store.publish.dirty(10);
    expect(first?.storyId).toBe('s1');
    expect(first?.previous).toBeUndefined();

    const v2 = { ...v1, slug: 'slug-two', date: '2021-08-02T00:00:00.000Z' };
    await store.ingest.putStory(v2);
    const [second] = await store.publish.dirty(10);
    expect(second?.previous).toEqual({ slug: v1.slug, date: v1.date });
    expect(second?.token).not.toBe(first?.token);

    await store.ingest.putStory({ ...v2, slug: 'slug-three' });
    const [third] = await store.publish.dirty(10);
    expect(third?.previous).toEqual({ slug: v1.slug, date: v1.date });

    await store.publish.clearDirty(second!);
    expect((await store.publish.dirty(10)).map((m) => m.token)).toEqual([third?.token]);
    await store.publish.clearDirty(third!);
    expect(await store.publish.dirty(10)).toEqual([]);

    await store.ingest.deleteStory(v2);
    expect(await store.ingest.getStory('s1')).toBeUndefined();
    const [removal] = await store.publish.dirty(10);
    expect(removal?.previous).toEqual({ slug: 'slug-three', date: v2.date });
  });

  it('pages dirty marks up to the limit', async () => {
    const { store } = await freshStore();
    for (const id of ['a', 'b', 'c', 'd', 'e'])
      await store.ingest.putStory(makeStoryItem(id, '2021-08-01T00:00:00.000Z'));
    expect((await store.publish.dirty(3)).map((m) => m.storyId)).toEqual(['a', 'b', 'c']);
    expect(await store.publish.dirty(0)).toEqual([]);
  });

  it('lists the newest stories in compareStories order, ties by id ascending', async () => {
    const dates = ['2021-08-01T00:00:00.000Z', '2021-08-15T00:00:00.000Z', '2021-09-02T00:00:00.000Z'];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({ id: fc.stringMatching(/^[a-z0-9]{1,6}$/), date: fc.constantFrom(...dates) }),
          {
            selector: (s) => s.id,
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.integer({ min: 1, max: 14 }),
        async (entries, limit) => {
          const { store } = await freshStore();
          for (const { id, date } of entries) await store.ingest.putStory(makeStoryItem(id, date));
          const expected = [...entries].sort(compareStories).slice(0, limit);
          expect((await store.publish.newest(limit)).map((s) => s.id)).toEqual(expected.map((s) => s.id));
        },
      ),
      {
        numRuns: 15,
        // Ties running past the limit, over more than one page: the case the index order gets wrong.
        examples: [[['f', 'e', 'd', 'c', 'b', 'a'].map((id) => ({ id, date: dates[2]! })), 2]],
      },
    );
  });

  it('lists one month, and counts stories by month, newest month first', async () => {
    const { store } = await freshStore();
    const stories = [
      makeStoryItem('b', '2021-08-23T00:00:00.000Z'),
      makeStoryItem('a', '2021-08-23T00:00:00.000Z'),
      makeStoryItem('c', '2021-08-30T00:00:00.000Z'),
      makeStoryItem('d', '2021-09-01T00:00:00.000Z'),
      makeStoryItem('e', '2020-12-31T23:59:59.000Z'),
    ];
    for (const story of stories) await store.ingest.putStory(story);
    const august = stories.filter((s) => s.date.startsWith('2021-08')).sort(compareStories);
    expect(await store.publish.month('2021-08')).toEqual(august);
    expect(await store.publish.month('2021-07')).toEqual([]);
    await expect(store.publish.month('2021')).rejects.toThrow(RangeError);
    expect(await store.publish.months()).toEqual([
      { month: '2021-09', count: 1 },
      { month: '2021-08', count: 3 },
      { month: '2020-12', count: 1 },
    ]);
  });

  it('counts sequence numbers atomically', async () => {
    const { store } = await freshStore();
    const first = await store.ingest.nextSeq();
    expect(await store.ingest.nextSeq()).toBe(first + 1);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => store.ingest.nextSeq()));
    expect(new Set(concurrent).size).toBe(10);
    expect(Math.max(...concurrent)).toBe(first + 11);
  });

  it('holds the dedup lease for one owner until it is released or expires', async () => {
    const { store } = await freshStore();
    const t0 = new Date('2025-11-24T12:00:00.000Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect(await store.ingest.acquireLease('A', 1000, t0)).toBe(true);
    expect(await store.ingest.acquireLease('B', 1000, at(10))).toBe(false);
    expect(await store.ingest.acquireLease('A', 1000, at(20))).toBe(true);

    await store.ingest.releaseLease('B');
    expect(await store.ingest.acquireLease('B', 1000, at(30))).toBe(false);

    expect(await store.ingest.acquireLease('B', 1000, at(1100))).toBe(true);
    await store.ingest.releaseLease('A');
    expect(await store.ingest.acquireLease('A', 1000, at(1200))).toBe(false);
    await store.ingest.releaseLease('B');
    expect(await store.ingest.acquireLease('A', 1000, at(1300))).toBe(true);
  });

  it('tells a publish whether the one before it finished', async () => {
    const { store } = await freshStore();
    expect(await store.publish.startPublish()).toBe(false);
    await store.publish.finishPublish();
    expect(await store.publish.startPublish()).toBe(false);
    // Never finished: the next one is told.
    expect(await store.publish.startPublish()).toBe(true);
    await store.publish.finishPublish();
    await store.publish.finishPublish();
    expect(await store.publish.startPublish()).toBe(false);
  });

  it('stores the render key', async () => {
    const { store } = await freshStore();
    expect(await store.publish.getRenderKey()).toBeUndefined();
    await store.publish.setRenderKey('abc123');
    expect(await store.publish.getRenderKey()).toBe('abc123');
  });
});

describe('S3 articles against s3rver', () => {
  const odd = 'sub dir/Ünïcödé café + plus & 100%.txt';
  let etags: Map<string, string>;

  beforeAll(async () => {
    etags = new Map();
    const put = async (key: string, body: string) => {
      const out = await clients.s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: body }));
      etags.set(key, out.ETag ?? '');
    };
    await put(`articles/${odd}`, 'Title\n\nBody with ünïcödé.\n');
    await put('articles/plain.txt', 'Plain\n\nBody.\n');
    await put('articles/folder/', '');
    await put('elsewhere/x.txt', 'not an article');
  });

  it('lists objects under the prefix with relative keys and unquoted ETags, without folder markers', async () => {
    const source = new S3ArticleSource(clients.s3, ARTICLES, 'articles/');
    const listed = (await source.list()).sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(listed).toEqual(
      [odd, 'plain.txt'].sort().map((key) => ({
        key,
        size: Buffer.byteLength(key === odd ? 'Title\n\nBody with ünïcödé.\n' : 'Plain\n\nBody.\n'),
        version: etags.get(`articles/${key}`)!.replace(/"/g, ''),
      })),
    );
    expect(Buffer.from(await source.read(odd)).toString('utf8')).toBe('Title\n\nBody with ünïcödé.\n');
  });

  it('reads by full key and by ETag version, and gives undefined for a missing key', async () => {
    const reader = new S3ObjectReader(clients.s3, ARTICLES);
    const key = 'articles/plain.txt';
    const etag = etags.get(key)!.replace(/"/g, '');
    expect(Buffer.from((await reader.read(key))!).toString()).toBe('Plain\n\nBody.\n');
    expect(Buffer.from((await reader.read(key, etag))!).toString()).toBe('Plain\n\nBody.\n');
    expect(await reader.read('articles/missing.txt')).toBeUndefined();
  });

  it('asks for an ETag version with If-Match, and reads 403 (no ListBucket) and 412 (replaced) as gone', async () => {
    // s3rver ignores If-Match and cannot answer 403 for a missing key: the requests are checked instead.
    const mocked = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(mocked);
    const failure = (name: string, status: number) =>
      new S3ServiceException({
        name,
        $fault: 'client',
        $metadata: { httpStatusCode: status },
        message: name,
      });
    const reader = new S3ObjectReader(mocked, ARTICLES);
    const versionId = '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY';
    const etag = '0123456789abcdef0123456789abcdef';

    mock.on(GetObjectCommand).rejects(failure('AccessDenied', 403));
    expect(await reader.read('articles/x.txt', versionId)).toBeUndefined();
    mock.on(GetObjectCommand).rejects(failure('PreconditionFailed', 412));
    expect(await reader.read('articles/x.txt', etag)).toBeUndefined();
    const inputs = mock.commandCalls(GetObjectCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({ Bucket: ARTICLES, Key: 'articles/x.txt', VersionId: versionId });
    expect(inputs[0]?.IfMatch).toBeUndefined();
    expect(inputs[1]).toMatchObject({ IfMatch: `"${etag}"` });
    expect(inputs[1]?.VersionId).toBeUndefined();

    mock.on(GetObjectCommand).rejects(failure('InternalError', 500));
    await expect(reader.read('articles/x.txt')).rejects.toThrow('InternalError');
    mock.restore();
  });

  it('gives s3rver event records the body S3 would queue', () => {
    const record = s3.events.findLast((r) => r.s3.object.key === `articles/${odd}`);
    expect(record).toBeDefined();
    const [event] = parseS3Event(s3MessageBody(record!));
    expect(event?.key).toBe(`articles/${odd}`);
    expect(event?.etag).toBe(etags.get(`articles/${odd}`)!.replace(/"/g, ''));
  });
});

describe('S3SiteSink against s3rver', () => {
  /** A client of its own, counting the commands it sends. */
  function countingSink(options: { skipUnchanged?: boolean } = {}) {
    const sent: string[] = [];
    const client = testClients(s3.endpoint, dynamo.endpoint).s3;
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    return { sink: new S3SiteSink(client, SITE, options), sent };
  }

  it('with skipUnchanged off (the edition archive, PutObject-only role) never sends a HEAD', async () => {
    const { sink, sent } = countingSink({ skipUnchanged: false });
    const page = {
      path: 'digests/e-2026-11-25T0700Z.html',
      contentType: 'text/html; charset=utf-8',
      body: '<p>x</p>',
    };
    expect(await sink.write(page)).toBe(true);
    expect(await sink.write(page)).toBe(true);
    expect(sent).toEqual(['PutObjectCommand', 'PutObjectCommand']);
    expect((await head('digests/e-2026-11-25T0700Z.html')).CacheControl).toBe('public, max-age=3600');
  });

  const head = (key: string) => clients.s3.send(new HeadObjectCommand({ Bucket: SITE, Key: key }));

  it('stores content type and cache control, and does not PUT unchanged bytes again', async () => {
    const { sink, sent } = countingSink();
    const feed = {
      path: 'feed.xml',
      contentType: 'application/rss+xml; charset=utf-8',
      body: '<rss>ü</rss>',
    };
    expect(await sink.write(feed)).toBe(true);
    const before = await head('feed.xml');
    expect(before.ContentType).toBe(feed.contentType);
    expect(before.CacheControl).toBe('public, max-age=300');

    const puts = () => sent.filter((name) => name === 'PutObjectCommand').length;
    expect(puts()).toBe(1);
    expect(await sink.write(feed)).toBe(false);
    expect(puts()).toBe(1);
    const after = await head('feed.xml');
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified).toEqual(before.LastModified);

    expect(await sink.write({ ...feed, body: '<rss>changed</rss>' })).toBe(true);
    expect(puts()).toBe(2);
    // Same bytes under a new content type are written again.
    expect(await sink.write({ ...feed, body: '<rss>changed</rss>', contentType: 'application/xml' })).toBe(
      true,
    );
    expect((await head('feed.xml')).ContentType).toBe('application/xml');

    const page = {
      path: 'articles/some-story.html',
      contentType: 'text/html; charset=utf-8',
      body: '<p>x</p>',
    };
    await sink.write(page);
    expect((await head(page.path)).CacheControl).toBe('public, max-age=3600');
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: SITE, Key: page.path }));
    expect(await object.Body?.transformToString()).toBe(page.body);
  });

  it('removes files and reports existence', async () => {
    const { sink } = countingSink();
    await sink.write({ path: 'archive/2021-08.html', contentType: 'text/html; charset=utf-8', body: 'x' });
    expect(await sink.exists('archive/2021-08.html')).toBe(true);
    await sink.remove('archive/2021-08.html');
    expect(await sink.exists('archive/2021-08.html')).toBe(false);
    expect(await sink.exists('never-written.html')).toBe(false);
  });

  it('refuses paths that leave the site root or have empty segments', async () => {
    const { sink } = countingSink();
    for (const path of ['../x.html', 'a/../../x.html', '/abs.html', 'a//b.html', 'dir/']) {
      await expect(sink.write({ path, contentType: 'text/plain', body: '' })).rejects.toThrow(
        UnsafeSitePathError,
      );
    }
  });

  it('caches listings briefly and article pages longer', () => {
    for (const path of [
      'feed.xml',
      'atom.xml',
      'feed.json',
      'index.html',
      'archive/2021-08.html',
      'digest.html',
    ]) {
      expect(cacheControlFor(path)).toBe('public, max-age=300');
    }
    expect(cacheControlFor('articles/a-story.html')).toBe('public, max-age=3600');
  });
});

describe('CloudFrontInvalidator (aws-sdk-client-mock: CloudFront has no emulator)', () => {
  it('returns the invalidation id and reads its status with GetInvalidation on the same distribution', async () => {
    const client = new CloudFrontClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1' } as never });
    mock
      .on(GetInvalidationCommand)
      .resolvesOnce({ Invalidation: { Id: 'I1', Status: 'InProgress' } as never })
      .resolves({ Invalidation: { Id: 'I1', Status: 'Completed' } as never });
    const invalidator = new CloudFrontInvalidator(client, 'E123');
    expect(await invalidator.invalidate(['/feed.xml'])).toBe('I1');
    expect(await invalidator.isComplete('I1')).toBe(false);
    expect(await invalidator.isComplete('I1')).toBe(true);
    expect(mock.commandCalls(GetInvalidationCommand).map((call) => call.args[0].input)).toEqual([
      { DistributionId: 'E123', Id: 'I1' },
      { DistributionId: 'E123', Id: 'I1' },
    ]);
    mock.restore();
  });

  it('invalidates listed paths, falls back to a wildcard above the cap, and calls nothing for none', async () => {
    const client = new CloudFrontClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(CreateInvalidationCommand).resolves({});
    const invalidator = new CloudFrontInvalidator(client, 'E123');

    await invalidator.invalidate([]);
    expect(mock.commandCalls(CreateInvalidationCommand)).toHaveLength(0);

    await invalidator.invalidate(['/index.html', 'feed.xml', '/index.html']);
    await invalidator.invalidate(['/index.html', '/feed.xml']);
    const many = Array.from({ length: MAX_LISTED_PATHS + 1 }, (_, i) => `/articles/a${i}.html`);
    await invalidator.invalidate(many);
    await invalidator.invalidate(many.slice(0, MAX_LISTED_PATHS));

    const inputs = mock.commandCalls(CreateInvalidationCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => input.DistributionId)).toEqual(['E123', 'E123', 'E123', 'E123']);
    const batches = inputs.map((input) => input.InvalidationBatch!);
    expect(batches[0]?.Paths).toEqual({ Quantity: 2, Items: ['/feed.xml', '/index.html'] });
    expect(batches[2]?.Paths).toEqual({ Quantity: 1, Items: ['/*'] });
    expect(batches[3]?.Paths?.Quantity).toBe(MAX_LISTED_PATHS);
    // Same paths twice are still two invalidations.
    expect(batches[0]?.CallerReference).not.toBe(batches[1]?.CallerReference);
    expect(new Set(batches.map((b) => b.CallerReference)).size).toBe(4);
    mock.restore();
  });
});

describe('sqsEnqueuer (aws-sdk-client-mock: no SQS emulator here)', () => {
  const event = (key: string, overrides: Partial<ObjectEvent> = {}): ObjectEvent => ({
    kind: 'created',
    bucket: ARTICLES,
    key,
    size: 42,
    version: '',
    etag: '0123456789abcdef0123456789abcdef',
    sequencer: '',
    eventTime: '2025-11-24T12:00:00.000Z',
    reconciled: true,
    ...overrides,
  });

  it('sends S3-shaped bodies ten per call that parse back into the same events', async () => {
    const client = new SQSClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const events = [
      event('articles/with spaces + plus.txt'),
      event('articles/ünï/cödé%20.txt'),
      event('articles/gone.txt', { kind: 'removed', etag: '', size: 0 }),
      ...Array.from({ length: 20 }, (_, i) => event(`articles/n${i}.txt`)),
    ];
    await sqsEnqueuer(client, 'https://queue')(events);
    const calls = mock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((input) => input.QueueUrl === 'https://queue')).toBe(true);
    const bodies = calls.flatMap((input) => input.Entries ?? []).map((entry) => entry.MessageBody!);
    expect(bodies.flatMap((body) => parseS3Event(body))).toEqual(events);
    // The key is encoded as S3 encodes it: no raw spaces or `+` standing for itself.
    expect(bodies[0]).toContain('with+spaces+%2B+plus.txt');
    mock.restore();
  });

  it('round-trips any key through the body', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (key) => {
        const original = event(key);
        expect(parseS3Event(s3NotificationBody(original))).toEqual([original]);
      }),
    );
  });

  it('fails loudly when SQS refuses an entry', async () => {
    const client = new SQSClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });
    const send = sqsEnqueuer(client, 'https://queue');
    await expect(send([event('articles/a.txt'), event('articles/b.txt')])).rejects.toThrow(
      EnqueueFailedError,
    );
    await expect(send([event('articles/a.txt'), event('articles/b.txt')])).rejects.toThrow('articles/b.txt');
    mock.restore();
  });
});

describe('parseS3Event and the reconciled marker', () => {
  const body = (extra: Record<string, unknown>) =>
    JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          eventTime: '2025-11-24T12:00:00.000Z',
          s3: {
            bucket: { name: 'b' },
            object: { key: 'articles/a+b.txt', size: 3, eTag: 'abc', sequencer: '' },
          },
          ...extra,
        },
      ],
    });

  it('marks a record carrying newsfeed.reconciled, which names no version', () => {
    const [event] = parseS3Event(body({ newsfeed: { reconciled: true } }));
    expect(event?.reconciled).toBe(true);
    expect(event?.version).toBe('');
    expect(event?.etag).toBe('abc');
    expect(event?.key).toBe('articles/a b.txt');
  });

  it('leaves an S3 record unmarked, its ETag standing in for the version', () => {
    for (const extra of [{}, { newsfeed: { reconciled: 'true' } }, { newsfeed: null }]) {
      const [event] = parseS3Event(body(extra));
      expect(event).not.toHaveProperty('reconciled');
      expect(event?.version).toBe('abc');
    }
  });
});
