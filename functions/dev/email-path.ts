/**
 * The email path of `npm run dev:cloud`: the REAL subscribe API, confirm mailer, edition and sender
 * handlers on dynalite and aws-ses-v2-local. What has no emulator is replaced in-process: the
 * subscribe queue and the outbox by one serial queue drained into their consumers at once (SQS with
 * a reserved concurrency of 1), Secrets Manager by fixed development secrets, EventBridge
 * Scheduler by `POST /_dev/edition`, and CloudFront by the site server, which adds the viewer address
 * and the secret origin header to every `/api/*` request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SQSEvent } from 'aws-lambda';
import type { AwsClients } from '../adapters/aws/clients.js';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import { outboxBody } from '../adapters/aws/sqs-outbox.js';
import { idKeyFromText, keyringFromJson, originSecretsFromJson } from '../adapters/fixed-secrets.js';
import { readBuiltTemplates } from '../adapters/local/templates.js';
import {
  composeConfirmMailer,
  DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY,
} from '../compose/confirm-mailer.js';
import { composeEdition } from '../compose/edition.js';
import { composeSender } from '../compose/sender.js';
import { composeSubscribeApi } from '../compose/subscribe-api.js';
import { InvalidScheduleTimeError, scheduledEdition } from '../core/email/edition-id.js';
import type { EditionSendMessage, Outbox } from '../core/email/edition-ports.js';
import type { EditionOutcome } from '../core/email/edition-run.js';
import type { MailSender, OutgoingMail } from '../core/email/ports.js';
import type { SubscribeQueue, SubscribeRequest } from '../core/email/subscriptions.js';
import { ConfirmationRenderer } from '../core/render/confirmation.js';
import type { SesEmulator, StoredMail } from './emulators.js';
import { functionUrlEvent, RequestTooLargeError, readBody, writeResult } from './lambda-url.js';
import { SerialQueue } from './serial-queue.js';
import { sqsRecord } from './sqs-record.js';

/**
 * The token secret of every dev:cloud run. NOT FOR PRODUCTION: it is public, so anyone could forge
 * confirm and unsubscribe links with it. On AWS the keyring lives in Secrets Manager.
 */
export const DEV_KEYRING_JSON = JSON.stringify({
  current: 1,
  keys: { '1': 'dev-cloud-only-NOT-FOR-PRODUCTION-public-token-secret' },
});

/** The subscriber id key of every dev:cloud run: as public as the keyring above, so as unfit for production. */
export const DEV_ID_KEY = 'dev-cloud-only-NOT-FOR-PRODUCTION-public-subscriber-id-key';

/**
 * The secret origin header value the site server adds to `/api/*` requests, as CloudFront does on AWS,
 * and the subscribe API requires. Public like the two above: it proves nothing outside dev:cloud.
 */
export const DEV_ORIGIN_HEADER = 'dev-cloud-only-NOT-FOR-PRODUCTION-public-origin-header';
const DEV_ORIGIN_SECRET_JSON = JSON.stringify({ h1: DEV_ORIGIN_HEADER });

/** Receives of one outbox message before it is dropped (on AWS: the dead-letter queue after 5). */
export const OUTBOX_MAX_RECEIVES = 3;

export interface EmailPathOptions {
  clients: Pick<AwsClients, 'dynamo' | 's3'>;
  ses: SesEmulator;
  /** The environment of the subscribe API and edition functions. */
  env: NodeJS.ProcessEnv;
  /**
   * The confirm mailer's and the sender's: every mail carries a List-Unsubscribe URL built on the
   * SITE_CONFIG siteUrl, which must be https (RFC 8058), so theirs is `mailSiteUrl`.
   */
  mailEnv: NodeJS.ProcessEnv;
  /** The local site server, `http://127.0.0.1:<port>/`. */
  siteUrl: string;
  /** The same server with `https`, which nothing answers: the links in mails start with it. */
  mailSiteUrl: string;
  log: (line: string) => void;
  reportError: (error: unknown) => void;
  /** An edition was sent: the publisher should render the home page's digest link. */
  onEditionSent: () => void;
  /** The edition handler returned; its outbox is not yet sent (see DevCloudOptions). */
  onEditionHandled?: () => void;
}

/**
 * One entry of `GET /_dev/mail`: the mail as the SES emulator stored it, and its confirm and
 * unsubscribe links on the local http server (the mail's own links are https: see `mailSiteUrl`).
 */
export type DevMail = StoredMail & { devLinks: { confirm?: string; unsubscribe?: string } };

/** What `POST /_dev/edition` answers: the edition handler's outcome, the time it ran for, and who was mailed. */
export type DevEditionResult = EditionOutcome & { scheduledTime: string; mailed: string[] };

