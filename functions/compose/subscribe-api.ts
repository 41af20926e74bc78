/**
 * The composition root of the subscription functions (subscribe API, confirm mailer, bounces), apart
 * from the other roots so their bundles carry only the clients they use. Tests inject clients pointed
 * at dynalite and aws-ses-v2-local, the secrets (Secrets Manager has no emulator) and a queue.
 */
import { resolve } from 'node:path';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSecretsClient, createSqsClient } from '../adapters/aws/clients.js';
import { SecretsOriginSecrets } from '../adapters/aws/secrets.js';
import { SqsSubscribeQueue } from '../adapters/aws/sqs-subscribe-queue.js';
import { DynamoRateLimiter, DynamoSubscriberStore } from '../adapters/aws/subscriber-store.js';
import type { BounceDeps } from '../core/email/bounces.js';
import type {
  KeyringSource,
  MailSender,
  OriginSecretSource,
  SubscriberIdKeySource,
} from '../core/email/ports.js';
import type { SubscribeApiDeps } from '../core/email/subscribe-http.js';
import type { ConfirmMailerDeps } from '../core/email/subscribe-mailer.js';
import type { SubscribeQueue } from '../core/email/subscriptions.js';
import type { SiteConfig } from '../core/model.js';
import { type Clock, systemClock } from '../core/ports.js';
import type { ConfirmationRender } from '../core/render/confirmation.js';
import {
  DEFAULT_LIST_ID,
  idKeyOf,
  keyringOf,
  listIdOf,
  mailSiteUrlOf,
  senderOf,
  sesMailerOf,
  siteConfigOf,
} from './email.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';

export { DEFAULT_LIST_ID };
export const DEFAULT_SUBSCRIBES_PER_SOURCE_PER_HOUR = 20;
export const DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3;

export interface SubscribeClients {
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
  secrets: SecretsManagerClient;
  ses: SESv2Client;
}

export interface SubscribeComposeOptions {
  clients?: Partial<SubscribeClients>;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Instead of Secrets Manager (TOKEN_SECRET_ARN). */
  keyring?: KeyringSource;
  /** Instead of Secrets Manager (ID_KEY_SECRET_ARN). */
  idKey?: SubscriberIdKeySource;
  /** Instead of Secrets Manager (ORIGIN_SECRET_ARN). */
  origin?: OriginSecretSource;
  /** Instead of SQS (SUBSCRIBE_QUEUE_URL). */
  queue?: SubscribeQueue;
  /** Instead of SES. */
  mailer?: MailSender;
}

export function composeSubscribeApi(options: SubscribeComposeOptions = {}): SubscribeApiDeps {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  const table = getStringFromEnv('EMAIL_TABLE', env);
  const config = siteConfigOf(env);
  return {
    store: new DynamoSubscriberStore(dynamo, table),
    limiter: new DynamoRateLimiter(dynamo, table),
    queue:
      options.queue ??
      new SqsSubscribeQueue(
        options.clients?.sqs ?? createSqsClient(),
        getStringFromEnv('SUBSCRIBE_QUEUE_URL', env),
      ),
    keyring: keyringOf(options, env),
    listId: listIdOf(env),
    perSourcePerHour: getIntFromEnv(
      'SUBSCRIBES_PER_SOURCE_PER_HOUR',
      DEFAULT_SUBSCRIBES_PER_SOURCE_PER_HOUR,
      env,
    ),
    clock: options.clock ?? systemClock,
    site: { title: config.title, siteUrl: apiSiteUrl(config, env), language: config.language },
    origin:
      options.origin ??
      new SecretsOriginSecrets(
        options.clients?.secrets ?? createSecretsClient(),
        getStringFromEnv('ORIGIN_SECRET_ARN', env),
      ),
  };
}

/**
 * The API's pages link back to the site. Behind the CloudFront domain (no siteUrl or custom
 * domain configured), the stack cannot tell this function its own site URL without a dependency
 * cycle (the distribution's origin is this function), so it sets SITE_LINKS=root-relative: the
 * pages are served from the site's own origin under /api/, and root-relative links reach the site.
 */
function apiSiteUrl(config: SiteConfig, env: NodeJS.ProcessEnv): string {
  return env.SITE_LINKS?.trim() === 'root-relative' ? '/' : config.siteUrl;
}

/**
 * Builds the confirmation renderer from the templates folder. Passed in by the confirm mailer's entry:
 * the renderer pulls in MJML (megabytes) and Handlebars, which only that bundle should carry, while
 * every subscription function's bundle includes this module.
 */
export type CreateConfirmationRenderer = (
  templatesDir: string,
  config: SiteConfig,
) => Promise<ConfirmationRender>;

export async function composeConfirmMailer(
  createRenderer: CreateConfirmationRenderer,
  options: SubscribeComposeOptions = {},
): Promise<ConfirmMailerDeps> {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  const table = getStringFromEnv('EMAIL_TABLE', env);
  const config = siteConfigOf(env);
  const siteUrl = mailSiteUrlOf(config);
  return {
    store: new DynamoSubscriberStore(dynamo, table),
    limiter: new DynamoRateLimiter(dynamo, table),
    mailer: options.mailer ?? sesMailerOf(options.clients?.ses, env),
    keyring: keyringOf(options, env),
    idKey: idKeyOf(options, env),
    renderer: await createRenderer(resolve(env.TEMPLATES_DIR ?? 'templates'), config),
    from: senderOf(env, config),
    listId: listIdOf(env),
    siteUrl,
    perAddressPerDay: getIntFromEnv(
      'CONFIRMATIONS_PER_ADDRESS_PER_DAY',
      DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY,
      env,
    ),
    clock: options.clock ?? systemClock,
  };
}

export function composeBounces(
  options: Pick<SubscribeComposeOptions, 'clients' | 'env' | 'clock' | 'idKey'> = {},
): BounceDeps {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  return {
    store: new DynamoSubscriberStore(dynamo, getStringFromEnv('EMAIL_TABLE', env)),
    idKey: idKeyOf(options, env),
    clock: options.clock ?? systemClock,
  };
}
