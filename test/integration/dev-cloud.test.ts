/**
 * `npm run dev:cloud` as an editor uses it: objects put into the articles bucket through the SDK go
 * through s3rver's event records into the real ingest and publish handlers, and the site comes back
 * over HTTP. Ports are random and the data folder temporary, so it runs beside a developer's instance.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import {
  ARTICLES_BUCKET,
  type DevCloud,
  portFromEnv,
  SITE_BUCKET,
  siteKeyFor,
  startDevCloud,
} from '../../functions/dev-cloud.js';
import { SEEDS_DIR } from '../helpers/cli.js';
import { testClients } from '../helpers/emulators.js';
import { parseWithFeedparser } from '../helpers/readers.js';

const ONE_STORY = ['000_8e65d67321044a22.txt', '001_c49de1067c077a2e.txt'];
const OTHER = '004_362068bbac3e72bc.txt';

let dataDir: string;
let cloud: DevCloud | undefined;
let clients: AwsClients;
const lines: string[] = [];

async function put(name: string): Promise<void> {
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: ARTICLES_BUCKET,
      Key: `articles/${name}`,
      Body: readFileSync(join(SEEDS_DIR, name)),
    }),
  );
}

/** The feed as feedparser reads it, with the response's Content-Type. */
async function fetchFeed(siteUrl: string) {
  const response = await fetch(`${siteUrl}feed.xml`);
  expect(response.status).toBe(200);
  const file = join(dataDir, 'feed.xml');
  writeFileSync(file, await response.text());
  return { contentType: response.headers.get('content-type'), feed: parseWithFeedparser(file) };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dev-cloud-'));
  cloud = await startDevCloud({ s3Port: 0, sitePort: 0, dataDir, log: (line) => lines.push(line) });
  clients = testClients(cloud.s3Endpoint, cloud.dynamoEndpoint);
});

