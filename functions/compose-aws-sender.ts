/**
 * The sender function's composition root: SES, the send ledger, the pacer and the keyring. No
 * renderer: the edition function stored each edition's finished parts.
 */
import { randomUUID } from 'node:crypto';
import { createDocumentClient, createSecretsClient, createSesClient } from './adapters/aws/clients.js';
import { DynamoEditionStore } from './adapters/aws/edition-store.js';
import { SecretsKeyring } from './adapters/aws/secrets-keyring.js';
import { DynamoSendLedger } from './adapters/aws/send-ledger.js';
import { SesMailer } from './adapters/aws/ses-mailer.js';
import { DynamoSubscriberStore } from './adapters/aws/subscriber-store.js';
import {
  DEFAULT_SEND_CONCURRENCY,
  type EditionComposeOptions,
  EmailConfigError,
  listIdOf,
  realSleep,
  siteConfigOf,
} from './compose-aws-email.js';
import type { EditionContent } from './core/email/edition-ports.js';
import type { SenderDeps } from './core/email/send-chunk.js';
import { senderIdentity } from './core/email/send-message.js';
import { SendPacer } from './core/email/send-pacer.js';
import type { Clock } from './core/ports.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';

/** Not imported from `compose-aws.ts`, which would pull the S3 adapters into this bundle. */
const systemClock: Clock = { now: () => new Date() };

/** Editions the sender keeps in memory: they are immutable once queued. */
const CONTENT_CACHE_SIZE = 4;

export function composeSender(options: EditionComposeOptions = {}): SenderDeps {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  const emailTable = getStringFromEnv('EMAIL_TABLE', env);
  const config = siteConfigOf(env);
  // RFC 8058: the one-click unsubscribe URL is built on the site URL and must be https.
  if (!config.siteUrl.startsWith('https://')) {
    throw new EmailConfigError(
      `SITE_CONFIG siteUrl must be https for List-Unsubscribe, got ${config.siteUrl}`,
    );
  }
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const configurationSet = env.CONFIGURATION_SET?.trim();
  const ses =
    options.mailer && options.quota
      ? undefined
      : new SesMailer(
          options.clients?.ses ?? createSesClient(),
          configurationSet ? { configurationSet } : {},
        );
  const editions = new DynamoEditionStore(dynamo, emailTable);
  return {
    directory: options.directory ?? new DynamoSubscriberStore(dynamo, emailTable),
    content: contentCache((id) => editions.getContent(id)),
    ledger: new DynamoSendLedger(dynamo, emailTable),
    mailer: options.mailer ?? ses!,
    // One pacer per container: the composition runs once per cold start.
    pacer: new SendPacer({
      quota: options.quota ?? ses!,
      concurrency: getIntFromEnv('SEND_CONCURRENCY', DEFAULT_SEND_CONCURRENCY, env),
      clock,
      sleep,
    }),
    keyring:
      options.keyring ??
      new SecretsKeyring(
        options.clients?.secrets ?? createSecretsClient(),
        getStringFromEnv('TOKEN_SECRET_ARN', env),
      ),
    clock,
    sleep,
    random: options.random ?? Math.random,
    newAttemptId: randomUUID,
    from: senderIdentity(getStringFromEnv('FROM_ADDRESS', env), env.FROM_NAME?.trim() || config.title),
    listId: listIdOf(env),
    siteUrl: config.siteUrl,
    ...(options.log ? { log: options.log } : {}),
  };
}

/** Content of the editions being sent, read once per container (it never changes once queued). */
function contentCache(
  read: (editionId: string) => Promise<EditionContent | undefined>,
): (editionId: string) => Promise<EditionContent | undefined> {
  const cache = new Map<string, EditionContent>();
  return async (editionId) => {
    const hit = cache.get(editionId);
    if (hit) return hit;
    const content = await read(editionId);
    if (content) {
      if (cache.size >= CONTENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(editionId, content);
    }
    return content;
  };
}
