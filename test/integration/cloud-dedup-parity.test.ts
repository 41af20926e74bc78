/**
 * The cloud path deduplicates as the local build does: a newsroom-shaped corpus (eval/newsroom:
 * outlets with page templates, several articles per story, copies of every kind and look-alikes)
 * built locally in one run and ingested through the cloud handlers one event at a time (dynalite,
 * s3rver) gives the same stories, the same story ids, the same related links and the same learned
 * template lines. The DynamoDB requests the ingest makes per article are counted and printed.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusEnd, generateCorpus } from '../../eval/newsroom/index.js';
import { DynamoCorpusIndex } from '../../functions/adapters/aws/corpus-items.js';
import { DynamoTable } from '../../functions/adapters/aws/dynamo-table.js';
import { DynamoStoryListings } from '../../functions/adapters/aws/story-listings.js';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composePublish } from '../../functions/compose/publish.js';
import type { BuildReport } from '../../functions/core/local/report.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { workspace } from '../helpers/cli.js';
import { createStoryTable } from '../helpers/emulators.js';
import { sqsEvent } from '../helpers/lambda-events.js';
import { buildHere } from '../helpers/local-build.js';
import { RequestCounter } from '../helpers/request-counter.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';

const ARTICLES = 'parity-articles';
const SITE = 'parity-site';
const CORPUS = { seed: 3, articles: 70 } as const;
const corpus = generateCorpus(CORPUS);
/** After every date in the corpus: nothing is held. */
const NOW = { now: () => new Date(`${corpusEnd(CORPUS)}T12:00:00.000Z`) };

const world = useStoryEmulators(ARTICLES);
const counter = new RequestCounter();

interface Partition {
  /** Story id → sorted member keys. */
  members: Map<string, string[]>;
  /** Story id → related story ids, best first. */
  related: Map<string, string[]>;
}

let local: BuildReport;
let localTemplates: number[];
let cloud: Partition;
let cloudTemplates: number[];
let dynamoRequests = 0;
const env: NodeJS.ProcessEnv = {};

function partitionOf(stories: { id: string; members: string[]; related?: string[] }[]): Partition {
  return {
    members: new Map(stories.map((s) => [s.id, [...s.members].sort()])),
    related: new Map(stories.map((s) => [s.id, s.related ?? []])),
  };
}

beforeAll(async () => {
  // --- The local build, in one run.
  const ws = workspace(false);
  for (const article of corpus) {
    const path = join(ws.articles, article.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, article.text);
  }
  local = await buildHere(ws);
  // The state names each blob's file (`templates.g1.bin` for build 1).
  const state = JSON.parse(readFileSync(join(ws.state, 'state.json'), 'utf8')) as {
    blobs: Record<string, { file: string }>;
  };
  const bytes = readFileSync(join(ws.state, state.blobs['templates.bin']!.file));
  localTemplates = [...new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)].sort();

  // --- The cloud path: every object uploaded, then one SQS message (one S3 event) per ingest call,
  // in the local build's first-seen order (date, then key), so the story ids can match too.
  const table = `parity-${randomUUID().slice(0, 8)}`;
  await createStoryTable(world.clients.dynamo, table);
  await world.clients.s3.send(new CreateBucketCommand({ Bucket: SITE }));
  Object.assign(env, {
    STORY_TABLE: table,
    ARTICLES_BUCKET: ARTICLES,
    ARTICLES_PREFIX: 'articles/',
    SITE_BUCKET: SITE,
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    SITE_CONFIG: JSON.stringify({ title: 'Parity', siteUrl: 'https://news.example.org/', feedSize: 100 }),
  });
  for (const article of corpus) {
    await world.clients.s3.send(
      new PutObjectCommand({ Bucket: ARTICLES, Key: `articles/${article.path}`, Body: article.text }),
    );
  }
  const records = world.s3.events.filter((record) => record.s3.bucket.name === ARTICLES);
  expect(records).toHaveLength(corpus.length);
  const byKey = new Map(corpus.map((a) => [`articles/${a.path}`, a]));
  const order = (record: (typeof records)[number]) => {
    const article = byKey.get(decodeURIComponent(record.s3.object.key))!;
    // Undated articles are dated by when they are first seen: after every dated one.
    return { date: article.date ?? '~', key: article.path };
  };
  records.sort((a, b) => {
    const [oa, ob] = [order(a), order(b)];
    return oa.date !== ob.date ? (oa.date < ob.date ? -1 : 1) : oa.key < ob.key ? -1 : 1;
  });

  const ingest = makeIngestHandler(() => composeIngest({ clients: world.clients, env, clock: NOW }));
  counter.install();
  counter.take();
  for (const record of records) {
    const response = await ingest(sqsEvent([JSON.stringify({ Records: [record] })]));
    expect(response.batchItemFailures).toEqual([]);
  }
  const counts = counter.take();
  counter.uninstall();
  for (const [operation, count] of Object.entries(counts))
    if (operation.startsWith('DynamoDB.')) dynamoRequests += count.count;
  const perOperation = Object.entries(counts)
    .filter(([op]) => op.startsWith('DynamoDB.'))
    .map(([op, c]) => `${op.slice('DynamoDB.'.length)} ${(c.count / corpus.length).toFixed(1)}`)
    .join(', ');
  console.log(
    `cloud ingest of ${corpus.length} newsroom articles: ${(dynamoRequests / corpus.length).toFixed(1)} DynamoDB requests per article (${perOperation})`,
  );

  const dynamo = new DynamoTable(world.clients.dynamo, table);
  cloud = partitionOf(await new DynamoStoryListings(dynamo).newest(1000));
  const index = new DynamoCorpusIndex(dynamo);
  cloudTemplates = [...(await index.templates())].sort();
}, 600_000);