export interface EmailPath {
  /** `/api/*`: the subscribe API behind its Function URL. */
  api(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** `/_dev/edition`: POST starts an edition now (or at `?at=`), then sends it. */
  edition(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** `/_dev/mail`: the mails in the SES emulator's store, as `DevMail` JSON (`?to=` filters by recipient). */
  mail(request: IncomingMessage, response: ServerResponse): Promise<void>;
  runEdition(scheduledTime: string): Promise<DevEditionResult>;
  /** The subscribe queue and the outbox: idle when every queued mail is sent. */
  queue: SerialQueue;
}

interface SentMail {
  to: string;
  edition?: string;
}

/** The real SES mailer, with one log line per accepted message so the editor sees mail go out. */
class LoggingMailer implements MailSender {
  readonly sent: SentMail[] = [];

  constructor(
    private readonly inner: MailSender,
    private readonly log: (line: string) => void,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const result = await this.inner.send(mail);
    const edition = mail.tags?.edition;
    this.sent.push(edition ? { to: mail.to, edition } : { to: mail.to });
    this.log(`mail: ${edition ? `edition ${edition}` : 'confirmation'} to ${mail.to}`);
    return result;
  }
}

const json = (response: ServerResponse, status: number, body: unknown) =>
  response
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
    .end(`${JSON.stringify(body, null, 2)}\n`);

export async function startEmailPath(options: EmailPathOptions): Promise<EmailPath> {
  const { clients, ses, env, mailEnv, log, reportError } = options;
  // Loaded here so the caller can quiet their loggers before they are created.
  const { makeSubscribeApiHandler } = await import('../handlers/subscribe-api.js');
  const { makeConfirmMailerHandler } = await import('../handlers/confirm-mailer.js');
  const { makeEditionHandler } = await import('../handlers/edition.js');
  const { makeSenderHandler } = await import('../handlers/sender.js');

  const keyring = keyringFromJson(DEV_KEYRING_JSON, 'dev:cloud keyring');
  const idKey = idKeyFromText(DEV_ID_KEY, 'dev:cloud subscriber id key');
  const mailer = new LoggingMailer(new SesMailer(ses.client), log);
  const queue = new SerialQueue(reportError);
  const dynamoAndSes = { dynamo: clients.dynamo, ses: ses.client };

  const subscribeQueue: SubscribeQueue = {
    async enqueue(request) {
      queue.push(() => runConfirm(request));
    },
  };
  const outbox: Outbox = {
    async enqueue(messages) {
      for (const message of messages) queue.push(() => runSender(message));
    },
  };

  const api = makeSubscribeApiHandler(() =>
    composeSubscribeApi({
      clients: { dynamo: clients.dynamo },
      env,
      keyring,
      queue: subscribeQueue,
      origin: originSecretsFromJson(DEV_ORIGIN_SECRET_JSON, 'dev:cloud origin secret'),
    }),
  );
  const confirmMailer = makeConfirmMailerHandler(() =>
    composeConfirmMailer(
      async (dir, config) => ConfirmationRenderer.create(await readBuiltTemplates(dir), config),
      { clients: dynamoAndSes, env: mailEnv, keyring, idKey, mailer },
    ),
  );
  const sender = makeSenderHandler(() =>
    composeSender({
      clients: dynamoAndSes,
      env: mailEnv,
      keyring,
      mailer,
      log: { warn: (message, fields) => log(`sender: ${message} ${JSON.stringify(fields)}`) },
    }),
  );
  const dailyCap = env.CONFIRMATIONS_PER_ADDRESS_PER_DAY ?? DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY;

  async function runConfirm(request: SubscribeRequest): Promise<void> {
    const before = mailer.sent.length;
    const body = JSON.stringify({
      kind: request.kind,
      address: request.address,
      requestedAt: request.requestedAt,
    });
    const failed = await invoke(confirmMailer, body, 'dev-cloud-subscribe');
    if (failed) {
      log(`subscribe ${request.address}: the confirm mailer failed (see above); subscribe again to retry`);
    } else if (mailer.sent.length === before) {
      log(
        `subscribe ${request.address}: no confirmation mail (already confirmed or suppressed, or ${dailyCap} sent today)`,
      );
    }
  }

  async function runSender(message: EditionSendMessage): Promise<void> {
    const body = outboxBody(message);
    const what = `chunk of ${message.subscriberIds.length} for ${message.editionId}`;
    // As SQS would after the visibility timeout, without the wait: the ledger makes a retry safe.
    for (let receive = 1; receive <= OUTBOX_MAX_RECEIVES; receive++) {
      if (!(await invoke(sender, body, 'dev-cloud-outbox', receive))) return;
      log(`sender: ${what} failed (receive ${receive} of ${OUTBOX_MAX_RECEIVES})`);
    }
    log(`sender: ${what} dropped (on AWS it would wait in the dead-letter queue)`);
  }

  async function runEdition(scheduledTime: string): Promise<DevEditionResult> {
    // Composed per run, as a cold start would: an edited digest template shows in the next edition.
    const edition = makeEditionHandler(() =>
      composeEdition({ clients: { dynamo: clients.dynamo, s3: clients.s3 }, env, outbox }),
    );
    const before = mailer.sent.length;
    queue.hold();
    let outcome: EditionOutcome;
    try {
      outcome = await edition({ scheduledTime });
      options.onEditionHandled?.();
      // The outbox messages were queued during the run: wait until the sender has had them all.
      await queue.drain();
    } finally {
      queue.release();
    }
    const mailed = mailer.sent
      .slice(before)
      .filter((mail) => mail.edition === outcome.editionId)
      .map((mail) => mail.to);
    log(`edition ${outcome.editionId}: ${editionSummary(outcome, mailed.length)}`);
    if (outcome.action === 'sent') options.onEditionSent();
    return { ...outcome, scheduledTime, mailed };
  }

  return {
    queue,
    runEdition,
    async api(request, response) {
      let body: Buffer;
      try {
        body = await readBody(request);
      } catch (error) {
        if (!(error instanceof RequestTooLargeError)) throw error;
        response.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Request too large\n');
        return;
      }
      writeResult(response, await api(functionUrlEvent(request, body, DEV_ORIGIN_HEADER)));
    },
    async edition(request, response) {
      if (request.method !== 'POST') {
        response
          .writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' })
          .end('POST starts an edition: curl -X POST <site>/_dev/edition[?at=<ISO time>]\n');
        return;
      }
      const at = new URL(request.url ?? '/', 'http://dev-cloud').searchParams.get('at');
      const scheduledTime = at ?? new Date().toISOString();
      try {
        // Checked here as the handler would, so a typo is a 400 rather than the handler's error log.
        scheduledEdition(scheduledTime);
      } catch (error) {
        if (!(error instanceof InvalidScheduleTimeError)) throw error;
        json(response, 400, { error: error.message });
        return;
      }
      try {
        json(response, 200, await runEdition(scheduledTime));
      } catch (error) {
        reportError(error);
        json(response, 500, { error: error instanceof Error ? error.message : String(error) });
      }
    },
    async mail(request, response) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const to = new URL(request.url ?? '/', 'http://dev-cloud').searchParams.get('to')?.toLowerCase();
      const mails = (await ses.store()).filter(
        (mail) => !to || mail.destination.to.some((address) => address.toLowerCase() === to),
      );
      json(
        response,
        200,
        mails.map(
          (mail): DevMail => ({ ...mail, devLinks: devLinks(mail, options.mailSiteUrl, options.siteUrl) }),
        ),
      );
    },
  };
}

/** One handler run on a one-record SQS event; true when the record failed. */
async function invoke(
  handler: (event: SQSEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>,
  body: string,
  queueName: string,
  receive = 1,
): Promise<boolean> {
  const record = sqsRecord(body, queueName, receive);
  try {
    const { batchItemFailures } = await handler({ Records: [record] });
    return batchItemFailures.some((failure) => failure.itemIdentifier === record.messageId);
  } catch {
    // Powertools throws when every record of the batch failed; the handler logged why.
    return true;
  }
}

/** The mail's confirm and unsubscribe links, moved from `mailSiteUrl` (no TLS there) to the http server. */
export function devLinks(mail: StoredMail, mailSiteUrl: string, siteUrl: string): DevMail['devLinks'] {
  const text = `${mail.body.text ?? ''}\n${mail.body.html ?? ''}`;
  const links: DevMail['devLinks'] = {};
  for (const kind of ['confirm', 'unsubscribe'] as const) {
    const token = new RegExp(`${escapeRegExp(mailSiteUrl)}api/${kind}\\?token=([A-Za-z0-9_-]+)`).exec(
      text,
    )?.[1];
    if (token) links[kind] = `${siteUrl}api/${kind}?token=${token}`;
  }
  return links;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function editionSummary(outcome: EditionOutcome, mails: number): string {
  switch (outcome.action) {
    case 'sent':
      return `sent, ${outcome.stories} ${outcome.stories === 1 ? 'story' : 'stories'}, ${outcome.recipients} recipient(s), ${mails} mail(s) → ${outcome.archived}`;
    case 'empty':
      return 'empty: no story first published since the previous edition, so no mail';
    case 'duplicate':
      return `already ${outcome.status}: one edition per minute (POST /_dev/edition?at=<a later ISO time> for another)`;
  }
}
