/**
 * The ingest under crashes, against dynalite (DynamoDB) and s3rver (S3) with real SDK calls. SQS has
 * no emulator here: messages are the S3-shaped bodies S3 would queue, handed to the real handler. A
 * batch whose invocation crashed comes back whole (a Lambda timeout returns every message of the
 * batch), each message 1–3 times, in a shuffled order, after the visibility timeout.
 *
 * For every kind of event (create, overwrite, delete, delete then recreate, versions out of order) a
 * scenario is run once without a crash, counting the store's write calls, then once per write
 * position N with a crash right after the Nth write (`test/helpers/faults.ts`). Every trial must end
 * in exactly the state of the uninterrupted run: the same stories (ids, members, canonical, slugs),
 * docs, postings, object records and quarantine, no plan left and no lease held, and a publisher mark
 * on every story that changed. The uninterrupted run must agree with the local build (`build.ts`
 * through the local composition root) run over the same folder states. To stay fast, a trial starts
 * from the uninterrupted run's stored state just before the batch it crashes in.
 *
 * s3rver serves the current object whatever version an event names (S3 would answer 412 for a
 * replaced one, and the ingest would skip it): an old version's event applied late reads the newer
 * text. The end state is the same either way.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { composeIngest } from '../../functions/compose/ingest.js';
import { composeLocal } from '../../functions/compose/local.js';
import type { IngestDeps } from '../../functions/core/cloud/ingest.js';
import { build } from '../../functions/core/local/build.js';
import { makeIngestHandler } from '../../functions/handlers/ingest.js';
import {
  createRng,
  lightlyEdited,
  syntheticArticle,
  syntheticBrief,
  truncatedParagraphs,
  updatedWithNewLead,
  withBoilerplate,
} from '../fixtures/syndication.js';
import {
  type DynamoEmulator,
  type S3Emulator,
  type S3EventRecord,
  s3MessageBody,
  startDynamo,
  startS3,
  testClients,
} from '../helpers/emulators.js';
import {
  Crasher,
  crashing,
  type FaultFigures,
  printFigures,
  redeliveries,
  scanTable,
  tableWith,
} from '../helpers/faults.js';
import { sqsEvent } from '../helpers/lambda-events.js';
import { TEMPLATES_DIR } from '../helpers/templates.js';

// Every injected crash is logged by the handler as an error or a warning: the figures say what matters.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});
const ARTICLES = 'fault-articles';
const T0 = Date.parse('2025-11-24T12:00:00.000Z');
/** The ingest queue's visibility timeout: when a crashed batch comes back (the dead holder's lease has expired). */
const VISIBILITY_MS = 180_000;
const STORE_WRITES = new Set([
  'putObjectIf',
  'quarantine',
  'releaseQuarantine',
  'putDoc',
  'setDocStory',
  'deleteDoc',
  'addPostings',
  'removePostings',
  'putStory',
  'deleteStory',
  'nextSeq',
  'acquireLease',
  'releaseLease',
  'putPlan',
  'deletePlan',
]);

let s3: S3Emulator;
let dynamo: DynamoEmulator;
let clients: AwsClients;

beforeAll(async () => {
  [s3, dynamo] = await Promise.all([startS3({ buckets: [ARTICLES] }), startDynamo()]);
  clients = testClients(s3.endpoint, dynamo.endpoint);
});
afterAll(async () => {
  await Promise.all([s3?.close(), dynamo?.close()]);
});

// --- the articles: short, so that a trial makes few requests ------------------------------------------

const rng = createRng(9);
const A = syntheticArticle(rng, 2);
const B = syntheticArticle(rng, 2);
const [C, D, E, F] = [1, 2, 3, 4].map(() => syntheticBrief(rng)) as [string, string, string, string];
const dated = (date: string, text: string) => ` date ${date} ${text}\n`;

/** Two stories of two copies each, and two of one: what every scenario starts from. */
const BASE: Readonly<Record<string, string>> = {
  'a0.txt': dated('2021-08-01', A),
  'a1.txt': dated('2021-08-02', withBoilerplate(lightlyEdited(A, createRng(1)))),
  'b0.txt': dated('2021-08-01', B),
  'b1.txt': dated('2021-08-03', updatedWithNewLead(B, createRng(2))),
  'c0.txt': dated('2021-08-02', C),
  'd0.txt': dated('2021-08-04', D),
};

