/**
 * The feed ecosystem on AWS equals the local build's: the same articles (the five seeds and a
 * Markdown article with tags and a lead image beside it) built locally, and ingested through the
 * real ingest handler into dynalite and published by the real publish handler into s3rver, with the
 * same config and the same clock (SOURCE_DATE_EPOCH's instant), give byte-identical feeds (RSS, Atom,
 * JSON Feed), tag feeds, RFC 5005 archive documents, sitemaps, robots.txt and media files.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composePublish } from '../../functions/compose/publish.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import { makePublishHandler } from '../../functions/handlers/publish.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { FIXED_EPOCH, workspace } from '../helpers/cli.js';
import { createStoryTable, s3MessageBody } from '../helpers/emulators.js';
import { sqsEvent } from '../helpers/lambda-events.js';
import { buildHere, siteBytes } from '../helpers/local-build.js';
import { solidPng } from '../helpers/png.js';
import { useStoryEmulators } from '../helpers/story-emulators.js';

const ARTICLES = 'ecosystem-articles';
const world = useStoryEmulators(ARTICLES);
/** One story per archive document, so both paths page their months (`archive/YYYY-MM-p2.xml`, …). */
const CONFIG = {
  title: 'Desk',
  siteUrl: 'https://news.example.org/',
  feedSize: 3,
  archivePageSize: 1,
  language: 'en',
};
const NOW = new Date(FIXED_EPOCH * 1000);

const png = (width: number, height: number) => solidPng(width, height, [30, 90, 200]);

const PHOTO_STORY = `---
title: Floods reach the capital
date: 2025-11-23T09:00:00Z
author: Jane Doe
tags: [Weather, World]
image: pics/lead.png
image_alt: Flooded street with parked cars
---

Floods reached the capital on Monday, after a week of **heavy rain** in the hills to the north.

- Schools stayed closed.
- Officials said the water would recede by Thursday, [the agency said](https://example.org/floods).
`;

/** What is compared: everything a feed reader, a crawler or an aggregator fetches (no HTML pages). */
const isEcosystemFile = (path: string) =>
  /^(feed\.xml|atom\.xml|feed\.json|robots\.txt|sitemap[^/]*\.xml|archive\/[^/]+\.(xml|json)|tags\/[^/]+\/(feed\.xml|atom\.xml|feed\.json)|media\/.+)$/.test(
    path,
  );

const isArticle = (path: string) => /\.(txt|md)$/.test(path);

let local: Map<string, string>;
let cloud: Map<string, string>;

/**
 * The files in upload order, images before the articles that show them (a local build reads an
 * image when it renders the article): the cloud ingests the articles one event at a time, in this order.
 */
function articleFiles(dir: string): string[] {
  const paths = [...siteBytes(dir).keys()].sort();
  return [...paths.filter((path) => !isArticle(path)), ...paths.filter(isArticle)];
}

