/**
 * `npm run dev:cloud`: the cloud path on a laptop, with no AWS account. s3rver stands in for S3,
 * dynalite for DynamoDB and aws-ses-v2-local for SES; the REAL ingest and publish handlers run on
 * S3's own event records, wrapped as the SQS message bodies S3 would send, and the site bucket is
 * served over HTTP with the REAL subscribe API at `/api/*` (the email path: `dev/email-path.ts`).
 * SQS, the table stream, CloudFront, Secrets Manager and the edition schedule are the parts
 * replaced: by in-process queues (one batch at a time), a debounced publish, a development keyring
 * and `POST /_dev/edition`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../adapters/aws/clients.js';
import { BY_CREATED_INDEX, BY_DATE_INDEX, DynamoStore } from '../adapters/aws/dynamo-store.js';
import { isMissingObject } from '../adapters/aws/s3-errors.js';
import { FolderError, requireReadableFolder, requireWritableFolder } from '../adapters/local/folders.js';
import { defineCommand, EXIT_OK, runCommand, UserError } from '../cli/support.js';
import { composeIngest } from '../compose/ingest.js';
import { composePublish } from '../compose/publish.js';
import { type EmailPath, startEmailPath } from './email-path.js';
import {
  BY_CONFIRMED_INDEX,
  type DynamoEmulator,
  emulatorClients,
  ensureEmailTable,
  ensureStoryTable,
  missingIndexes,
  REGION,
  type S3Emulator,
  type S3EventRecord,
  S3RVER_CREDENTIALS,
  type SesEmulator,
  SesListenError,
  s3MessageBody,
  startDynamo,
  startS3,
  startSes,
} from './emulators.js';
import { SerialQueue } from './serial-queue.js';
import { sqsRecord } from './sqs-record.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export const ARTICLES_BUCKET = 'newsfeed-articles';
export const SITE_BUCKET = 'newsfeed-site';
export const ARTICLES_PREFIX = 'articles/';
export const STORY_TABLE = 'newsfeed-stories';
export const EMAIL_TABLE = 'newsfeed-email';
export const SITE_TITLE = 'News digest (dev:cloud)';
/** example.org is reserved for examples: nothing leaves the SES emulator anyway. */
export const FROM_ADDRESS = 'news@example.org';
export const DEFAULT_S3_PORT = 4569;
export const DEFAULT_SITE_PORT = 8081;
/** aws-ses-v2-local's own default port. */
export const DEFAULT_SES_PORT = 8005;
/** Long enough that the objects of one `aws s3 cp --recursive` land before the single publish. */
export const PUBLISH_DEBOUNCE_MS = 300;

