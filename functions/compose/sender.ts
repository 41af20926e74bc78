/**
 * The sender function's composition root: SES, the send ledger, the pacer and the keyring. No
 * renderer: the edition function stored each edition's finished parts.
 */
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../adapters/aws/clients.js';
import { sleep as realSleep } from '../adapters/aws/concurrency.js';
import { DynamoEditionStore } from '../adapters/aws/edition-store.js';
import { DynamoSendLedger } from '../adapters/aws/send-ledger.js';
import { DynamoSubscriberStore } from '../adapters/aws/subscriber-store.js';
import type { EditionContent } from '../core/email/edition-ports.js';
import type { SenderDeps } from '../core/email/send-chunk.js';
import { SendPacer } from '../core/email/send-pacer.js';
import {
  DEFAULT_SEND_CONCURRENCY,
  type EditionComposeOptions,
  keyringOf,
  listIdOf,
  mailSiteUrlOf,
  senderOf,
  sesMailerOf,
} from './email.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';
import { clockOf, siteConfigOf } from './shared.js';

/** Editions the sender keeps in memory: they are immutable once queued. */
const CONTENT_CACHE_SIZE = 4;

export function composeSender(options: EditionComposeOptions = {}): SenderDeps {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  const emailTable = getStringFromEnv('EMAIL_TABLE', env);
  const config = siteConfigOf(env);
  const siteUrl = mailSiteUrlOf(config);
  const clock = clockOf(options, env);
  const sleep = options.sleep ?? realSleep;
  const ses = options.mailer && options.quota ? undefined : sesMailerOf(options.clients?.ses, env);
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
    keyring: keyringOf(options, env),
    clock,
    sleep,
    random: options.random ?? Math.random,
    newAttemptId: randomUUID,
    from: senderOf(env, config),
    listId: listIdOf(env),
    siteUrl,
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