afterAll(async () => {
  await cloud?.close();
  clients?.s3.destroy();
  clients?.dynamo.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run dev:cloud', () => {
  it('listens on the ports it was given (0: free ones) and starts with an empty site', async () => {
    const s3Port = Number(new URL(cloud!.s3Endpoint).port);
    const sitePort = Number(new URL(cloud!.siteUrl).port);
    expect(s3Port).toBeGreaterThan(0);
    expect(sitePort).toBeGreaterThan(0);
    expect(cloud!.siteUrl).toBe(`http://127.0.0.1:${sitePort}/`);
    expect((await fetch(cloud!.siteUrl)).status).toBe(404);
    const listing = await clients.s3.send(new ListObjectsV2Command({ Bucket: SITE_BUCKET }));
    expect(listing.KeyCount ?? 0).toBe(0);
  });

  it('ingests objects put into the articles bucket and publishes the site once per burst', async () => {
    await Promise.all([...ONE_STORY, OTHER].map(put));
    await cloud!.idle();

    const { contentType, feed } = await fetchFeed(cloud!.siteUrl);
    expect(contentType).toBe('application/rss+xml; charset=utf-8');
    expect(feed.bozo).toBe(false);
    expect(feed.entries).toHaveLength(2);

    const ingested = lines.filter((line) => line.startsWith('ingest '));
    expect(ingested).toHaveLength(3);
    const storyOf = (name: string) =>
      ingested.find((line) => line.includes(name))?.match(/published, story (\w+)/)?.[1];
    expect(storyOf(ONE_STORY[0]!)).toBeDefined();
    expect(storyOf(ONE_STORY[1]!)).toBe(storyOf(ONE_STORY[0]!));
    expect(storyOf(OTHER)).not.toBe(storyOf(ONE_STORY[0]!));
    expect(feed.entries.map((entry) => entry.id).sort()).toEqual(
      [storyOf(ONE_STORY[0]!), storyOf(OTHER)].sort(),
    );
    expect(lines.filter((line) => line.startsWith('publish: '))).toHaveLength(1);
  });

  it('serves the home page at / and the stored objects with their Content-Type, 404 otherwise', async () => {
    const home = await fetch(cloud!.siteUrl);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await home.text();
    expect(html).toContain('<title>News digest (dev:cloud)</title>');
    expect(html).toContain('Taliban resistance movement claims gains');

    const json = await fetch(`${cloud!.siteUrl}feed.json`);
    expect(json.headers.get('content-type')).toMatch(/json/);
    expect(((await json.json()) as { items: unknown[] }).items).toHaveLength(2);
    expect((await fetch(`${cloud!.siteUrl}no-such-page.html`)).status).toBe(404);
    expect((await fetch(`${cloud!.siteUrl}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(cloud!.siteUrl, { method: 'POST' })).status).toBe(405);
  });

  it('removes what a deleted object contributed', async () => {
    await clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES_BUCKET, Key: `articles/${OTHER}` }));
    await cloud!.idle();
    const { feed } = await fetchFeed(cloud!.siteUrl);
    expect(feed.entries).toHaveLength(1);
    expect(lines).toContain(`ingest articles/${OTHER}: removed`);
    expect(await (await fetch(cloud!.siteUrl)).text()).not.toContain('Taliban say it has surrounded');
  });

  it('reports a bad article as quarantined, with the reason, and publishes nothing from it', async () => {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: ARTICLES_BUCKET,
        Key: 'articles/broken.txt',
        Body: Buffer.from([0xff, 0xfe, 0x00, 0x41]),
      }),
    );
    await cloud!.idle();
    const line = lines.findLast((entry) => entry.includes('broken.txt'));
    expect(line).toMatch(/^ingest articles\/broken\.txt: quarantined: .*broken\.txt/);
    expect((await fetchFeed(cloud!.siteUrl)).feed.entries).toHaveLength(1);
    await clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES_BUCKET, Key: 'articles/broken.txt' }));
    await cloud!.idle();
  });

  it('keeps the articles and the stories in its data folder across a restart', async () => {
    await cloud!.close();
    const before = lines.length;
    cloud = await startDevCloud({ s3Port: 0, sitePort: 0, dataDir, log: (line) => lines.push(line) });
    clients.s3.destroy();
    clients.dynamo.destroy();
    clients = testClients(cloud.s3Endpoint, cloud.dynamoEndpoint);
    const { feed } = await fetchFeed(cloud.siteUrl);
    expect(feed.entries).toHaveLength(1);
    // A replaced article goes through the restored index: it joins its story rather than starting one.
    await put(ONE_STORY[1]!);
    await cloud.idle();
    const story = lines.slice(before).find((line) => line.includes(ONE_STORY[1]!));
    expect(story).toMatch(new RegExp(`published, story ${feed.entries[0]!.id}$`));
  });
});

describe('npm run dev:cloud -- --seed', () => {
  it('uploads the articles folder at start, through the same event path', async () => {
    const seedData = mkdtempSync(join(tmpdir(), 'dev-cloud-seed-'));
    const articles = join(seedData, 'articles');
    mkdirSync(articles);
    for (const name of [...ONE_STORY, OTHER]) copyFileSync(join(SEEDS_DIR, name), join(articles, name));
    const seeded: string[] = [];
    const seededCloud = await startDevCloud({
      s3Port: 0,
      sitePort: 0,
      seed: true,
      dataDir: join(seedData, 'data'),
      articlesDir: articles,
      log: (line) => seeded.push(line),
    });
    try {
      await seededCloud.idle();
      expect(seeded.filter((line) => line.startsWith('ingest ')).sort()).toEqual(
        [...ONE_STORY, OTHER].map((name) => expect.stringMatching(`^ingest articles/${name}: published`)),
      );
      const feed = await (await fetch(`${seededCloud.siteUrl}feed.json`)).json();
      expect((feed as { items: unknown[] }).items).toHaveLength(2);
    } finally {
      await seededCloud.close();
      rmSync(seedData, { recursive: true, force: true });
    }
  });
});

describe('site paths', () => {
  it('maps / and folders to index.html and passes other paths through', () => {
    expect(siteKeyFor('/')).toBe('index.html');
    expect(siteKeyFor('/archive/')).toBe('archive/index.html');
    expect(siteKeyFor('/articles/a%20b.html')).toBe('articles/a b.html');
  });

  it('never yields a key that climbs out of the bucket or has an empty segment', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '.', '..', '%2e%2e', '%2f', '/', '', 'index.html', '%'), {
          maxLength: 8,
        }),
        (parts) => {
          const key = siteKeyFor(`/${parts.join('/')}`);
          if (key === undefined) return;
          expect(key.split('/')).not.toContain('..');
          expect(key.split('/')).not.toContain('');
          expect(key.split('/')).not.toContain('.');
        },
      ),
    );
  });
});

describe('ports from the environment', () => {
  it('falls back when unset, accepts 0 to 65535 and rejects anything else', () => {
    expect(portFromEnv('S3_PORT', 4569, {})).toBe(4569);
    expect(portFromEnv('S3_PORT', 4569, { S3_PORT: '0' })).toBe(0);
    expect(portFromEnv('S3_PORT', 4569, { S3_PORT: '9000' })).toBe(9000);
    for (const bad of ['-1', '65536', 'abc', '80.5'])
      expect(() => portFromEnv('S3_PORT', 4569, { S3_PORT: bad })).toThrow(/S3_PORT/);
  });
});