afterAll(() => counter.uninstall());

describe('the cloud path deduplicates like the local build (newsroom corpus)', () => {
  it('the corpus has what the rules learn from: templates, multi-article stories, related coverage', () => {
    expect(local.stories.length).toBeLessThan(corpus.length);
    expect(local.stories.filter((s) => s.members.length > 1).length).toBeGreaterThanOrEqual(5);
    expect(localTemplates.length).toBeGreaterThan(5);
    expect(local.stories.filter((s) => s.related.length > 0).length).toBeGreaterThan(0);
  });

  it('gives the same partition into stories', () => {
    const groups = (p: Partition) => [...p.members.values()].map((m) => m.join(' | ')).sort();
    const [mine, theirs] = [groups(cloud), groups(partitionOf(local.stories))];
    expect(mine.filter((g) => !theirs.includes(g))).toEqual(theirs.filter((g) => !mine.includes(g)));
  });

  it('gives the same story ids', () => {
    expect(cloud.members).toEqual(partitionOf(local.stories).members);
  });

  it('gives the same related links, best first', () => {
    expect(cloud.related).toEqual(partitionOf(local.stories).related);
  });

  it('learns the same template lines (what `--explain` run locally on two files leaves out)', () => {
    expect(cloudTemplates).toEqual(localTemplates);
  });

  it('publishes the related stories on article pages and in the JSON Feed', async () => {
    const publish = makePublishHandler(() => composePublish({ clients: world.clients, env, clock: NOW }));
    await publish();
    const read = async (key: string) =>
      (
        await world.clients.s3.send(new GetObjectCommand({ Bucket: SITE, Key: key }))
      ).Body!.transformToString();
    const feed = JSON.parse(await read('feed.json')) as {
      items: { id: string; _newsfeed?: { related: string[] } }[];
    };
    const withRelated = local.stories.filter((s) => s.related.length > 0);
    for (const story of withRelated) {
      const item = feed.items.find((i) => i.id.endsWith(story.id) || i.id === story.id);
      if (item) expect(item._newsfeed?.related).toEqual(story.related);
    }
    const story = withRelated[0]!;
    const slug = (id: string) => local.stories.find((s) => s.id === id)!;
    const page = await read(`articles/${slug(story.id).slug}.html`);
    for (const id of story.related.slice(0, 5)) expect(page).toContain(`${slug(id).slug}.html`);
  }, 120_000);

  it('reports the DynamoDB requests per article', () => {
    expect(dynamoRequests).toBeGreaterThan(0);
  });
});