export interface DevCloudOptions {
  /** @default 4569; 0 picks a free port */
  s3Port?: number;
  /** @default 8081; 0 picks a free port */
  sitePort?: number;
  /** @default 8005; 0 picks a free port */
  sesPort?: number;
  /** Upload the files of `articlesDir` at start, through PutObject, so they take the event path. */
  seed?: boolean;
  /** s3rver objects and the dynalite tables live here, so a restart keeps them (sent mail is not kept). @default `.dev-cloud/` */
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
  sesEndpoint: string;
  /** Ends with `/`. */
  siteUrl: string;
  /**
   * The site URL the confirm mailer and the digest sender build their links on: the same server
   * with `https`, because a mail's List-Unsubscribe URL must be https (RFC 8058) and both refuse
   * anything else. Nothing answers TLS there: `/_dev/mail` gives each mail's confirm and
   * unsubscribe links on `siteUrl` as well.
   */
  mailSiteUrl: string;
  /** Resolves when the queued ingests, the pending publish and the queued mails are done. */
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

/**
 * The data folder holds a table made by an older dev:cloud, without an index the handlers now
 * query: caught at start, because the query would fail far from the cause.
 */
export class DevCloudStaleDataError extends Error {
  override name = 'DevCloudStaleDataError';
}

async function requireIndexes(
  client: DynamoDBDocumentClient,
  table: string,
  indexes: readonly string[],
  dataDir: string,
): Promise<void> {
  const missing = await missingIndexes(client, table, indexes);
  if (!missing.length) return;
  throw new DevCloudStaleDataError(
    `the table ${table} kept in ${dataDir} was made by an older dev:cloud and lacks the index ${missing.join(', ')} ` +
      `that the email editions query. Delete the folder (rm -rf ${dataDir}) and start again; ` +
      '`npm run dev:cloud -- --seed` uploads articles/ anew.',
  );
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

/** The paths the email path answers on the site server; `/api/*` is the subscribe API, as CloudFront routes it. */
type EmailRoute = 'api' | 'edition' | 'mail';

export function emailRouteFor(pathname: string): EmailRoute | undefined {
  if (pathname.startsWith('/api/')) return 'api';
  if (pathname === '/_dev/edition') return 'edition';
  if (pathname === '/_dev/mail') return 'mail';
  return undefined;
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
  let ses: SesEmulator;
  let clients: AwsClients;
  let siteUrl: string;
  let mailSiteUrl: string;
  // Set once the handlers are loaded; until then the email routes answer 503.
  let email: EmailPath | undefined;
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
    ses = await startSes({ port: options.sesPort ?? DEFAULT_SES_PORT });
    started.push(async () => {
      ses.client.destroy();
      await ses.close();
    });
    clients = emulatorClients(s3.endpoint, dynamo.endpoint);
    started.push(async () => {
      clients.s3.destroy();
      clients.dynamo.destroy();
    });
    await ensureStoryTable(clients.dynamo, STORY_TABLE);
    await ensureEmailTable(clients.dynamo, EMAIL_TABLE);
    await requireIndexes(clients.dynamo, STORY_TABLE, [BY_DATE_INDEX, BY_CREATED_INDEX], dataDir);
    await requireIndexes(clients.dynamo, EMAIL_TABLE, [BY_CONFIRMED_INDEX], dataDir);
    const serveSite = siteHandler(clients, reportError);
    const serve = async (request: IncomingMessage, response: ServerResponse) => {
      const route = emailRouteFor(new URL(request.url ?? '/', 'http://site').pathname);
      if (!route) return serveSite(request, response);
      if (!email) {
        response.writeHead(503, { 'Retry-After': '1' }).end('dev:cloud is starting\n');
        return;
      }
      return email[route](request, response);
    };
    site.on(
      'request',
      (request, response) =>
        void serve(request, response).catch((error: unknown) => {
          reportError(error);
          if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end('dev:cloud failed to answer: see its log\n');
        }),
    );
    const sitePort = await listen(site, options.sitePort ?? DEFAULT_SITE_PORT);
    started.push(
      () =>
        new Promise<void>((done) => {
          site.close(() => done());
          site.closeAllConnections();
        }),
    );
    siteUrl = `http://127.0.0.1:${sitePort}/`;
    mailSiteUrl = `https://127.0.0.1:${sitePort}/`;
  } catch (error) {
    await stopAll();
    throw error;
  }

  // Links in the feeds, pages and mails point at the local site server; its form posts to the local API.
  const siteConfig = { title: SITE_TITLE, siteUrl, subscribeUrl: '/api/subscribe' };
  const env: NodeJS.ProcessEnv = {
    TABLE_NAME: STORY_TABLE,
    STORY_TABLE,
    EMAIL_TABLE,
    ARTICLES_BUCKET,
    ARTICLES_PREFIX,
    SITE_BUCKET,
    TEMPLATES_DIR: resolve(options.templatesDir ?? join(REPO_ROOT, 'templates')),
    SITE_CONFIG: JSON.stringify(siteConfig),
    LIST_ID: 'digest',
    FROM_ADDRESS,
    FROM_NAME: SITE_TITLE,
  };
  // The functions that build mail refuse an http siteUrl (List-Unsubscribe); the others keep working links.
  const mailEnv = { ...env, SITE_CONFIG: JSON.stringify({ ...siteConfig, siteUrl: mailSiteUrl }) };
  // Loaded here rather than at the top so the script can quiet their loggers before they are created.
  const { makeIngestHandler } = await import('../handlers/ingest.js');
  const { makePublishHandler } = await import('../handlers/publish.js');
  const ingest = makeIngestHandler(() => composeIngest({ clients, env }));
  const publish = makePublishHandler(() => composePublish({ clients, env }));
  const store = new DynamoStore(clients.dynamo, STORY_TABLE);

  const queue = new SerialQueue(reportError);
  let pending: S3EventRecord[] = [];
  let publishTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let emailPath: EmailPath;
  try {
    emailPath = await startEmailPath({
      clients,
      ses,
      env,
      mailEnv,
      siteUrl,
      mailSiteUrl,
      log,
      reportError,
      // On AWS the table stream wakes the publisher, which then links the new edition on the home page.
      onEditionSent: () => schedulePublish(),
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
  email = emailPath;

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
    const records = batch.map((record) => sqsRecord(s3MessageBody(record), 'dev-cloud-ingest'));
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
    sesEndpoint: ses.endpoint,
    siteUrl,
    mailSiteUrl,
    // A sent edition schedules a publish, and a publish never queues mail: two rounds at most.
    idle: async () => {
      while (!(queue.isIdle && emailPath.queue.isIdle))
        await Promise.all([queue.idle(), emailPath.queue.idle()]);
    },
    close: async () => {
      closed = true;
      cancelPublish();
      pending = [];
      await queue.drain();
      await emailPath.queue.drain();
      await stopAll();
    },
  };
}

/** The commands an editor needs, with the ports actually in use. */
export function usage(
  cloud: Pick<DevCloud, 's3Endpoint' | 'dynamoEndpoint' | 'sesEndpoint' | 'siteUrl' | 'mailSiteUrl'>,
  dataDir: string,
): string {
  const { accessKeyId, secretAccessKey } = S3RVER_CREDENTIALS;
  const aws = `aws --endpoint-url ${cloud.s3Endpoint}`;
  const site = cloud.siteUrl;
  const you = 'you@example.org';
  return [
    'dev:cloud is running: the real ingest, publish, subscribe, confirm-mail, edition and sender handlers',
    'on local S3, DynamoDB and SES emulators.',
    `  S3 (s3rver)              ${cloud.s3Endpoint}   buckets ${ARTICLES_BUCKET}, ${SITE_BUCKET}`,
    `  DynamoDB (dynalite)      ${cloud.dynamoEndpoint}   tables ${STORY_TABLE}, ${EMAIL_TABLE}`,
    `  SES (aws-ses-v2-local)   ${cloud.sesEndpoint}   its mail viewer: open ${cloud.sesEndpoint}/ in a browser`,
    `  site and subscribe API   ${site}   (${site}api/*)`,
    `  data                     ${dataDir} (delete it to start afresh; sent mail is not kept)`,
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
    `Then open ${site} or: curl ${site}feed.xml`,
    '',
    'Email subscribers (the home page has the form too):',
    `  curl -d email=${you} ${site}api/subscribe`,
    'Every mail sent, as JSON (?to= filters by recipient):',
    `  curl '${site}_dev/mail?to=${you}'`,
    `The links in mails start with ${cloud.mailSiteUrl}: mail must carry an https List-Unsubscribe URL`,
    '(RFC 8058), so the mail functions refuse an http site, and nothing here speaks TLS. Each entry of',
    '/_dev/mail has them as devLinks on this http server. Confirm (GET):',
    `  curl "$(curl -s '${site}_dev/mail?to=${you}' | grep -o '${site}api/confirm?token=[A-Za-z0-9_-]*' | tail -n 1)"`,
    'Start an edition now, as the schedule does on AWS (the stories first published since the previous',
    'edition, to everyone confirmed before now); it answers with the outcome and who was mailed:',
    `  curl -X POST ${site}_dev/edition`,
    `  (one edition per minute, as on AWS: add ?at=<ISO time>, e.g. ?at=${exampleMinute()}, for another)`,
    'Unsubscribe in one click, as a mail client does (a GET of devLinks.unsubscribe shows the button):',
    `  curl -X POST "$(curl -s '${site}_dev/mail?to=${you}' | grep -o '${site}api/unsubscribe?token=[A-Za-z0-9_-]*' | tail -n 1)"`,
    'Limits as on AWS: 3 confirmation mails per address per day, 20 subscribe requests per hour from one address.',
    'Tokens are signed, and subscriber ids keyed, with fixed public development secrets: never use them in production.',
    '',
    'Ctrl-C stops.',
  ].join('\n');
}

/** The next whole minute, as an example `?at=`: a time the current minute's edition does not have. */
function exampleMinute(now = new Date()): string {
  const next = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
  return `${next.toISOString().slice(0, 16)}:00Z`;
}

/** A port environment variable that is not a port number. */
export class PortEnvError extends RangeError {
  override name = 'PortEnvError';
}

/** A port from the environment: unset means the default, 0 a free port. */
export function portFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new PortEnvError(
      `${name} must be a port number from 0 to 65535 (0 picks a free one), not "${raw}"`,
    );
  return port;
}

/** Another dev:cloud runs on the same data folder. */
export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One dev:cloud per data folder, through a pid file: a second one's dynalite fails on the
 * database lock with an exception it throws outside any caller. Returns the release.
 */
export function claimDataFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'dev-cloud.pid');
  let other = Number.NaN;
  try {
    other = Number(readFileSync(file, 'utf8').trim());
  } catch {
    // No pid file: nobody has it.
  }
  if (Number.isInteger(other) && other > 0 && other !== process.pid && isRunning(other))
    throw new DataFolderInUseError(
      `the data folder ${dataDir} is in use by another dev:cloud (process ${other}): stop it, or pass --data DIR`,
    );
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}