beforeAll(async () => {
  const source = workspace(true);
  mkdirSync(join(source.articles, 'desk', 'pics'), { recursive: true });
  writeFileSync(join(source.articles, 'desk', 'pics', 'lead.png'), png(64, 36));
  writeFileSync(join(source.articles, 'desk', 'photo-story.md'), PHOTO_STORY);
  const files = articleFiles(source.articles);

  // Locally, one build per article, in the cloud's order: a story's slug is the one it was first
  // published under, and its `updated` moves when a later member becomes canonical, so a single
  // build of all five seeds differs from any incremental history (the taliban story, whose second
  // member becomes canonical, would keep the other slug). Same increments, same records.
  const ws = workspace(false);
  const configPath = join(ws.root, 'site.config.json');
  writeFileSync(configPath, JSON.stringify(CONFIG));
  for (const path of files) {
    mkdirSync(join(ws.articles, path, '..'), { recursive: true });
    writeFileSync(join(ws.articles, path), readFileSync(join(source.articles, path)));
    if (isArticle(path)) await buildHere(ws, undefined, { configPath });
  }
  local = new Map([...siteBytes(ws.out)].filter(([path]) => isEcosystemFile(path)));

  const id = randomUUID().slice(0, 8);
  const env = {
    STORY_TABLE: `ecosystem-stories-${id}`,
    SITE_BUCKET: `ecosystem-site-${id}`,
    ARTICLES_BUCKET: ARTICLES,
    ARTICLES_PREFIX: `${id}/`,
    SITE_CONFIG: JSON.stringify(CONFIG),
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
  };
  const { s3, dynamo } = world.clients;
  await createStoryTable(dynamo, env.STORY_TABLE);
  await s3.send(new CreateBucketCommand({ Bucket: env.SITE_BUCKET }));
  const clock = { now: () => NOW };
  const bodies: string[] = [];
  for (const path of files) {
    const key = `${id}/${path}`;
    await s3.send(
      new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: readFileSync(join(source.articles, path)) }),
    );
    const record = world.s3.events.findLast((event) => decodeURIComponent(event.s3.object.key) === key);
    // Only articles are queued (the bucket's notification filters on their suffixes); images are read beside them.
    if (isArticle(path)) bodies.push(s3MessageBody(record!));
  }
  const ingest = makeIngestHandler(() => composeIngest({ clients: world.clients, env, clock }));
  expect((await ingest(sqsEvent(bodies))).batchItemFailures).toEqual([]);
  await makePublishHandler(() => composePublish({ clients: world.clients, env, clock }))();

  cloud = new Map();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: env.SITE_BUCKET, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const { Key } of page.Contents ?? []) {
      if (!Key || !isEcosystemFile(Key)) continue;
      const object = await s3.send(new GetObjectCommand({ Bucket: env.SITE_BUCKET, Key }));
      cloud.set(Key, Buffer.from(await object.Body!.transformToByteArray()).toString('latin1'));
    }
    token = page.NextContinuationToken;
  } while (token);
  // DUMP_ECOSYSTEM=<dir>: both sides written out, to read a difference with `diff -r`.
  if (process.env.DUMP_ECOSYSTEM) {
    for (const [side, files] of [
      ['local', local],
      ['cloud', cloud],
    ] as const)
      for (const [path, body] of files) {
        const out = join(process.env.DUMP_ECOSYSTEM, side, path);
        mkdirSync(join(out, '..'), { recursive: true });
        writeFileSync(out, body, 'latin1');
      }
  }
}, 120_000);

describe('the feed ecosystem on AWS', () => {
  it('has every file of the local build and no other', () => {
    expect([...cloud.keys()].sort()).toEqual([...local.keys()].sort());
    // What the comparison covers: a vacuous pass (nothing written on either side) must fail.
    const paths = [...local.keys()];
    for (const expected of ['feed.xml', 'atom.xml', 'feed.json', 'sitemap.xml', 'robots.txt'])
      expect(paths).toContain(expected);
    expect(paths.filter((path) => path.startsWith('tags/')).length).toBeGreaterThanOrEqual(6);
    expect(paths.filter((path) => path.startsWith('archive/')).length).toBeGreaterThan(0);
    expect(paths.filter((path) => /^archive\/\d{4}-\d{2}-p2\.xml$/.test(path)).length).toBeGreaterThan(0);
    expect(paths.filter((path) => path.startsWith('media/'))).toHaveLength(1);
  });

  it('writes each of them byte for byte as the local build does, but for one explained difference', () => {
    const expected = new Map(local);
    // Related coverage (JSON Feed `_newsfeed.related`) is on both sides and compared as it is: the
    // cloud ingest keeps the same corpus index as the local build (`cloud-dedup-parity.test.ts`).
    let related = 0;
    for (const [path, body] of local)
      if (path.endsWith('.json')) related += body.split('"_newsfeed"').length - 1;
    expect(related).toBeGreaterThan(0);
    // The local build writes a digest edition on every build that has new stories, so its site
    // has a digest archive and the sitemap lists it; on AWS editions exist only with email
    // configured and its edition function run (`cloud-digest-archive.test.ts`), not here.
    const digests =
      / {2}<url>\n {4}<loc>https:\/\/news\.example\.org\/digests\/index\.html<\/loc>\n {4}<lastmod>[^<]+<\/lastmod>\n {2}<\/url>\n/;
    expect(local.get('sitemap.xml')).toMatch(digests);
    expected.set('sitemap.xml', local.get('sitemap.xml')!.replace(digests, ''));

    const differing = [...expected.keys()].filter((path) => cloud.get(path) !== expected.get(path));
    for (const path of differing) expect(cloud.get(path), path).toBe(expected.get(path));
    expect(differing).toEqual([]);
  });
});