/** One S3 operation and its event: `at` orders the operations (their sequencers), batches the deliveries. */
interface Step {
  name: string;
  at: number;
  /** The new text; none for a deletion. */
  text?: string;
  /** An event announcing a version over maxArticleBytes (rejected before it is read). */
  oversized?: true;
}

const put = (name: string, at: number, text: string): Step => ({ name, at, text });
const del = (name: string, at: number): Step => ({ name, at });

/** A scenario: its batches, and the stories (member names) it must end with. */
const SCENARIOS: Array<{ name: string; batches: Step[][]; stories: string[][] }> = [
  {
    name: 'create',
    batches: [
      [
        put('a2.txt', 1, dated('2021-08-05', truncatedParagraphs(A, 3))),
        put('e0.txt', 2, dated('2021-08-05', E)),
      ],
      // A with a paragraph added at its end: it joins A's story through the member it carries, and
      // every copy of A (a1 edited, with boilerplate) stays in the one story.
      [put('a3.txt', 3, dated('2021-08-06', `${A}\n${syntheticArticle(createRng(3), 1)}`))],
    ],
    stories: [['a0', 'a1', 'a2', 'a3'], ['b0', 'b1'], ['c0'], ['d0'], ['e0']],
  },
  {
    name: 'overwrite',
    batches: [
      // c0 becomes a copy of B: its own story goes, it joins B's.
      [put('c0.txt', 1, dated('2021-08-02', withBoilerplate(B)))],
      [put('a1.txt', 2, dated('2021-08-02', lightlyEdited(A, createRng(4))))],
    ],
    stories: [['a0', 'a1'], ['b0', 'b1', 'c0'], ['d0']],
  },
  {
    name: 'delete',
    // a0 is the first member of its story (the ghost); d0 is a story alone.
    batches: [[del('a0.txt', 1)], [del('d0.txt', 2)]],
    stories: [['a1'], ['b0', 'b1'], ['c0']],
  },
  {
    name: 'delete-then-recreate',
    batches: [
      [del('b1.txt', 1)],
      [put('b1.txt', 2, BASE['b1.txt']!)],
      [del('c0.txt', 3)],
      // c0 comes back as a teaser of A, and joins A's story.
      [put('c0.txt', 4, dated('2021-08-02', truncatedParagraphs(A, 3)))],
    ],
    stories: [['a0', 'a1', 'c0'], ['b0', 'b1'], ['d0']],
  },
  {
    name: 'out-of-order versions',
    batches: [
      [put('a1.txt', 2, dated('2021-08-02', withBoilerplate(A)))],
      [put('f0.txt', 4, dated('2021-08-07', F))],
      // Older versions after the newer ones: both change nothing, and f0 is not quarantined.
      [
        put('a1.txt', 1, dated('2021-08-02', lightlyEdited(A, createRng(5)))),
        { name: 'f0.txt', at: 3, oversized: true },
      ],
    ],
    stories: [['a0', 'a1'], ['b0', 'b1'], ['c0'], ['d0'], ['f0']],
  },
];

// --- a scenario's world --------------------------------------------------------------------------------------------

type Item = Record<string, unknown>;

interface World {
  env: Record<string, string>;
  /** The stored state every run starts from (without publisher marks: as if the site were published). */
  base: Item[];
  /** SQS bodies of each batch, in delivery order. */
  bodies: string[][];
  /** The folder after each batch, as the local build sees it. */
  folders: Array<Record<string, string>>;
}

function s3Record(prefix: string, step: Step, etag: string): S3EventRecord {
  const object: S3EventRecord['s3']['object'] = {
    key: `${prefix}${step.name}`,
    sequencer: `0A${String(step.at).padStart(14, '0')}`,
  };
  if (step.text !== undefined) Object.assign(object, { size: Buffer.byteLength(step.text), eTag: etag });
  if (step.oversized) Object.assign(object, { size: 8 * 1024 * 1024, eTag: `"${'f'.repeat(32)}"` });
  return {
    eventName: step.text !== undefined || step.oversized ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
    eventTime: new Date(T0 + step.at * 1000).toISOString(),
    s3: { bucket: { name: ARTICLES }, object },
  };
}

async function upload(key: string, text: string): Promise<string> {
  return (await clients.s3.send(new PutObjectCommand({ Bucket: ARTICLES, Key: key, Body: text }))).ETag ?? '';
}