/** One entry per option: the parser and `--help` both read this table. */
const DEV_CLOUD_COMMAND = defineCommand({
  invocation: 'npm run dev:cloud --',
  synopsis: 'npm run dev:cloud -- [options]',
  description: `Runs the cloud path (feeds and email) on local S3, DynamoDB and SES emulators, with the real
handlers, and serves the site and the subscribe API over HTTP. Ctrl-C stops.`,
  options: {
    seed: { type: 'boolean', default: false, help: 'upload articles/* into the articles bucket at start' },
    data: {
      type: 'string',
      value: 'DIR',
      help: 'where the buckets and tables are kept between runs (default: .dev-cloud)',
    },
  },
  epilogue: `Environment: S3_PORT (default ${DEFAULT_S3_PORT}), SITE_PORT (default ${DEFAULT_SITE_PORT}), SES_PORT (default ${DEFAULT_SES_PORT}); 0 picks a free port.

Exit status: 0 after Ctrl-C, 2 when it cannot start (a bad option or port, a port in use, a data folder
that is old or in use).`,
  userErrors: [PortEnvError, DevCloudStaleDataError, DataFolderInUseError, FolderError],
});

/** Why the emulators or the site server could not start, in a line that says what to change; undefined if unknown. */
function startProblem(error: unknown, ports: Record<string, number>): string | undefined {
  const failed = error as NodeJS.ErrnoException & { port?: number };
  const variable = (port: number | undefined) => Object.entries(ports).find(([, p]) => p === port)?.[0];
  if (error instanceof SesListenError) {
    return `port ${ports.SES_PORT} (SES_PORT) cannot be used by the SES emulator, most likely another program has it: set SES_PORT to another port, or 0 for any free port`;
  }
  if (failed?.code === 'EADDRINUSE' || (failed?.code === 'EACCES' && failed.syscall === 'listen')) {
    const name = variable(failed.port);
    const which = `port ${failed.port ?? '?'}${name ? ` (${name})` : ''}`;
    const why =
      failed.code === 'EADDRINUSE'
        ? 'is in use by another program'
        : 'cannot be used: permission denied (ports below 1024 need root)';
    return `${which} ${why}: set ${name ?? 'S3_PORT, SITE_PORT or SES_PORT'} to another port, or 0 for any free port`;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  return runCommand(DEV_CLOUD_COMMAND, argv, async (values) => {
    const ports = {
      S3_PORT: portFromEnv('S3_PORT', DEFAULT_S3_PORT),
      SITE_PORT: portFromEnv('SITE_PORT', DEFAULT_SITE_PORT),
      SES_PORT: portFromEnv('SES_PORT', DEFAULT_SES_PORT),
    };
    const dataDir = resolve(values.data ?? join(REPO_ROOT, '.dev-cloud'));
    requireWritableFolder(dataDir, { what: 'data folder', fix: 'pass --data DIR' });
    if (values.seed)
      requireReadableFolder(join(REPO_ROOT, 'articles'), {
        what: 'articles folder',
        fix: 'start without --seed',
      });
    const release = claimDataFolder(dataDir);
    // The handlers' JSON logs repeat what the one-line summaries say; warnings and errors still show.
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    let cloud: DevCloud;
    try {
      cloud = await startDevCloud({
        s3Port: ports.S3_PORT,
        sitePort: ports.SITE_PORT,
        sesPort: ports.SES_PORT,
        seed: values.seed,
        dataDir,
      });
    } catch (error) {
      release();
      const problem = startProblem(error, ports);
      if (problem) throw new UserError(`dev:cloud could not start: ${problem}`, { cause: error });
      throw error;
    }
    console.log(usage(cloud, dataDir));
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping…`);
      await cloud.close();
      release();
      // Anything still holding the event loop (a stray keep-alive socket) must not keep the terminal.
      setTimeout(() => process.exit(0), 2000).unref();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    return EXIT_OK;
  });
}
