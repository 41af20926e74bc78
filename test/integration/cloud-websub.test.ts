/**
 * WebSub on AWS: the publish Lambda (real handler, s3rver and dynalite) pings the hub, a small one
 * this test starts on 127.0.0.1, for each changed feed only once the CloudFront invalidation has
 * completed, and not at all (one warning line) when it is still in progress after the bounded wait.
 * The invalidator is a fake: there is no CloudFront emulator, and what matters here is the order of
 * CreateInvalidation, GetInvalidation polls and pings, which the fake records (the adapter's calls
 * are checked with aws-sdk-client-mock in `aws-adapters.test.ts`). Sleeps are virtual.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composePublish } from '../../functions/compose/publish.js';
import type { CacheInvalidator } from '../../functions/core/cloud/ports.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { createRng, syntheticArticle } from '../fixtures/syndication.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { createStoryTable, s3MessageBody } from '../helpers/emulators.js';
import { sqsEvent } from '../helpers/lambda-events.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';

const ARTICLES = 'websub-articles';
const world = useStoryEmulators(ARTICLES);
const SITE = 'https://news.example.org/';
const NOW = { now: () => new Date('2025-11-24T12:00:00Z') };

/** Everything in order: `create`, `poll <status>`, `sleep <ms>`, `ping <feed>`. */
let events: string[];
let hub: { server: Server; url: string };

beforeAll(async () => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      events.push(`ping ${form.get('hub.mode')} ${form.get('hub.url')}`);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub` };
});
afterAll(() => hub.server.close());

/** An invalidator whose invalidation completes after `pollsToComplete` GetInvalidation polls (never when Infinity). */
function fakeInvalidator(pollsToComplete: number): CacheInvalidator {
  let polls = 0;
  return {
    async invalidate() {
      events.push('create');
      return 'I2J0I21PCUYOIK';
    },
    async isComplete(id) {
      expect(id).toBe('I2J0I21PCUYOIK');
      polls++;
      const done = polls >= pollsToComplete;
      events.push(`poll ${done ? 'Completed' : 'InProgress'}`);
      return done;
    },
  };
}

async function publishOnce(pollsToComplete: number) {
  events = [];
  const id = randomUUID().slice(0, 8);
  const env = {
    STORY_TABLE: `websub-stories-${id}`,
    SITE_BUCKET: `websub-site-${id}`,
    ARTICLES_BUCKET: ARTICLES,
    ARTICLES_PREFIX: `${id}/`,
    SITE_CONFIG: JSON.stringify({ title: 'Wire', siteUrl: SITE, websub: { hub: hub.url } }),
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
  };
  const { s3, dynamo } = world.clients;
  await createStoryTable(dynamo, env.STORY_TABLE);
  await s3.send(new CreateBucketCommand({ Bucket: env.SITE_BUCKET }));
  const key = `${id}/port.txt`;
  const text = `Port strike halts container traffic\n\n${syntheticArticle(createRng(5), 6)}`;
  await s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: text }));
  const record = world.s3.events.findLast((event) => decodeURIComponent(event.s3.object.key) === key);
  const ingest = makeIngestHandler(() => composeIngest({ clients: world.clients, env, clock: NOW }));
  expect((await ingest(sqsEvent([s3MessageBody(record!)]))).batchItemFailures).toEqual([]);
  const warnings: string[] = [];
  const log = { warn: (line: string) => warnings.push(line) };
  const publish = makePublishHandler(async () => ({
    ...(await composePublish({ clients: world.clients, env, clock: NOW, log })),
    invalidator: fakeInvalidator(pollsToComplete),
    invalidationWait: {
      sleep: async (ms: number) => {
        events.push(`sleep ${ms}`);
      },
    },
  }));
  await publish();
  return { events, warnings };
}

describe('WebSub on AWS, after CloudFront', () => {
  it('pings the hub for each changed feed only after the invalidation has completed', async () => {
    const { events, warnings } = await publishOnce(3);
    const pings = events.filter((event) => event.startsWith('ping'));
    expect(pings).toEqual(
      expect.arrayContaining([
        `ping publish ${SITE}feed.xml`,
        `ping publish ${SITE}atom.xml`,
        `ping publish ${SITE}feed.json`,
      ]),
    );
    // Nothing pinged before the third poll said Completed; the polls were 5 s apart.
    expect(events.slice(0, events.indexOf(pings[0]!))).toEqual([
      'create',
      'poll InProgress',
      'sleep 5000',
      'poll InProgress',
      'sleep 5000',
      'poll Completed',
    ]);
    expect(events.slice(events.indexOf(pings[0]!))).toEqual(pings);
    expect(warnings).toEqual([]);
  });

  it('does not ping, and says so in one line, when the invalidation is still in progress after 60 s', async () => {
    const { events, warnings } = await publishOnce(Number.POSITIVE_INFINITY);
    expect(events.filter((event) => event.startsWith('ping'))).toEqual([]);
    const slept = events
      .filter((event) => event.startsWith('sleep'))
      .reduce((sum, event) => sum + Number(event.slice(6)), 0);
    expect(slept).toBe(60_000);
    expect(events.filter((event) => event.startsWith('poll'))).toHaveLength(13);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /WebSub hub .* was not told about 3 changed feed\(s\): CloudFront invalidation I2J0I21PCUYOIK still in progress after 60 s/,
    );
  });
});
