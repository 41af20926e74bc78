/**
 * `npm run dev:cloud` as an editor uses it: objects put into the articles bucket through the SDK go
 * through s3rver's event records into the real ingest and publish handlers, and the site comes back
 * over HTTP. The email path is driven the same way, over real HTTP only: the subscribe API at
 * `/api/*`, the mail read back from `/_dev/mail` (aws-ses-v2-local's store), editions started with
 * `POST /_dev/edition`. Ports are random and the data folder temporary, so it runs beside a
 * developer's instance. aws-ses-v2-local keeps one mail store per process: each email test uses
 * addresses of its own.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { BY_DATE_INDEX } from '../../functions/adapters/aws/story-items.js';
import { portFromEnv } from '../../functions/cli/commands/dev-cloud.js';
import {
  ARTICLES_BUCKET,
  type DevCloud,
  DevCloudStaleDataError,
  SITE_BUCKET,
  STORY_TABLE,
  startDevCloud,
} from '../../functions/dev/dev-cloud.js';
import { DEV_ORIGIN_HEADER, type DevEditionResult, type DevMail } from '../../functions/dev/email-path.js';
import { functionUrlEvent } from '../../functions/dev/lambda-url.js';
import { emailRouteFor, siteKeyFor } from '../../functions/dev/site-server.js';
import { SEEDS_DIR } from '../helpers/cli.js';
import { startDynamo, testClients } from '../helpers/emulators.js';
import { parseWithFeedparser } from '../helpers/readers.js';

const ONE_STORY = ['000_8e65d67321044a22.txt', '001_c49de1067c077a2e.txt'];
const OTHER = '004_362068bbac3e72bc.txt';

let dataDir: string;
let cloud: DevCloud | undefined;
let clients: AwsClients;
const lines: string[] = [];

async function put(name: string, into: AwsClients = clients): Promise<void> {
  await into.s3.send(
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
  cloud = await startDevCloud({
    s3Port: 0,
    sitePort: 0,
    sesPort: 0,
    dataDir,
    log: (line) => lines.push(line),
  });
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
    await Promise.all([...ONE_STORY, OTHER].map((name) => put(name)));
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
    cloud = await startDevCloud({
      s3Port: 0,
      sitePort: 0,
      sesPort: 0,
      dataDir,
      log: (line) => lines.push(line),
    });
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
      sesPort: 0,
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

describe('npm run dev:cloud: email subscribers', () => {
  const FIRST = '000_8e65d67321044a22.txt';
  const SECOND = '004_362068bbac3e72bc.txt';
  const THIRD = '003_7eae227dbbbca2f7.txt';
  const stays = 'stays@example.org';
  const leaves = 'leaves@example.org';
  const pending = 'never-confirms@example.org';
  let mailDir: string;
  let mailCloud: DevCloud;
  let mailClients: AwsClients;
  const mailLog: string[] = [];
  let firstEdition: DevEditionResult;

  beforeAll(async () => {
    mailDir = mkdtempSync(join(tmpdir(), 'dev-cloud-mail-'));
    mailCloud = await startDevCloud({
      s3Port: 0,
      sitePort: 0,
      sesPort: 0,
      dataDir: mailDir,
      log: (line) => mailLog.push(line),
    });
    mailClients = testClients(mailCloud.s3Endpoint, mailCloud.dynamoEndpoint);
  });

  afterAll(async () => {
    await mailCloud?.close();
    mailClients?.s3.destroy();
    mailClients?.dynamo.destroy();
    rmSync(mailDir, { recursive: true, force: true });
  });

  const site = (path: string) => `${mailCloud.siteUrl}${path}`;

  async function mailsTo(address: string): Promise<DevMail[]> {
    const response = await fetch(site(`_dev/mail?to=${encodeURIComponent(address)}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return (await response.json()) as DevMail[];
  }

  async function subscribe(address: string): Promise<Response> {
    return fetch(site('api/subscribe'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ email: address }).toString(),
    });
  }

  async function edition(at?: string): Promise<DevEditionResult> {
    const response = await fetch(site(`_dev/edition${at ? `?at=${encodeURIComponent(at)}` : ''}`), {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    return (await response.json()) as DevEditionResult;
  }

  /** The page URLs of the published stories, read back from the site's own JSON Feed. */
  async function publishedStoryUrls(): Promise<string[]> {
    const feed = (await (await fetch(site('feed.json'))).json()) as { items: Array<{ url: string }> };
    return feed.items.map((item) => item.url);
  }

  it('shows the subscribe form on the home page, posting to the local API', async () => {
    await put(FIRST, mailClients);
    await mailCloud.idle();
    const home = await (await fetch(mailCloud.siteUrl)).text();
    expect(home).toMatch(/<form method="post" action="\/api\/subscribe"[^>]*>/);
    expect(home).toContain('name="email"');
  });

  it('mails a confirmation with a confirm link that confirms over the local server', async () => {
    for (const address of [stays, leaves, pending]) {
      const accepted = await subscribe(address);
      expect(accepted.status).toBe(202);
      expect(await accepted.text()).toContain('Check your inbox');
    }
    await mailCloud.idle();
    for (const address of [stays, leaves]) {
      const [mail, ...more] = await mailsTo(address);
      expect(more).toHaveLength(0);
      expect(mail!.subject).toBe('Confirm your subscription to News digest (dev:cloud)');
      // The mail's own link is https (List-Unsubscribe must be); devLinks has it on the http server.
      const token = new RegExp(
        `${mailCloud.mailSiteUrl.replaceAll('.', '\\.')}api/confirm\\?token=([\\w-]+)`,
      ).exec(mail!.body.text ?? '')?.[1];
      expect(token).toBeDefined();
      expect(mail!.devLinks.confirm).toBe(site(`api/confirm?token=${token}`));
      const confirmed = await fetch(mail!.devLinks.confirm!);
      expect(confirmed.status).toBe(200);
      expect(await confirmed.text()).toContain('You are subscribed');
    }
    expect(await mailsTo(pending)).toHaveLength(1);
    expect(mailLog).toContain(`mail: confirmation to ${stays}`);
  });

  it('plays CloudFront in front of /api/*: what a client sends as the origin or viewer header is replaced', async () => {
    const address = 'spoofer@example.org';
    const response = await fetch(site('api/subscribe'), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'X-Origin-Verify': 'a-guess-that-would-be-refused-by-the-api',
        'CloudFront-Viewer-Address': '203.0.113.99:443',
      },
      body: new URLSearchParams({ email: address }).toString(),
    });
    expect(response.status).toBe(202);
    await mailCloud.idle();
    expect(await mailsTo(address)).toHaveLength(1);
  });

  it('POST /_dev/edition mails each confirmed subscriber the digest of the new stories, once', async () => {
    await put(SECOND, mailClients);
    await mailCloud.idle();
    const stories = await publishedStoryUrls();
    expect(stories).toHaveLength(2);

    firstEdition = await edition();
    expect(firstEdition).toMatchObject({ action: 'sent', stories: 2, recipients: 2 });
    expect([...firstEdition.mailed].sort()).toEqual([leaves, stays]);
    for (const address of [stays, leaves]) {
      const digests = (await mailsTo(address)).filter((mail) => !mail.subject.startsWith('Confirm'));
      expect(digests).toHaveLength(1);
      for (const url of stories) {
        expect(digests[0]!.body.text).toContain(`<${url}>`);
        expect(digests[0]!.body.html).toContain(`href="${url}"`);
      }
    }
    expect(await mailsTo(pending)).toHaveLength(1);

    // The same schedule time (and any other in its minute) names the same edition: nothing more is sent.
    const again = await edition(firstEdition.scheduledTime);
    expect(again).toMatchObject({ action: 'duplicate', editionId: firstEdition.editionId, mailed: [] });

    // The publisher, woken as the table stream would wake it, links the archived edition.
    await mailCloud.idle();
    if (firstEdition.action !== 'sent') throw new Error('the first edition was not sent');
    expect(await (await fetch(mailCloud.siteUrl)).text()).toContain(firstEdition.archived);
    expect((await fetch(site(firstEdition.archived))).status).toBe(200);
  });

  it("unsubscribes in one click at the mail's link, and the next edition skips that address", async () => {
    const [digest] = (await mailsTo(leaves)).filter(
      (mail) => mail.subject !== 'Confirm your subscription to News digest (dev:cloud)',
    );
    const link = /https:\/\/\S+\/api\/unsubscribe\?token=[\w-]+/.exec(digest!.body.text ?? '')?.[0];
    expect(link?.startsWith(mailCloud.mailSiteUrl)).toBe(true);
    const { pathname, search } = new URL(link!);
    expect(digest!.devLinks.unsubscribe).toBe(site(`${pathname.slice(1)}${search}`));

    // What a mail client sends for List-Unsubscribe-Post (RFC 8058), to the same path over http.
    const unsubscribed = await fetch(site(`${pathname.slice(1)}${search}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);
    expect(await unsubscribed.text()).toContain('You are unsubscribed');

    await put(THIRD, mailClients);
    await mailCloud.idle();
    const newStory = (await publishedStoryUrls()).find((url) => !digest!.body.text?.includes(url));
    expect(newStory).toBeDefined();
    // A later minute than the first edition's: another edition.
    const second = await edition(new Date(Date.now() + 60_000).toISOString());
    expect(second).toMatchObject({ action: 'sent', stories: 1, recipients: 1, mailed: [stays] });
    expect(second.editionId).not.toBe(firstEdition.editionId);

    const kept = (await mailsTo(stays)).filter((mail) => mail.body.text?.includes(newStory!));
    expect(kept).toHaveLength(1);
    expect(await mailsTo(leaves)).toHaveLength(2);
    expect((await mailsTo(leaves)).some((mail) => mail.body.text?.includes(newStory!))).toBe(false);
  });

  it('answers only POST on /_dev/edition and refuses a time that is not one', async () => {
    const get = await fetch(site('_dev/edition'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const bad = await fetch(site('_dev/edition?at=tomorrow'), { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/scheduledTime/);
  });
});

describe('npm run dev:cloud on a data folder from before the email path', () => {
  it('refuses to start on a story table without the byCreated index, naming it and the folder', async () => {
    const oldData = mkdtempSync(join(tmpdir(), 'dev-cloud-old-'));
    try {
      // The story table as dev:cloud made it before editions: the byDate index only.
      const dynamo = await startDynamo({ path: join(oldData, 'dynamo') });
      const old = testClients('http://127.0.0.1:1', dynamo.endpoint);
      const S = 'S' as const;
      await old.dynamo.send(
        new CreateTableCommand({
          TableName: STORY_TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({
            AttributeName: name,
            AttributeType: S,
          })),
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: BY_DATE_INDEX,
              KeySchema: [
                { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      );
      old.s3.destroy();
      old.dynamo.destroy();
      await dynamo.close();

      const started = startDevCloud({ s3Port: 0, sitePort: 0, sesPort: 0, dataDir: oldData, log: () => {} });
      await expect(started).rejects.toThrow(DevCloudStaleDataError);
      await expect(started).rejects.toThrow(/byCreated/);
      await expect(started).rejects.toThrow(`rm -rf ${oldData}`);
    } finally {
      rmSync(oldData, { recursive: true, force: true });
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

describe('the site server as CloudFront', () => {
  it('gives the API the socket’s address and the origin header, whatever the client sent under those names', () => {
    const request = {
      url: '/api/subscribe?x=1',
      method: 'POST',
      httpVersion: '1.1',
      headers: {
        'x-origin-verify': 'client-guess',
        'cloudfront-viewer-address': '203.0.113.99:443',
        'content-type': 'application/x-www-form-urlencoded',
      },
      socket: { remoteAddress: '127.0.0.1', remotePort: 51515 },
    } as unknown as IncomingMessage;
    const event = functionUrlEvent(request, Buffer.from('email=a%40example.org'), DEV_ORIGIN_HEADER);
    expect(event.headers['x-origin-verify']).toBe(DEV_ORIGIN_HEADER);
    expect(event.headers['cloudfront-viewer-address']).toBe('127.0.0.1:51515');
    expect(event.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(event.rawQueryString).toBe('x=1');
    expect(Buffer.from(event.body!, 'base64').toString('utf8')).toBe('email=a%40example.org');
  });
});

describe('email routes', () => {
  it('sends /api/* to the subscribe API and the two /_dev/ paths to the email path, nothing else', () => {
    expect(emailRouteFor('/api/subscribe')).toBe('api');
    expect(emailRouteFor('/api/unsubscribe')).toBe('api');
    expect(emailRouteFor('/_dev/edition')).toBe('edition');
    expect(emailRouteFor('/_dev/mail')).toBe('mail');
    for (const path of ['/', '/api', '/apiary.html', '/index.html', '/_dev/', '/_dev/mail/x'])
      expect(emailRouteFor(path)).toBeUndefined();
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
