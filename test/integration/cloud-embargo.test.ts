/**
 * Embargo on the cloud path, against s3rver and dynalite with the real ingest, publish and reconcile
 * handlers and an injected clock on both sides of the embargo. An article dated in the future is
 * ingested but held (its object record says until when; no doc, no story), so it is in no feed, page,
 * archive or edition; the reconciler's first run at or after its time re-sends it, and the ingest then
 * publishes it. SQS has no emulator here: the reconciler's sends are captured by aws-sdk-client-mock.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composePublish } from '../../functions/compose/publish.js';
import { composeReconcile } from '../../functions/compose/reconcile.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { makeReconcileHandler } from '../../functions/handlers/reconcile.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { createStoryTable, s3MessageBody } from '../helpers/emulators.js';
import { sqsEvent } from '../helpers/lambda-events.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';
import { storyTable } from '../helpers/story-table.js';

// The ingest handler's "held until" line is at info level; the suite's default keeps only warnings.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const ARTICLES = 'embargo-articles';
const UNTIL = '2025-11-25T09:00:00.000Z';
const BEFORE = { now: () => new Date('2025-11-24T12:00:00.000Z') };
/** At the embargo's very time: "at or after" publishes. */
const AT = { now: () => new Date(UNTIL) };
const HELD_TITLE = 'Budget plan shifts billions to rail';
const OPEN_TITLE = 'Harbour bridge reopens after repairs';
const article = (title: string, date: string, body: string) =>
  `---\ntitle: ${title}\ndate: ${date}\n---\n\n${body}\n`;
const HELD = article(
  HELD_TITLE,
  '2025-11-25T09:00:00Z',
  'The finance ministry will move four billion from road building to regional rail over five years, according to the plan published under embargo. Unions welcomed the shift while hauliers warned of higher costs.',
);
const OPEN = article(
  OPEN_TITLE,
  '2025-11-20T07:00:00Z',
  'The harbour bridge carried traffic again on Thursday after eight months of repairs to its cables and deck. The city said the work finished two weeks early and under budget.',
);

const world = useStoryEmulators(ARTICLES);

/** Puts an article and returns the queue body S3 would send for it (from s3rver's own event record). */
async function upload(name: string, body: string): Promise<string> {
  const key = `articles/${name}`;
  await world.clients.s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: body }));
  const record = world.s3.events.findLast((event) => decodeURIComponent(event.s3.object.key) === key);
  if (!record) throw new Error(`s3rver emitted no event for ${key}`);
  return s3MessageBody(record);
}

/** Every object of the site bucket, as text. */
async function siteText(bucket: string): Promise<Map<string, string>> {
  const listed = await world.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const site = new Map<string, string>();
  for (const { Key } of listed.Contents ?? []) {
    const object = await world.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    site.set(Key!, await object.Body!.transformToString());
  }
  return site;
}

describe('embargo on the cloud: held until its time, published by the first reconcile after it', () => {
  it('holds a future-dated article on ingest, leaves it out of the site, and publishes it once due', async () => {
    const id = randomUUID().slice(0, 8);
    const env = {
      STORY_TABLE: `embargo-${id}`,
      ARTICLES_BUCKET: ARTICLES,
      ARTICLES_PREFIX: 'articles/',
      SITE_BUCKET: `embargo-site-${id}`,
      TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
      INGEST_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/ingest',
      SITE_CONFIG: JSON.stringify({ title: 'Embargo', siteUrl: 'https://news.example.org/' }),
    };
    await createStoryTable(world.clients.dynamo, env.STORY_TABLE);
    await world.clients.s3.send(new CreateBucketCommand({ Bucket: env.SITE_BUCKET }));
    const store = storyTable(world.clients.dynamo, env.STORY_TABLE);
    const bodies = [await upload(`held-${id}.md`, HELD), await upload(`open-${id}.md`, OPEN)];

    // --- Before the embargo: ingested, held, logged; nothing of it is published.
    const output = vi.spyOn(process.stdout, 'write');
    const ingestBefore = makeIngestHandler(() =>
      composeIngest({ clients: world.clients, env, clock: BEFORE }),
    );
    expect((await ingestBefore(sqsEvent(bodies))).batchItemFailures).toEqual([]);
    const logged = output.mock.calls.map(([chunk]) => String(chunk));
    output.mockRestore();
    expect(logged.some((line) => line.includes(`"message":"article held until ${UNTIL}"`))).toBe(true);
    const held = await store.ingest.getObject(`held-${id}.md`);
    expect(held).toMatchObject({ status: 'held', heldUntil: UNTIL });
    expect(await store.ingest.getDoc(held!.docId)).toBeUndefined();
    expect((await store.publish.newest(10)).map((story) => story.title)).toEqual([OPEN_TITLE]);

    await makePublishHandler(() => composePublish({ clients: world.clients, env, clock: BEFORE }))();
    const before = await siteText(env.SITE_BUCKET);
    expect(before.get('feed.xml')).toContain(OPEN_TITLE);
    const leaks = [...before].filter(([, text]) => text.includes(HELD_TITLE)).map(([key]) => key);
    expect(leaks).toEqual([]);

    // --- The reconciler before its time re-sends nothing; at its time, the held article.
    const sqs = new SQSClient({ region: 'us-east-1' });
    const sent = mockClient(sqs);
    sent.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const reconcileAt = (clock: typeof BEFORE) =>
      makeReconcileHandler(() => composeReconcile({ clients: { ...world.clients, sqs }, env, clock }))();
    expect(await reconcileAt(BEFORE)).toMatchObject({ due: [], missing: [], stale: [] });
    expect(sent.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(await reconcileAt(AT)).toMatchObject({ due: [`held-${id}.md`], missing: [], stale: [] });
    const resent = sent
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(resent).toHaveLength(1);

    // --- The ingest at its time publishes it: a new story, first published now (the next edition's).
    const ingestAt = makeIngestHandler(() => composeIngest({ clients: world.clients, env, clock: AT }));
    expect((await ingestAt(sqsEvent(resent.map((entry) => entry.MessageBody!)))).batchItemFailures).toEqual(
      [],
    );
    expect(await store.ingest.getObject(`held-${id}.md`)).toMatchObject({ status: 'active' });
    const stories = await store.publish.newest(10);
    expect(stories.map((story) => story.title).sort()).toEqual([HELD_TITLE, OPEN_TITLE].sort());
    expect(stories.find((story) => story.title === HELD_TITLE)?.createdAt).toBe(UNTIL);

    await makePublishHandler(() => composePublish({ clients: world.clients, env, clock: AT }))();
    const after = await siteText(env.SITE_BUCKET);
    expect(after.get('feed.xml')).toContain(HELD_TITLE);
    expect(after.get('index.html')).toContain(HELD_TITLE);
    expect([...after.keys()].some((key) => key.startsWith('articles/budget-plan'))).toBe(true);

    // Nothing more to do: the next reconcile re-sends nothing.
    expect(await reconcileAt(AT)).toMatchObject({ due: [], missing: [], stale: [], orphaned: [] });
  });
});
