/**
 * What the edition and sender composition roots share. Apart from both, so that the sender's
 * bundle carries no MJML and no templates (only the edition function renders).
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolveConfig } from './core/config.js';
import type { Outbox, Sleep } from './core/email/edition-ports.js';
import type { KeyringSource, MailSender, RecipientDirectory, SendQuotaSource } from './core/email/ports.js';
import type { SendLog } from './core/email/send-chunk.js';
import type { SiteConfig } from './core/model.js';
import type { Clock } from './core/ports.js';
import { getStringFromEnv } from './env.js';

export const DEFAULT_LIST_ID = 'digest';
export const DEFAULT_SEND_CONCURRENCY = 2;

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

export const siteConfigOf = (env: NodeJS.ProcessEnv): SiteConfig =>
  resolveConfig(JSON.parse(getStringFromEnv('SITE_CONFIG', env)));
export const listIdOf = (env: NodeJS.ProcessEnv) => env.LIST_ID?.trim() || DEFAULT_LIST_ID;
export const realSleep: Sleep = (ms) => new Promise((done) => setTimeout(done, ms));
