/**
 * What the email composition roots (subscribe, edition, sender) share. Apart from them, so that
 * no bundle carries another's renderer: only the edition and confirmation functions compile MJML.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createSecretsClient, createSesClient } from '../adapters/aws/clients.js';
import { SecretsIdKey, SecretsKeyring } from '../adapters/aws/secrets.js';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import type { Outbox, Sleep } from '../core/email/edition-ports.js';
import type {
  KeyringSource,
  MailSender,
  OriginSecretSource,
  RecipientDirectory,
  SendQuotaSource,
  SubscriberIdKeySource,
} from '../core/email/ports.js';
import type { SendLog } from '../core/email/send-chunk.js';
import { type SenderIdentity, senderIdentity } from '../core/email/send-message.js';
import type { SubscribeQueue } from '../core/email/subscriptions.js';
import type { SiteConfig } from '../core/model.js';
import type { Clock } from '../core/ports.js';
import { ENV_DEFAULTS, type EnvKey } from '../handlers/contracts.js';
import { getStringFromEnv } from './env.js';

export const DEFAULT_LIST_ID = ENV_DEFAULTS.LIST_ID;
export const DEFAULT_SEND_CONCURRENCY = Number(ENV_DEFAULTS.SEND_CONCURRENCY);

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

export interface EditionClients {
  dynamo: DynamoDBDocumentClient;
  s3: S3Client;
  cloudfront: CloudFrontClient;
  sqs: SQSClient;
  ses: SESv2Client;
  secrets: SecretsManagerClient;
}

export interface EditionComposeOptions {
  clients?: Partial<EditionClients>;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Instead of SQS (OUTBOX_QUEUE_URL). */
  outbox?: Outbox;
  /** Instead of Secrets Manager (TOKEN_SECRET_ARN). */
  keyring?: KeyringSource;
  /** Instead of SES (send and GetAccount). */
  mailer?: MailSender;
  quota?: SendQuotaSource;
  /** Instead of the subscriber table (unit tests). */
  directory?: RecipientDirectory;
  sleep?: Sleep;
  random?: () => number;
  log?: SendLog;
}

/** Configuration the CDK stack hands over as JSON; checked at cold start. */
export class EmailConfigError extends Error {
  override name = 'EmailConfigError';
}

export const listIdOf = (env: NodeJS.ProcessEnv) => env.LIST_ID?.trim() || DEFAULT_LIST_ID;

/** FROM_ADDRESS (`news@example.org` or `Name <news@example.org>`), named FROM_NAME or the site title. */
export const senderOf = (env: NodeJS.ProcessEnv, config: SiteConfig): SenderIdentity =>
  senderIdentity(getStringFromEnv('FROM_ADDRESS', env), env.FROM_NAME?.trim() || config.title);

/**
 * The site URL mail links are built on. RFC 8058: the one-click List-Unsubscribe URL every mail
 * carries must be https, so a function that mails refuses to start without one (rather than
 * failing, and dead-lettering, every message).
 */
export function mailSiteUrlOf(config: SiteConfig): string {
  if (!config.siteUrl.startsWith('https://')) {
    throw new EmailConfigError(
      `SITE_CONFIG siteUrl must be https for List-Unsubscribe, got ${config.siteUrl}`,
    );
  }
  return config.siteUrl;
}

interface SecretsOptions {
  clients?: { secrets?: SecretsManagerClient };
}

/** The injected source, else one that reads the Secrets Manager secret whose ARN is in `arnKey`. */
function secretSourceOf<T>(
  injected: T | undefined,
  options: SecretsOptions,
  env: NodeJS.ProcessEnv,
  arnKey: EnvKey,
  fromSecret: (client: SecretsManagerClient, arn: string) => T,
): T {
  return (
    injected ?? fromSecret(options.clients?.secrets ?? createSecretsClient(), getStringFromEnv(arnKey, env))
  );
}

/** The token keyring: the injected one, else the Secrets Manager secret TOKEN_SECRET_ARN. */
export function keyringOf(
  options: SecretsOptions & { keyring?: KeyringSource },
  env: NodeJS.ProcessEnv,
): KeyringSource {
  return secretSourceOf(
    options.keyring,
    options,
    env,
    'TOKEN_SECRET_ARN',
    (c, arn) => new SecretsKeyring(c, arn),
  );
}

/** The subscriber id key: the injected one, else the Secrets Manager secret ID_KEY_SECRET_ARN. */
export function idKeyOf(
  options: SecretsOptions & { idKey?: SubscriberIdKeySource },
  env: NodeJS.ProcessEnv,
): SubscriberIdKeySource {
  return secretSourceOf(
    options.idKey,
    options,
    env,
    'ID_KEY_SECRET_ARN',
    (c, arn) => new SecretsIdKey(c, arn),
  );
}

/** SES, with the configuration set whose bounce and complaint events reach the bounce function. */
export function sesMailerOf(client: SESv2Client | undefined, env: NodeJS.ProcessEnv): SesMailer {
  const configurationSet = env.CONFIGURATION_SET?.trim();
  return new SesMailer(client ?? createSesClient(), configurationSet ? { configurationSet } : {});
}
