/**
 * One edition per story, ever, on AWS: against s3rver and dynalite, with the real ingest and edition
 * handlers (the outbox in memory: SQS has no emulator here). After an edition mails two stories, the
 * article's object deleted and put back, its text put under a new key, and a later fuller copy of
 * the other (the original deleted) each make a story first published anew, and none of them goes
 * into a later edition; a genuinely new article still does.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DynamoEditionStore } from '../../functions/adapters/aws/edition-store.js';
import { composeEdition } from '../../functions/compose/edition.js';
import { composeIngest } from '../../functions/compose/ingest.js';
import type { Outbox } from '../../functions/core/email/edition-ports.js';
import { makeEditionHandler } from '../../functions/handlers/edition.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { createRng, syntheticArticle } from '../fixtures/syndication.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { createEmailTable, createStoryTable, s3MessageBody } from '../helpers/emulators.js';
import { sqsEvent } from '../helpers/lambda-events.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';

const ARTICLES = 'once-articles';
const world = useStoryEmulators(ARTICLES);

const rng = createRng(21);
const A = `Port strike halts container traffic\n\n${syntheticArticle(rng, 6)}`;
const B = `Council approves new tram line\n\n${syntheticArticle(rng, 6)}`;
const C = `Museum returns looted bronzes\n\n${syntheticArticle(rng, 6)}`;

describe('one edition per story, ever, on AWS', () => {
  it('never mails a story again after delete and put back, a new key, or a later fuller copy', async () => {
    const id = randomUUID().slice(0, 8);
    const env = {
      STORY_TABLE: `once-stories-${id}`,
      EMAIL_TABLE: `once-email-${id}`,
      SITE_BUCKET: `once-site-${id}`,
      ARTICLES_BUCKET: ARTICLES,
      ARTICLES_PREFIX: `${id}/`,
      SITE_CONFIG: JSON.stringify({ title: 'Once', siteUrl: 'https://news.example.org/' }),
      TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
      LIST_ID: 'digest',
      FROM_ADDRESS: 'news@example.org',
    };
    await Promise.all([
      createStoryTable(world.clients.dynamo, env.STORY_TABLE),
      createEmailTable(world.clients.dynamo, env.EMAIL_TABLE),
      world.clients.s3.send(new CreateBucketCommand({ Bucket: env.SITE_BUCKET })),
    ]);
    let now = Date.parse('2026-11-20T06:00:00Z');
    const clock = { now: () => new Date(now) };
    const outbox: Outbox = { enqueue: async () => {} };
    const ingest = makeIngestHandler(() => composeIngest({ clients: world.clients, env, clock }));
    const edition = makeEditionHandler(() => composeEdition({ clients: world.clients, env, clock, outbox }));
    const editions = new DynamoEditionStore(world.clients.dynamo, env.EMAIL_TABLE);

    const change = async (name: string, text?: string) => {
      const key = `${id}/${name}`;
      if (text === undefined)
        await world.clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES, Key: key }));
      else await world.clients.s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: text }));
      const record = world.s3.events.findLast((event) => decodeURIComponent(event.s3.object.key) === key);
      const response = await ingest(sqsEvent([s3MessageBody(record!)]));
      expect(response.batchItemFailures).toEqual([]);
    };
    /** The edition scheduled a day after the last, and the titles it mailed. */
    let day = 20;
    const nextEdition = async () => {
      day++;
      const scheduledTime = `2026-11-${day}T07:00:00Z`;
      now = Date.parse(scheduledTime);
      const outcome = await edition({ scheduledTime });
      now += 3_600_000; // later changes are first published after this edition
      const record = await editions.get(outcome.editionId);
      return { action: outcome.action, stories: record?.storyIds?.length ?? 0 };
    };

    await change('a.txt', A);
    await change('b.txt', B);
    expect(await nextEdition()).toEqual({ action: 'sent', stories: 2 });

    // Deleted and put back under the same key: a new story, the same doc id.
    await change('a.txt');
    await change('a.txt', A);
    expect(await nextEdition()).toEqual({ action: 'empty', stories: 0 });

    // Renamed: deleted, then put under a new key (a new doc id, the same content).
    await change('a.txt');
    await change('a-renamed.txt', A);
    expect(await nextEdition()).toEqual({ action: 'empty', stories: 0 });

    // A later fuller copy of B, the original gone: its content was mailed.
    await change('b.txt');
    await change('b-full.txt', `${B}\n\n${syntheticArticle(rng, 2)}`);
    // A genuinely new story still goes out, alone.
    await change('c.txt', C);
    expect(await nextEdition()).toEqual({ action: 'sent', stories: 1 });
  });
});
