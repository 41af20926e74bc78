/**
 * `npm run dev:cloud`: the cloud path on a laptop, with no AWS account. s3rver stands in for S3 and
 * dynalite for DynamoDB; the REAL ingest and publish handlers run on S3's own event records, wrapped
 * as the SQS message bodies S3 would send, and the site bucket is served over HTTP. SQS, the table
 * stream and CloudFront are the only parts replaced: by an in-process queue (one batch at a time)
 * and a debounced publish.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSRecord } from 'aws-lambda';
import type { AwsClients } from './adapters/aws/clients.js';
import { DynamoStore } from './adapters/aws/dynamo-store.js';
import { isMissingObject } from './adapters/aws/s3-errors.js';
import { composeIngest } from './compose-aws.js';
import { composePublish } from './compose-aws-publish.js';
import {
  type DynamoEmulator,
  emulatorClients,
  ensureStoryTable,
  REGION,
  type S3Emulator,
  type S3EventRecord,
  S3RVER_CREDENTIALS,
  s3MessageBody,
  startDynamo,
  startS3,
} from './dev/emulators.js';

const REPO_ROOT = resolve(import.meta.dirname, '..');

export const ARTICLES_BUCKET = 'newsfeed-articles';
export const SITE_BUCKET = 'newsfeed-site';
export const ARTICLES_PREFIX = 'articles/';
export const STORY_TABLE = 'newsfeed-stories';
export const DEFAULT_S3_PORT = 4569;
export const DEFAULT_SITE_PORT = 8081;
/** Long enough that the objects of one `aws s3 cp --recursive` land before the single publish. */
export const PUBLISH_DEBOUNCE_MS = 300;

export interface DevCloudOptions {
  /** @default 4569; 0 picks a free port */
  s3Port?: number;
  /** @default 8081; 0 picks a free port */
  sitePort?: number;
  /** Upload the files of `articlesDir` at start, through PutObject, so they take the event path. */
  seed?: boolean;
  /** s3rver objects and the dynalite table live here, so a restart keeps them. @default `.dev-cloud/` */
  dataDir?: string;
  /** @default the repository's `articles/` */
  articlesDir?: string;
  /** @default the repository's `templates/` */
  templatesDir?: string;
  /** One line per ingested object and per publish. @default console.log */
  log?: (line: string) => void;
}

