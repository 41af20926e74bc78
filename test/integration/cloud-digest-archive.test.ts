/**
 * The digest archive on AWS: against s3rver and dynalite, with the real ingest, edition and publish
 * handlers (the outbox in memory: SQS has no emulator here). Before any edition the site has no
 * `digests/index.html`; after one is sent, the next publish (woken by the edition through a dirty
 * mark) writes it, listing the edition with its stories and linking its archived copy, and the home
 * page links the archive; a second edition is listed above the first.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DynamoSentEditions } from '../../functions/adapters/aws/sent-editions.js';
import { composeEdition } from '../../functions/compose/edition.js';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composePublish } from '../../functions/compose/publish.js';
import type { Outbox } from '../../functions/core/email/edition-ports.js';
import { makeEditionHandler } from '../../functions/handlers/edition.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { createRng, syntheticArticle } from '../fixtures/syndication.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { createEmailTable, createStoryTable, s3MessageBody } from '../helpers/emulators.js';
import { sqsEvent } from '../helpers/lambda-events.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';

const ARTICLES = 'digests-articles';
const world = useStoryEmulators(ARTICLES);

const rng = createRng(12);
const A = `Port strike halts container traffic\n\n${syntheticArticle(rng, 6)}`;
const B = `Council approves new tram line\n\n${syntheticArticle(rng, 6)}`;
const C = `Museum returns looted bronzes\n\n${syntheticArticle(rng, 6)}`;

/** The editions listed on the archive page, in page order: subject, link, story titles. */
function listedEditions(html: string) {
  return [...html.matchAll(/<li class="story">([\s\S]*?)<\/li>\n(?=<li class="story">|<\/ol>)/g)].map(
    ([, item]) => ({
      subject: /<h2 class="story-title"><a href="([^"]+)">([^<]+)<\/a><\/h2>/.exec(item!)?.slice(1),
      stories: [...item!.matchAll(/<li><a href="\.\.\/articles\/[^"]+">([^<]+)<\/a><\/li>/g)].map(
        (m) => m[1],
      ),
    }),
  );
}

describe('the digest archive on AWS', () => {
  it('lists every sent edition after the publish the edition wakes, and the home page links it', async () => {
    const id = randomUUID().slice(0, 8);
    const env = {
      STORY_TABLE: `digests-stories-${id}`,
      EMAIL_TABLE: `digests-email-${id}`,
      SITE_BUCKET: `digests-site-${id}`,
      ARTICLES_BUCKET: ARTICLES,
      ARTICLES_PREFIX: `${id}/`,
      SITE_CONFIG: JSON.stringify({ title: 'Wire', siteUrl: 'https://news.example.org/' }),
      TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
      LIST_ID: 'digest',
      FROM_ADDRESS: 'news@example.org',
    };
    const { s3, dynamo } = world.clients;
    await Promise.all([
      createStoryTable(dynamo, env.STORY_TABLE),
      createEmailTable(dynamo, env.EMAIL_TABLE),
      s3.send(new CreateBucketCommand({ Bucket: env.SITE_BUCKET })),
    ]);
    let now = Date.parse('2026-11-20T06:00:00Z');
    const clock = { now: () => new Date(now) };
    const outbox: Outbox = { enqueue: async () => {} };
    const ingest = makeIngestHandler(() => composeIngest({ clients: world.clients, env, clock }));
    const edition = makeEditionHandler(() => composeEdition({ clients: world.clients, env, clock, outbox }));
    // Composed per run: the deps read the clock once per publish, as a fresh container would.
    const publish = () => makePublishHandler(() => composePublish({ clients: world.clients, env, clock }))();
    const read = async (path: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: env.SITE_BUCKET, Key: path }));
      return object.Body!.transformToString();
    };
    const exists = (path: string) =>
      read(path).then(
        () => true,
        (error: { name?: string }) => {
          if (error.name === 'NoSuchKey') return false;
          throw error;
        },
      );
    const put = async (name: string, text: string) => {
      const key = `${id}/${name}`;
      await s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: text }));
      const record = world.s3.events.findLast((event) => decodeURIComponent(event.s3.object.key) === key);
      expect((await ingest(sqsEvent([s3MessageBody(record!)]))).batchItemFailures).toEqual([]);
    };

    await put('a.txt', A);
    await put('b.txt', B);
    await publish();
    expect(await exists('digests/index.html')).toBe(false);
    expect(await read('index.html')).not.toContain('digests/index.html');

    now = Date.parse('2026-11-21T07:00:00Z');
    const first = await edition({ scheduledTime: '2026-11-21T07:00:00Z' });
    expect(first.action).toBe('sent');
    now += 3_600_000;
    // The edition marked a story dirty: this publish is not empty, and it writes the archive.
    expect((await publish()).stories).toBeGreaterThan(0);
    const [sent] = await new DynamoSentEditions(dynamo, env.EMAIL_TABLE).sent();
    expect(sent?.id).toBe(first.editionId);
    const archivePath = `digests/${first.editionId}.html`;
    expect(await exists(archivePath)).toBe(true);
    let archive = listedEditions(await read('digests/index.html'));
    expect(archive).toEqual([
      {
        subject: [`../${archivePath}`, sent!.subject],
        stories: expect.arrayContaining([
          'Port strike halts container traffic',
          'Council approves new tram line',
        ]),
      },
    ]);
    expect(archive[0]!.stories).toHaveLength(2);
    const home = await read('index.html');
    expect(home).toContain('<a href="digests/index.html">All editions</a>');
    expect(home).toContain(`<a href="${archivePath}">`);

    await put('c.txt', C);
    now = Date.parse('2026-11-22T07:00:00Z');
    const second = await edition({ scheduledTime: '2026-11-22T07:00:00Z' });
    expect(second.action).toBe('sent');
    now += 3_600_000;
    await publish();
    archive = listedEditions(await read('digests/index.html'));
    expect(archive.map((e) => e.subject?.[0])).toEqual([
      `../digests/${second.editionId}.html`,
      `../${archivePath}`,
    ]);
    expect(archive[0]!.stories).toEqual(['Museum returns looted bronzes']);
    expect(await read('digests/index.html')).toContain('Edition 2');
    expect(await read('index.html')).toContain(`<a href="digests/${second.editionId}.html">`);
  });
});
