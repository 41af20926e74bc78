/**
 * The composition root of the edition and sender functions, apart so each bundle carries only the
 * clients it uses. Tests inject clients pointed at dynalite, s3rver and aws-ses-v2-local, and stand-ins
 * where no emulator exists (the outbox queue, the keyring), plus a virtual clock and sleep.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createCloudFrontClient,
  createDocumentClient,
  createS3Client,
  createSecretsClient,
  createSesClient,
  createSqsClient,
} from './adapters/aws/clients.js';
import { CloudFrontInvalidator, noopInvalidator } from './adapters/aws/cloudfront-invalidator.js';
import { DynamoEditionStore } from './adapters/aws/edition-store.js';
import { S3ArticleSource } from './adapters/aws/s3-articles.js';
import { S3SiteSink } from './adapters/aws/s3-site-sink.js';
import { SecretsKeyring } from './adapters/aws/secrets-keyring.js';
import { DynamoSendLedger } from './adapters/aws/send-ledger.js';
import { SesMailer } from './adapters/aws/ses-mailer.js';
import { SqsOutbox } from './adapters/aws/sqs-outbox.js';
import { DynamoStoryFeed } from './adapters/aws/story-feed.js';
import { DynamoSubscriberStore } from './adapters/aws/subscriber-store.js';
import { readTemplates } from './adapters/local/templates.js';
import { prefixOf, systemClock } from './compose-aws.js';
import type { StoryItem } from './core/cloud/ports.js';
import { resolveConfig } from './core/config.js';
import type { EditionContent, Outbox, Sleep } from './core/email/edition-ports.js';
import type { EditionDeps } from './core/email/edition-run.js';
import type { KeyringSource, MailSender, RecipientDirectory, SendQuotaSource } from './core/email/ports.js';
import type { SenderDeps, SendLog } from './core/email/send-chunk.js';
import { senderIdentity } from './core/email/send-message.js';
import { SendPacer } from './core/email/send-pacer.js';
import type { SiteConfig, Story } from './core/model.js';
import { loadStory } from './core/pipeline/build.js';
import { listingStory } from './core/pipeline/story-view.js';
import type { Clock } from './core/ports.js';
import { DigestRenderer } from './core/render/digest.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';

export const DEFAULT_LIST_ID = 'digest';
export const DEFAULT_SEND_CONCURRENCY = 2;
/** Editions the sender keeps in memory: they are immutable once queued. */
const CONTENT_CACHE_SIZE = 4;

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

const siteConfigOf = (env: NodeJS.ProcessEnv): SiteConfig =>
  resolveConfig(JSON.parse(getStringFromEnv('SITE_CONFIG', env)));
const listIdOf = (env: NodeJS.ProcessEnv) => env.LIST_ID?.trim() || DEFAULT_LIST_ID;
const realSleep: Sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export async function composeEdition(options: EditionComposeOptions = {}): Promise<EditionDeps> {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  const s3 = options.clients?.s3 ?? createS3Client();
  const emailTable = getStringFromEnv('EMAIL_TABLE', env);
  const config = siteConfigOf(env);
  const clock = options.clock ?? systemClock;
  const templates = await readTemplates(resolve(env.TEMPLATES_DIR ?? 'templates'));
  const feed = new DynamoStoryFeed(dynamo, getStringFromEnv('STORY_TABLE', env));
  const distributionId = env.DISTRIBUTION_ID?.trim();
  return {
    editions: new DynamoEditionStore(dynamo, emailTable),
    stories: feed,
    loadStory: storyLoader(s3, env, config, clock),
    // MJML is compiled here, once per container; each edition only fills the template.
    renderer: await DigestRenderer.create(templates, config),
    config,
    maxStories: getIntFromEnv('DIGEST_MAX_STORIES', config.digest.maxStories, env),
    sink: new S3SiteSink(s3, getStringFromEnv('SITE_BUCKET', env)),
    invalidator: distributionId
      ? new CloudFrontInvalidator(options.clients?.cloudfront ?? createCloudFrontClient(), distributionId)
      : noopInvalidator,
    directory: options.directory ?? new DynamoSubscriberStore(dynamo, emailTable),
    outbox:
      options.outbox ??
      new SqsOutbox(options.clients?.sqs ?? createSqsClient(), getStringFromEnv('OUTBOX_QUEUE_URL', env)),
    siteRefresh: feed,
    clock,
  };
}

/**
 * A story's summary lives in its canonical article: with ARTICLES_BUCKET the edition reads it
 * (as the publisher does); without, the digest lists titles and dates only.
 */
function storyLoader(
  s3: S3Client,
  env: NodeJS.ProcessEnv,
  config: SiteConfig,
  clock: Clock,
): (item: StoryItem) => Promise<Story> {
  const bucket = env.ARTICLES_BUCKET?.trim();
  if (!bucket) return async (item) => listingStory(item.id, item);
  const source = new S3ArticleSource(s3, bucket, prefixOf(env));
  return (item) => loadStory(source, config, clock.now(), item.id, item);
}

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
