/**
 * The publisher drains any backlog, against s3rver and dynalite with the real publish handler: more
 * stories marked dirty than one publish run takes (the run's cap lowered to 10 here, 1,000 on AWS)
 * are all published by one invocation; when the invocation's time runs short first, it wakes itself
 * again through a write the table stream delivers (`STORY#~publish`), and the next one finishes.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { DynamoTable } from '../../functions/adapters/aws/dynamo-table.js';
import { PUBLISH_WAKE_KEY } from '../../functions/adapters/aws/publish-wake.js';
import { composePublish } from '../../functions/compose/publish.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { createRng, syntheticArticle } from '../fixtures/syndication.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { createStoryTable } from '../helpers/emulators.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';
import { storyTable } from '../helpers/story-table.js';

const ARTICLES = 'drain-articles';
const NOW = { now: () => new Date('2025-11-24T12:00:00.000Z') };
const STORIES = 25;
const BATCH = 10;

const world = useStoryEmulators(ARTICLES);
let clients: AwsClients;

beforeAll(async () => {
  clients = world.clients;
  const rng = createRng(11);
  for (let i = 0; i < STORIES; i++) {
    const body = `Story number ${i} of the backlog\n\n${syntheticArticle(rng, 3)}`;
    await clients.s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: `articles/s${i}.txt`, Body: body }));
  }
});

/** A fresh table and site bucket holding STORIES stories, each marked dirty as the ingest leaves them. */
async function backlog() {
  const id = randomUUID().slice(0, 8);
  const env = {
    STORY_TABLE: `drain-${id}`,
    ARTICLES_BUCKET: ARTICLES,
    ARTICLES_PREFIX: 'articles/',
    SITE_BUCKET: `drain-site-${id}`,
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    SITE_CONFIG: JSON.stringify({ title: 'Drain', siteUrl: 'https://news.example.org/' }),
  };
  await createStoryTable(clients.dynamo, env.STORY_TABLE);
  await clients.s3.send(new CreateBucketCommand({ Bucket: env.SITE_BUCKET }));
  const store = storyTable(clients.dynamo, env.STORY_TABLE);
  for (let i = 0; i < STORIES; i++) {
    const key = `s${i}.txt`;
    const date = `2025-11-${String(1 + (i % 20)).padStart(2, '0')}T08:00:00.000Z`;
    await store.ingest.putStory({
      id: `${String(i).padStart(4, '0')}aaaa`,
      slug: `story-${i}`,
      canonical: key,
      members: [key],
      date,
      updated: date,
      title: `Story number ${i} of the backlog`,
      evidence: {},
      createdBuild: 0,
      createdAt: NOW.now().toISOString(),
    });
  }
  return { env, store };
}

async function storyPages(bucket: string): Promise<number> {
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'articles/' }));
  return (listed.Contents ?? []).filter((object) => object.Key?.endsWith('.html')).length;
}

describe('publish drains any backlog', () => {
  it(`publishes ${STORIES} dirty stories in one invocation when a run takes ${BATCH}`, async () => {
    const { env, store } = await backlog();
    expect(await store.publish.dirty(100)).toHaveLength(STORIES);
    const publish = makePublishHandler(() => composePublish({ clients, env, clock: NOW }), { batch: BATCH });

    const result = await publish(undefined, { getRemainingTimeInMillis: () => 300_000 });

    expect(result).toMatchObject({ stories: STORIES, runs: 3, rewoken: false });
    expect(await store.publish.dirty(100)).toEqual([]);
    expect(await storyPages(env.SITE_BUCKET)).toBe(STORIES);
  });

  it('wakes itself through the table stream when time runs short, and the next invocation finishes', async () => {
    const { env, store } = await backlog();
    const table = new DynamoTable(clients.dynamo, env.STORY_TABLE);
    const publish = makePublishHandler(() => composePublish({ clients, env, clock: NOW }), {
      batch: BATCH,
      reserveMs: 60_000,
    });
    // One run's worth of time: after it, less than the reserve is left.
    let left = 100_000;
    const first = await publish(undefined, { getRemainingTimeInMillis: () => (left -= 50_000) });

    expect(first).toMatchObject({ stories: BATCH, runs: 1, rewoken: true });
    expect(await store.publish.dirty(100)).toHaveLength(STORIES - BATCH);
    const wake = await table.get(PUBLISH_WAKE_KEY);
    expect(wake?.at).toMatch(/^[0-9a-f-]{36}$/);
    // The wake is on a STORY# key (the stream filter) but is no story: listings do not show it.
    expect((await store.publish.newest(100)).map((story) => story.id)).not.toContain('~publish');

    // The stream delivers the wake: the next invocation publishes the rest.
    const second = await publish(undefined, { getRemainingTimeInMillis: () => 300_000 });
    expect(second).toMatchObject({ stories: STORIES - BATCH, runs: 2, rewoken: false });
    expect(await store.publish.dirty(100)).toEqual([]);
    expect(await storyPages(env.SITE_BUCKET)).toBe(STORIES);
  });
});
