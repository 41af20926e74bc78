/**
 * `npm run dev:cloud`: parses the options, claims the data folder, starts the emulators and the real
 * handlers (`functions/dev/dev-cloud.ts`), prints the commands an editor needs, and stops on Ctrl-C.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FolderError, requireReadableFolder, requireWritableFolder } from '../../adapters/local/folders.js';
import {
  ARTICLES_BUCKET,
  ARTICLES_PREFIX,
  DEFAULT_S3_PORT,
  DEFAULT_SES_PORT,
  DEFAULT_SITE_PORT,
  type DevCloud,
  DevCloudStaleDataError,
  EMAIL_TABLE,
  REPO_ROOT,
  SITE_BUCKET,
  STORY_TABLE,
  startDevCloud,
} from '../../dev/dev-cloud.js';
import { REGION, S3RVER_CREDENTIALS, SesListenError } from '../../dev/emulators.js';
import { defineCommand, EXIT_OK, runCommand, UserError } from '../support.js';

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

/**
 * `npm run dev:cloud | head -1`, or a closed terminal: the reader is gone, and a write to the pipe fails
 * with EPIPE, which Node would throw as an uncaught error, killing the emulators. The log has no reader
 * any more, so lines are dropped from then on and the emulators and the site keep running.
 */
export function keepRunningWhenOutputCloses(
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
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
    keepRunningWhenOutputCloses();
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
