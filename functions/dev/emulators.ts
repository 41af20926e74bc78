/**
 * Local stand-ins for S3, DynamoDB and SES: s3rver, dynalite and aws-ses-v2-local, started in-process on 127.0.0.1. Used by
 * `npm run dev:cloud` and by the cloud adapters' tests (through `test/helpers/emulators.ts`). Both are
 * dev dependencies: nothing a Lambda bundle imports may import this file. Neither package ships type
 * declarations, so they are loaded through `createRequire` and typed here with the little that is used.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { type AwsClients, createAwsClients, createSesClient } from '../adapters/aws/clients.js';
import { encodeS3Key } from '../adapters/aws/sqs-enqueue.js';

export {
  BY_CONFIRMED_INDEX,
  createEmailTable,
  createStoryTable,
  ensureEmailTable,
  ensureStoryTable,
  missingIndexes,
} from './emulator-tables.js';

const require = createRequire(import.meta.url);

/** One S3 event record, as s3rver emits it: `{ Records: [record] }` is the body S3 sends to a queue. */
export interface S3EventRecord {
  eventName: string;
  eventTime: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; eTag?: string; sequencer: string; versionId?: string };
  };
}

interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: S3EventRecord[] }) => void): void;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverServer;

interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
}
type DynaliteFactory = (options: Record<string, unknown>) => DynaliteServer;

interface SesServer {
  address(): AddressInfo | string | null;
  close(callback: (error?: Error) => void): void;
}
type SesServerFactory = (config: { host: string; port: number }) => Promise<SesServer>;

/** s3rver accepts only these; any region works. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const REGION = 'us-east-1';

export interface S3Emulator {
  endpoint: string;
  server: S3rverServer;
  /**
   * Every event record since start, in order. Unlike S3, s3rver neither URL-encodes keys (see
   * `s3MessageBody`) nor orders sequencers within one millisecond (they are `Date.now()` in hex).
   */
  events: S3EventRecord[];
  close(): Promise<void>;
}

export interface S3EmulatorOptions {
  /** Created at start when missing. */
  buckets?: string[];
  /** @default 0 (a free port) */
  port?: number;
  /** Where objects are stored; kept on close. Without it, a temporary folder removed on close. */
  directory?: string;
}

export async function startS3(options: S3EmulatorOptions = {}): Promise<S3Emulator> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const temporary = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 's3rver-'));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    port: options.port ?? 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const events: S3EventRecord[] = [];
  server.on('event', (notification) => events.push(...notification.Records));
  // s3rver leaves its listen error unhandled, which ends the process with a stack trace: a port
  // in use is found here first, as the usual error (code EADDRINUSE, with the port).
  if (options.port) await portFree(options.port);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    events,
    close: async () => {
      await server.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Resolves when `port` on 127.0.0.1 can be listened on; rejects with the listen error otherwise. */
function portFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** The queue message body S3 itself would send for these records: keys URL-encoded, spaces as `+`. */
export function s3MessageBody(...records: S3EventRecord[]): string {
  return JSON.stringify({
    Records: records.map((record) => ({
      ...record,
      s3: { ...record.s3, object: { ...record.s3.object, key: encodeS3Key(record.s3.object.key) } },
    })),
  });
}

export interface DynamoEmulator {
  endpoint: string;
  close(): Promise<void>;
}

export interface DynamoEmulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** A LevelDB folder that keeps the tables across restarts. Without it, tables live in memory. */
  path?: string;
}

export async function startDynamo(options: DynamoEmulatorOptions = {}): Promise<DynamoEmulator> {
  const dynalite = require('dynalite') as DynaliteFactory;
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) =>
    server.listen(options.port ?? 0, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('dynalite did not report a TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** One message as aws-ses-v2-local keeps it (`GET /store`); it drops the headers of raw mail. */
export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Epoch seconds. */
  at: number;
}

export interface SesEmulator {
  endpoint: string;
  client: SESv2Client;
  /** Every message sent since start (or the last `clear`). */
  store(): Promise<StoredMail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface SesEmulatorOptions {
  /** What `GetAccount` reports as `SendQuota.MaxSendRate`. @default 14 */
  maxSendRate?: number;
  /** @default 0 (a free port) */
  port?: number;
}

/** aws-ses-v2-local did not start listening; it does not say why, and a port in use is the usual cause. */
export class SesListenError extends Error {
  override name = 'SesListenError';
}

/**
 * aws-ses-v2-local on 127.0.0.1 (a free port unless told). Its mail store and its `GetAccount` answer are
 * process-wide (a module variable and `process.env.AWS_SES_ACCOUNT`): one emulator per test file.
 */
export async function startSes(options: SesEmulatorOptions = {}): Promise<SesEmulator> {
  process.env.AWS_SES_ACCOUNT = JSON.stringify({
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: 'EN',
      MailType: 'MARKETING',
      ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
      UseCaseDescription: 'local emulator',
      WebsiteURL: 'https://news.example.org/',
    },
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 50_000, MaxSendRate: options.maxSendRate ?? 14, SentLast24Hours: 0 },
    SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  });
  const start = (require('aws-ses-v2-local') as { default: SesServerFactory }).default;
  const port = options.port ?? 0;
  const server = await start({ host: '127.0.0.1', port });
  const address = server.address();
  // It resolves even when listening failed, and drops the error: no address is all that is left of it.
  if (!address || typeof address === 'string')
    throw new SesListenError(`aws-ses-v2-local could not listen on 127.0.0.1:${port} (is the port in use?)`);
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    client: createSesClient({
      region: REGION,
      credentials: S3RVER_CREDENTIALS,
      endpoints: { ses: endpoint },
    }),
    store: async () => {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new Error(`aws-ses-v2-local /store answered ${response.status}`);
      return ((await response.json()) as { emails: StoredMail[] }).emails;
    },
    clear: async () => {
      const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
      if (!response.ok) throw new Error(`aws-ses-v2-local /clear-store answered ${response.status}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Clients pointed at the emulators (s3rver accepts only its own credentials; dynalite accepts any). */
export function emulatorClients(s3Endpoint: string, dynamoEndpoint: string): AwsClients {
  return createAwsClients({
    region: REGION,
    credentials: S3RVER_CREDENTIALS,
    forcePathStyle: true,
    endpoints: { s3: s3Endpoint, dynamodb: dynamoEndpoint },
  });
}