async function setUp(batches: Step[][], index: number): Promise<World> {
  const prefix = `s${index}/`;
  const env = { ARTICLES_BUCKET: ARTICLES, ARTICLES_PREFIX: prefix, STORY_TABLE: `base-${index}` };
  const baseBodies: string[] = [];
  for (const [name, text] of Object.entries(BASE)) {
    const etag = await upload(`${prefix}${name}`, text);
    baseBodies.push(s3MessageBody(s3Record(prefix, { name, at: 0, text }, etag)));
  }
  await tableWith(clients.dynamo, env.STORY_TABLE, []);
  const ingest = makeIngestHandler(() => composeIngest({ clients, env, clock: { now: () => new Date(T0) } }));
  expect((await ingest(sqsEvent(baseBodies))).batchItemFailures).toEqual([]);
  const base = (await scanTable(clients.dynamo, env.STORY_TABLE)).filter((item) => item.pk !== 'DIRTY');
  const baseStories = base.filter((item) => String(item.pk).startsWith('STORY#'));
  expect(baseStories.map((item) => [...(item.members as string[])].sort()).sort()).toEqual([
    ['a0.txt', 'a1.txt'],
    ['b0.txt', 'b1.txt'],
    ['c0.txt'],
    ['d0.txt'],
  ]);

  // The bucket as it ends (operations in sequencer order), then each delivery's body.
  const etags = new Map<Step, string>();
  for (const step of batches.flat().sort((a, b) => a.at - b.at)) {
    if (step.oversized) continue;
    if (step.text === undefined) {
      await clients.s3.send(new DeleteObjectCommand({ Bucket: ARTICLES, Key: `${prefix}${step.name}` }));
    } else etags.set(step, await upload(`${prefix}${step.name}`, step.text));
  }
  const bodies = batches.map((batch) =>
    batch.map((step) => s3MessageBody(s3Record(prefix, step, etags.get(step) ?? ''))),
  );

  // The folder after each batch: per name, the newest operation delivered so far.
  const folders: Array<Record<string, string>> = [];
  const newest = new Map<string, Step>();
  for (const batch of batches) {
    for (const step of batch) if ((newest.get(step.name)?.at ?? -1) < step.at) newest.set(step.name, step);
    const folder = { ...BASE };
    for (const [name, step] of newest) {
      if (step.oversized) folder[name] = '\u0000 binary, rejected';
      else if (step.text === undefined) delete folder[name];
      else folder[name] = step.text;
    }
    folders.push(folder);
  }
  return { env, base, bodies, folders };
}

// --- runs -------------------------------------------------------------------------------------------------------------

/** Where a run stands before one batch: the stored items, the writes made so far, the clock. */
interface Checkpoint {
  items: Item[];
  writes: number;
  now: number;
}

interface RunResult {
  /** Before each batch (uninterrupted runs only). */
  checkpoints: Checkpoint[];
  writes: number;
  crashPoint?: string;
  state: StoredState;
}

/**
 * Delivers `batches` from `first` on, starting from `start`, with a crash after write `crashAfter`
 * when given; then the crashed batch's messages come back. Each invocation is a fresh container.
 */
async function run(
  world: World,
  batches: string[][],
  start: Checkpoint,
  first: number,
  crashAfter: number | undefined,
  seed: number,
): Promise<RunResult> {
  const table = `t-${randomUUID().slice(0, 8)}`;
  await tableWith(clients.dynamo, table, start.items);
  const env = { ...world.env, STORY_TABLE: table };
  let now = start.now;
  const clock = { now: () => new Date(now) };
  const crasher = new Crasher(crashAfter, start.writes);
  const container = makeIngestHandler((): IngestDeps => {
    const deps = composeIngest({ clients, env, clock });
    return { ...deps, store: crashing('store', deps.store, STORE_WRITES, crasher), leaseWaitMs: 0 };
  });
  /** One invocation; false when it crashed. */
  const deliver = async (bodies: string[]): Promise<boolean> => {
    const before = crasher.crashed;
    const response = await container(sqsEvent(bodies)).catch((error: unknown) => error);
    if (crasher.crashed !== before) {
      crasher.revive();
      now += VISIBILITY_MS;
      return false;
    }
    expect(response).toEqual({ batchItemFailures: [] });
    now += 1000;
    return true;
  };

  const checkpoints: Checkpoint[] = [];
  const failed: string[] = [];
  for (const batch of batches.slice(first)) {
    if (crashAfter === undefined)
      checkpoints.push({ items: await scanTable(clients.dynamo, table), writes: crasher.writes, now });
    if (!(await deliver(batch))) failed.push(...batch);
  }
  for (const body of redeliveries(createRng(seed), failed)) expect(await deliver([body])).toBe(true);
  return {
    state: await storedState(table, now),
    checkpoints,
    writes: crasher.writes,
    ...(crasher.crashPoint ? { crashPoint: crasher.crashPoint } : {}),
  };
}