export interface DevCloud {
  s3Endpoint: string;
  dynamoEndpoint: string;
  /** Ends with `/`. */
  siteUrl: string;
  /** Resolves when the queued ingests and the pending publish are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A failed handler run, reported on the log; the emulators keep running. */
export class DevCloudHandlerError extends Error {
  constructor(what: string, options: { cause: unknown }) {
    super(`${what} failed: ${String((options.cause as Error)?.stack ?? options.cause)}`, options);
    this.name = 'DevCloudHandlerError';
  }
}

/** The SQS record a queue subscribed to the bucket's notifications would deliver for one S3 record. */
function sqsRecord(record: S3EventRecord): SQSRecord {
  const id = randomUUID();
  return {
    messageId: id,
    receiptHandle: id,
    body: s3MessageBody(record),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'dev-cloud',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:000000000000:dev-cloud-ingest`,
    awsRegion: REGION,
  };
}

/**
 * Runs tasks one after another, and tells when nothing is queued, running or scheduled: the debounced
 * publish counts as scheduled from the moment its timer is set.
 */
class SerialQueue {
  private chain: Promise<void> = Promise.resolve();
  private outstanding = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly onError: (error: unknown) => void) {}

  push(task: () => Promise<void>): void {
    this.outstanding++;
    this.chain = this.chain
      .then(task)
      .catch(this.onError)
      .finally(() => this.release());
  }

  /** Holds idleness while a timer is pending; `release` gives it back. */
  hold(): void {
    this.outstanding++;
  }

  release(): void {
    this.outstanding--;
    if (this.outstanding === 0) for (const waiter of this.waiters.splice(0)) waiter();
  }

  idle(): Promise<void> {
    return this.outstanding === 0 ? Promise.resolve() : new Promise((done) => this.waiters.push(done));
  }

  drain(): Promise<void> {
    return this.chain;
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

/** The object key a site URL path names: `/` and folders are their `index.html`; undefined if unsafe. */
export function siteKeyFor(pathname: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const key = path.replace(/^\/+/, '');
  const full = key === '' || key.endsWith('/') ? `${key}index.html` : key;
  if (full.split('/').some((part) => part === '' || part === '.' || part === '..') || full.includes('\0'))
    return undefined;
  return full;
}

function siteHandler(clients: AwsClients, onError: (error: unknown) => void) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const key = siteKeyFor(new URL(request.url ?? '/', 'http://site').pathname);
    const notFound = () => {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    };
    if (!key) return notFound();
    try {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: SITE_BUCKET, Key: key }));
      response.writeHead(200, {
        'Content-Type': object.ContentType ?? 'application/octet-stream',
        ...(object.ContentLength !== undefined ? { 'Content-Length': object.ContentLength } : {}),
        ...(object.CacheControl ? { 'Cache-Control': object.CacheControl } : {}),
      });
      const body = object.Body as Readable | undefined;
      if (request.method === 'HEAD' || !body) {
        body?.destroy();
        response.end();
        return;
      }
      body.pipe(response);
    } catch (error) {
      if (isMissingObject(error)) return notFound();
      onError(error);
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The site bucket could not be read\n');
    }
  };
}

export async function startDevCloud(options: DevCloudOptions = {}): Promise<DevCloud> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.dev-cloud'));
  const articlesDir = resolve(options.articlesDir ?? join(REPO_ROOT, 'articles'));
  const reportError = (error: unknown) =>
    log(`error: ${error instanceof Error ? error.message : String(error)}`);

  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.splice(0).reverse()) await stop().catch(reportError);
  };
  let s3: S3Emulator;
  let dynamo: DynamoEmulator;
  let clients: AwsClients;
  let siteUrl: string;
  const site = createServer();
  try {
    dynamo = await startDynamo({ path: join(dataDir, 'dynamo') });
    started.push(() => dynamo.close());
    s3 = await startS3({
      port: options.s3Port ?? DEFAULT_S3_PORT,
      directory: join(dataDir, 's3'),
      buckets: [ARTICLES_BUCKET, SITE_BUCKET],
    });
    started.push(() => s3.close());
    clients = emulatorClients(s3.endpoint, dynamo.endpoint);
    started.push(async () => {
      clients.s3.destroy();
      clients.dynamo.destroy();
    });
    await ensureStoryTable(clients.dynamo, STORY_TABLE);
    const serve = siteHandler(clients, reportError);
    site.on('request', (request, response) => void serve(request, response).catch(reportError));
    const sitePort = await listen(site, options.sitePort ?? DEFAULT_SITE_PORT);
    started.push(
      () =>
        new Promise<void>((done) => {
          site.close(() => done());
          site.closeAllConnections();
        }),
    );
    siteUrl = `http://127.0.0.1:${sitePort}/`;
  } catch (error) {
    await stopAll();
    throw error;
  }

  const env: NodeJS.ProcessEnv = {
    TABLE_NAME: STORY_TABLE,
    ARTICLES_BUCKET,
    ARTICLES_PREFIX,
    SITE_BUCKET,
    TEMPLATES_DIR: resolve(options.templatesDir ?? join(REPO_ROOT, 'templates')),
    // Links in the feeds and pages point at the local site server.
    SITE_CONFIG: JSON.stringify({ title: 'News digest (dev:cloud)', siteUrl }),
  };
  // Loaded here rather than at the top so the script can quiet their loggers before they are created.
  const { makeIngestHandler } = await import('./handlers/ingest.js');
  const { makePublishHandler } = await import('./handlers/publish.js');
  const ingest = makeIngestHandler(() => composeIngest({ clients, env }));
  const publish = makePublishHandler(() => composePublish({ clients, env }));
  const store = new DynamoStore(clients.dynamo, STORY_TABLE);

  const queue = new SerialQueue(reportError);
  let pending: S3EventRecord[] = [];
  let publishTimer: NodeJS.Timeout | undefined;
  let closed = false;

  /** What the ingest left for one object, read back from the table (the handler reports only failures). */
  async function outcomeLine(record: S3EventRecord, failed: boolean): Promise<string> {
    const key = record.s3.object.key;
    // No queue redelivers here: the handler's error line says why, and uploading again retries.
    if (failed) return `${key}: failed (see the error above; upload the file again to retry)`;
    const object = await store.getObject(key.slice(ARTICLES_PREFIX.length));
    if (!object || object.sequencer !== record.s3.object.sequencer) {
      return `${key}: ${object ? 'stale (a newer event was applied)' : 'ignored'}`;
    }
    if (object.status === 'deleted') return `${key}: removed`;
    if (object.status === 'rejected') {
      const reason = (await store.quarantined()).find((entry) => entry.key === object.key)?.message;
      return `${key}: quarantined${reason ? `: ${reason}` : ''}`;
    }
    const doc = await store.getDoc(object.docId);
    return `${key}: published, story ${doc?.storyId ?? '(none)'}`;
  }

  const runIngest = async () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const records = batch.map(sqsRecord);
    let failures: Set<string>;
    try {
      const response = await ingest({ Records: records });
      failures = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (cause) {
      reportError(new DevCloudHandlerError('ingest', { cause }));
      failures = new Set(records.map((record) => record.messageId));
    }
    for (const [i, record] of batch.entries())
      log(`ingest ${await outcomeLine(record, failures.has(records[i]!.messageId))}`);
    schedulePublish();
  };

  const runPublish = async () => {
    try {
      const result = await publish();
      log(
        `publish: ${result.stories} stories changed, ${result.written} files written, ${result.removed} removed → ${siteUrl}`,
      );
    } catch (cause) {
      reportError(new DevCloudHandlerError('publish', { cause }));
    }
  };

  function cancelPublish(): void {
    if (!publishTimer) return;
    clearTimeout(publishTimer);
    publishTimer = undefined;
    queue.release();
  }

  function schedulePublish(): void {
    // Still more to ingest: the batch that drains the queue schedules the publish.
    if (pending.length > 0 || closed) return;
    cancelPublish();
    queue.hold();
    publishTimer = setTimeout(() => {
      publishTimer = undefined;
      queue.push(runPublish);
      queue.release();
    }, PUBLISH_DEBOUNCE_MS);
  }

  s3.server.on('event', ({ Records }) => {
    if (closed) return;
    for (const record of Records) {
      if (record.s3.bucket.name !== ARTICLES_BUCKET || !record.s3.object.key.startsWith(ARTICLES_PREFIX))
        continue;
      cancelPublish();
      pending.push(record);
      // One run takes everything pending when it starts: events arriving meanwhile form the next batch.
      if (pending.length === 1) queue.push(runIngest);
    }
  });

  if (options.seed) {
    for (const name of readdirSync(articlesDir).sort()) {
      if (name.startsWith('.')) continue;
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: ARTICLES_BUCKET,
          Key: `${ARTICLES_PREFIX}${name}`,
          Body: readFileSync(join(articlesDir, name)),
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
    }
  }

  return {
    s3Endpoint: s3.endpoint,
    dynamoEndpoint: dynamo.endpoint,
    siteUrl,
    idle: () => queue.idle(),
    close: async () => {
      closed = true;
      cancelPublish();
      pending = [];
      await queue.drain();
      await stopAll();
    },
  };
}

/** The commands an editor needs, with the ports actually in use. */
export function usage(
  cloud: Pick<DevCloud, 's3Endpoint' | 'dynamoEndpoint' | 'siteUrl'>,
  dataDir: string,
): string {
  const { accessKeyId, secretAccessKey } = S3RVER_CREDENTIALS;
  const aws = `aws --endpoint-url ${cloud.s3Endpoint}`;
  return [
    'dev:cloud is running: the real ingest and publish handlers on local S3 and DynamoDB emulators.',
    `  S3 (s3rver)          ${cloud.s3Endpoint}   buckets ${ARTICLES_BUCKET}, ${SITE_BUCKET}`,
    `  DynamoDB (dynalite)  ${cloud.dynamoEndpoint}   table ${STORY_TABLE}`,
    `  site                 ${cloud.siteUrl}`,
    `  data                 ${dataDir} (delete it to start afresh)`,
    '',
    `s3rver accepts only the access key ${accessKeyId} with the secret ${secretAccessKey}. In the shell you upload from:`,
    `  export AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_DEFAULT_REGION=${REGION} AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED`,
    `or once: aws configure --profile dev-cloud (key ${accessKeyId}, secret ${secretAccessKey}, region ${REGION}), then add --profile dev-cloud.`,
    '(WHEN_REQUIRED: newer AWS CLIs otherwise send chunked checksums, which s3rver would store as the file.)',
    '',
    'Add or replace an article:',
    `  ${aws} s3 cp article.txt s3://${ARTICLES_BUCKET}/${ARTICLES_PREFIX}`,
    'Add a folder of articles (published once, after the last file):',
    `  ${aws} s3 cp articles/ s3://${ARTICLES_BUCKET}/${ARTICLES_PREFIX} --recursive`,
    'Remove one:',
    `  ${aws} s3 rm s3://${ARTICLES_BUCKET}/${ARTICLES_PREFIX}article.txt`,
    '',
    `Then open ${cloud.siteUrl} or: curl ${cloud.siteUrl}feed.xml`,
    'Ctrl-C stops.',
  ].join('\n');
}

/** A port from the environment: unset means the default, 0 a free port. */
export function portFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`${name} must be a port number from 0 to 65535, not "${raw}"`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seed: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(
      'Usage: npm run dev:cloud [-- --seed]\n\n  --seed   upload articles/* into the articles bucket at start\n\n' +
        `Environment: S3_PORT (default ${DEFAULT_S3_PORT}), SITE_PORT (default ${DEFAULT_SITE_PORT}); 0 picks a free port.`,
    );
    return;
  }
  // The handlers' JSON logs repeat what the one-line summaries say; warnings and errors still show.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const dataDir = join(REPO_ROOT, '.dev-cloud');
  let cloud: DevCloud;
  try {
    cloud = await startDevCloud({
      s3Port: portFromEnv('S3_PORT', DEFAULT_S3_PORT),
      sitePort: portFromEnv('SITE_PORT', DEFAULT_SITE_PORT),
      seed: values.seed,
      dataDir,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `${(error as Error).message}: another program uses the port; set S3_PORT or SITE_PORT (0 = any free port)`
        : ((error as Error).stack ?? String(error));
    console.error(`dev:cloud could not start: ${message}`);
    process.exitCode = 1;
    return;
  }
  console.log(usage(cloud, dataDir));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await cloud.close();
    // Anything still holding the event loop (a stray keep-alive socket) must not keep the terminal.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
