/**
 * The cloud path on a laptop (`npm run dev:cloud`, command in `cli/commands/dev-cloud.ts`), no AWS
 * account: s3rver for S3, dynalite for DynamoDB, aws-ses-v2-local for SES. The REAL ingest and publish
 * handlers run on S3's own event records wrapped as S3's SQS bodies; the site bucket is served over HTTP
 * with the REAL subscribe API at `/api/*` (the email path: `dev/email-path.ts`). Replaced: SQS and the
 * table stream (in-process queues, batches of at most 10; a debounced publish), CloudFront, Secrets
 * Manager (a development keyring) and the edition schedule (`POST /_dev/edition`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../adapters/aws/clients.js';
import { DynamoTable } from '../adapters/aws/dynamo-table.js';
import { BY_CREATED_INDEX, BY_DATE_INDEX } from '../adapters/aws/story-items.js';
import { writeBuiltTemplates } from '../adapters/local/template-build.js';
import { composeIngest } from '../compose/ingest.js';
import { composePublish } from '../compose/publish.js';
import { type EmailPath, startEmailPath } from './email-path.js';
import { DevCloudStaleDataError, requireIndexes } from './emulator-tables.js';
import {
  BY_CONFIRMED_INDEX,
  type DynamoEmulator,
  emulatorClients,
  ensureEmailTable,
  ensureStoryTable,
  type S3Emulator,
  type S3EventRecord,
  type SesEmulator,
  s3MessageBody,
  startDynamo,
  startS3,
  startSes,
} from './emulators.js';
import { batchLine, INGEST_BATCH_SIZE } from './ingest-batches.js';
import { ingestOutcome } from './ingest-outcome.js';
import { SerialQueue } from './serial-queue.js';
import { emailRouteFor, listen, siteHandler } from './site-server.js';
import { sqsRecord } from './sqs-record.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export { DevCloudStaleDataError };

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
  /** s3rver objects and dynalite tables, kept across restarts (sent mail is not). @default `.dev-cloud/` */
  dataDir?: string;
  /** @default the repository's `articles/` */
  articlesDir?: string;
  /** The template sources, built into `dataDir/templates` at start. @default the repository's `templates/` */
  templatesDir?: string;
  /** One line per ingested object and per publish. @default console.log */
  log?: (line: string) => void;
  /** An edition's handler returned, its outbox not yet sent: the cost counters split the two there. */
  onEditionHandled?: () => void;
}

export interface DevCloud {
  s3Endpoint: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  /** Ends with `/`. */
  siteUrl: string;
  /**
   * The site URL of the links in mails: `siteUrl` with `https`, as a List-Unsubscribe URL must be
   * (RFC 8058). Nothing answers TLS there: `/_dev/mail` gives each mail's links on `siteUrl` too.
   */
  mailSiteUrl: string;
  /** Resolves when the queued ingests, the pending publish and the queued mails are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A failed handler run, reported on the log; the emulators keep running. */
export class DevCloudHandlerError extends Error {
  override name = 'DevCloudHandlerError';
  constructor(what: string, options: { cause: unknown }) {
    super(`${what} failed: ${String((options.cause as Error)?.stack ?? options.cause)}`, options);
  }
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
  // The functions read the built templates, as the stack ships them (MJML compiled by the bundling step).
  const templatesDir = join(dataDir, 'templates');
  try {
    await writeBuiltTemplates(resolve(options.templatesDir ?? join(REPO_ROOT, 'templates')), templatesDir);
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
    const serveSite = siteHandler(clients, SITE_BUCKET, reportError);
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
    STORY_TABLE,
    EMAIL_TABLE,
    ARTICLES_BUCKET,
    ARTICLES_PREFIX,
    SITE_BUCKET,
    TEMPLATES_DIR: templatesDir,
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
  const outcomeLine = ingestOutcome(new DynamoTable(clients.dynamo, STORY_TABLE), ARTICLES_PREFIX);

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
      onEditionHandled: options.onEditionHandled,
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
  email = emailPath;

  let batches = 0;
  const runIngest = async () => {
    // At most 10 records per batch, as the SQS mapping hands them; the rest wait for the next one.
    const batch = pending.splice(0, INGEST_BATCH_SIZE);
    if (batch.length === 0) return;
    if (pending.length > 0) queue.push(runIngest);
    const started = Date.now();
    const records = batch.map((record) => sqsRecord(s3MessageBody(record), 'dev-cloud-ingest'));
    let failures: Set<string>;
    try {
      const response = await ingest({ Records: records });
      failures = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (cause) {
      reportError(new DevCloudHandlerError('ingest', { cause }));
      failures = new Set(records.map((record) => record.messageId));
    }
    const outcomes: string[] = [];
    for (const [i, record] of batch.entries())
      outcomes.push(await outcomeLine(record, failures.has(records[i]!.messageId)));
    for (const line of outcomes) log(`ingest ${line}`);
    log(batchLine(++batches, outcomes, Date.now() - started));
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
      // A run takes up to 10 pending events and queues the next run while any are left.
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