// --- the stored state -----------------------------------------------------------------------------------------------

interface StoredState {
  stories: Record<string, string>;
  /** docId → key and story: who belongs where, as the next event's clustering will read it. */
  docs: Record<string, string>;
  postings: string[];
  objects: Record<string, string>;
  quarantine: Record<string, string>;
  /** A plan left behind, or a lease still held, once nothing runs. */
  leftovers: string[];
  /** Stories marked for the publisher. */
  dirty: string[];
}

/** The fields of a story item that pages show and ids rest on (createdAt follows the clock). */
function storyOf(item: Item): string {
  const { canonical, members, title, slug, date, updated, evidence } = item;
  return JSON.stringify({
    canonical,
    members: [...(members as string[])].sort(),
    title,
    slug,
    date,
    updated,
    evidence,
  });
}

async function storedState(table: string, now: number): Promise<StoredState> {
  const state: StoredState = {
    stories: {},
    docs: {},
    postings: [],
    objects: {},
    quarantine: {},
    leftovers: [],
    dirty: [],
  };
  for (const item of await scanTable(clients.dynamo, table)) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    const { pk: _pk, sk: _sk, ...fields } = item;
    if (pk.startsWith('STORY#')) state.stories[String(item.id)] = storyOf(item);
    else if (pk.startsWith('DOC#') && sk === 'DOC')
      state.docs[pk.slice(4)] = `${item.key} in ${item.storyId}`;
    else if (pk.startsWith('FP#')) state.postings.push(`${pk} ${sk}`);
    else if (pk === 'OBJ' || pk === 'QUARANTINE')
      state[pk === 'OBJ' ? 'objects' : 'quarantine'][sk] = JSON.stringify(fields, Object.keys(fields).sort());
    else if (pk === 'PLAN') state.leftovers.push(`${pk} ${sk}`);
    // A holder that died keeps its lease until the next ingest that needs the lease takes it over.
    else if (pk === 'LEASE' && Number(item.expiresAt) > now) state.leftovers.push('lease held');
    else if (pk === 'DIRTY') state.dirty.push(sk);
  }
  state.postings.sort();
  state.dirty.sort();
  return state;
}

/** Stories that differ from the base (or are gone) without a publisher mark. */
function unmarked(base: Item[], state: StoredState): string[] {
  const before = new Map(
    base
      .filter((item) => String(item.pk).startsWith('STORY#'))
      .map((item) => [String(item.id), storyOf(item)]),
  );
  return [...new Set([...before.keys(), ...Object.keys(state.stories)])].filter(
    (id) => before.get(id) !== state.stories[id] && !state.dirty.includes(id),
  );
}

/** Final articles in no story, and members listed twice or no longer in the folder. */
function membership(state: StoredState, finalNames: readonly string[]) {
  const listed = Object.values(state.stories).flatMap((story) => JSON.parse(story).members as string[]);
  const lost = finalNames.filter((name) => !listed.includes(name)).length;
  const duplicated =
    listed.length - new Set(listed).size + listed.filter((name) => !finalNames.includes(name)).length;
  return { lost, duplicated };
}

/** The local build's stories after each folder state in turn: id → members, and canonical when merged. */
async function localHistory(folders: Array<Record<string, string>>): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), 'faults-local-'));
  const articles = join(root, 'articles');
  const configPath = join(root, 'site.config.json');
  writeFileSync(configPath, '{"title":"Fault suite"}');
  let stories: Record<string, { members: string[]; canonical?: string }> = {};
  try {
    for (const folder of [BASE, ...folders]) {
      rmSync(articles, { recursive: true, force: true });
      mkdirSync(articles);
      for (const [name, text] of Object.entries(folder)) writeFileSync(join(articles, name), text);
      const local = await composeLocal({
        articlesDir: articles,
        outDir: join(root, 'public'),
        stateDir: join(root, 'state'),
        configPath,
        templatesDir: TEMPLATES_DIR,
        workers: 1,
        clock: { now: () => new Date(T0) },
      });
      const report = await build(local.deps, local.options);
      await local.close();
      stories = Object.fromEntries(report.stories.map((s) => [s.id, { members: [...s.members].sort() }]));
      for (const merge of report.merges) stories[merge.story]!.canonical = merge.into;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return stories;
}

/** Where a trial ended: the parts of the state that must match, and what differs from `expected`. */
function differences(trial: StoredState, expected: StoredState): string[] {
  const { dirty: _got, ...got } = trial;
  const { dirty: _expected, ...wanted } = expected;
  return (Object.keys(wanted) as Array<keyof typeof wanted>).filter(
    (key) => JSON.stringify(got[key]) !== JSON.stringify(wanted[key]),
  );
}

describe('ingest fault suite: a crash after every store write, then redelivery', () => {
  const total: FaultFigures = {
    trials: 0,
    recovered: 0,
    lost: 0,
    duplicated: 0,
    notes: { 'as if delivered late': 0 },
  };
  afterAll(() => printFigures('ingest', total));

  it.each(SCENARIOS.map((scenario, index) => [scenario.name, scenario, index] as const))(
    '%s: every crash point ends as an uninterrupted run does',
    async (name, { batches, stories }, index) => {
      const world = await setUp(batches, index);
      const origin: Checkpoint = { items: world.base, writes: 0, now: T0 + 60_000 };
      const reference = await run(world, world.bodies, origin, 0, undefined, 0);
      const last = world.folders[world.folders.length - 1]!;
      const finalNames = Object.keys(last).filter((key) => !last[key]!.startsWith('\u0000'));
      expect(membership(reference.state, finalNames)).toEqual({ lost: 0, duplicated: 0 });
      expect(reference.state.leftovers).toEqual([]);
      expect(unmarked(world.base, reference.state)).toEqual([]);
      // The same stories, ids and canonical members as the local build over the same folder states.
      const cloud = Object.fromEntries(
        Object.entries(reference.state.stories).map(([id, json]) => {
          const { members, canonical } = JSON.parse(json) as { members: string[]; canonical: string };
          return [id, members.length > 1 ? { members, canonical } : { members }];
        }),
      );
      expect(cloud).toEqual(await localHistory(world.folders));
      const names = (members: string[]) => members.map((key) => key.replace(/\.txt$/, ''));
      expect(
        Object.values(cloud)
          .map((story) => names(story.members))
          .sort(),
      ).toEqual(stories);

      // A batch that crashed before changing anything is as good as one SQS delivered last: the
      // uninterrupted run with that batch moved to the end is the other acceptable outcome.
      const late = new Map<number, StoredState>();
      const deliveredLate = async (batch: number) => {
        if (!late.has(batch)) {
          const order = [...world.bodies.filter((_, i) => i !== batch), world.bodies[batch]!];
          late.set(batch, (await run(world, order, origin, 0, undefined, 0)).state);
        }
        return late.get(batch)!;
      };

      const figures: FaultFigures = {
        trials: 0,
        recovered: 0,
        lost: 0,
        duplicated: 0,
        notes: { 'as if delivered late': 0 },
      };
      const failures: string[] = [];
      for (let n = 1; n <= reference.writes; n++) {
        // Start just before the batch that write n belongs to.
        const batch = reference.checkpoints.findLastIndex((checkpoint) => checkpoint.writes < n);
        const trial = await run(
          world,
          world.bodies,
          reference.checkpoints[batch]!,
          batch,
          n,
          n * 7919 + index,
        );
        figures.trials++;
        const { lost, duplicated } = membership(trial.state, finalNames);
        figures.lost += lost;
        figures.duplicated += duplicated;
        let differs = differences(trial.state, reference.state);
        if (differs.length && !differences(trial.state, await deliveredLate(batch)).length) {
          differs = [];
          figures.notes!['as if delivered late']!++;
        }
        if (unmarked(world.base, trial.state).length) differs.push('publisher marks');
        if (differs.length)
          failures.push(`crash after write ${n} (${trial.crashPoint}): ${differs.join(', ')}`);
        else figures.recovered++;
      }
      for (const key of ['trials', 'recovered', 'lost', 'duplicated'] as const) total[key] += figures[key];
      total.notes!['as if delivered late']! += figures.notes!['as if delivered late']!;
      printFigures(`ingest/${name}`, figures);
      expect(failures).toEqual([]);
      expect(figures).toMatchObject({
        trials: reference.writes,
        recovered: reference.writes,
        lost: 0,
        duplicated: 0,
      });
      expect(figures.trials).toBeGreaterThan(10);
    },
  );
});
