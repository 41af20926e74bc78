/**
 * The composition root of the edition function (the sender's is `sender.ts`), apart so each bundle carries only the
 * clients it uses. Tests inject clients pointed at dynalite, s3rver and aws-ses-v2-local, and stand-ins
 * where no emulator exists (the outbox queue, the keyring), plus a virtual clock and sleep.
 */

import type { S3Client } from '@aws-sdk/client-s3';
import {
  createCloudFrontClient,
  createDocumentClient,
  createS3Client,
  createSqsClient,
} from '../adapters/aws/clients.js';
import { CloudFrontInvalidator, noopInvalidator } from '../adapters/aws/cloudfront-invalidator.js';
import { DynamoTable } from '../adapters/aws/dynamo-table.js';
import { DynamoEditionStore } from '../adapters/aws/edition-store.js';
import { DynamoMailedStore } from '../adapters/aws/mailed-store.js';
import { S3ArticleSource } from '../adapters/aws/s3-articles.js';
import { S3SiteSink } from '../adapters/aws/s3-site-sink.js';
import { DynamoSiteRefresh } from '../adapters/aws/site-refresh.js';
import { SqsOutbox } from '../adapters/aws/sqs-outbox.js';
import { DynamoStoryDocReader } from '../adapters/aws/story-doc-reader.js';
import { DynamoStoryListings } from '../adapters/aws/story-listings.js';
import { DynamoSubscriberStore } from '../adapters/aws/subscriber-store.js';
import { readBuiltTemplates } from '../adapters/local/templates.js';
import type { StoryItem } from '../core/cloud/ports.js';
import type { EditionDeps } from '../core/email/edition-run.js';
import { MailedStories } from '../core/email/mailed-stories.js';
import type { SiteConfig, Story } from '../core/model.js';
import type { Clock } from '../core/ports.js';
import { DigestRenderer } from '../core/render/digest.js';
import { loadStory } from '../core/stories/story-pages.js';
import { listingStory } from '../core/stories/story-view.js';
import type { EditionComposeOptions } from './email.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';
import { clockOf, prefixOf, siteConfigOf, templatesDirOf } from './shared.js';
import { siteLocaleOf } from './site-locale.js';

export async function composeEdition(options: EditionComposeOptions = {}): Promise<EditionDeps> {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  const s3 = options.clients?.s3 ?? createS3Client();
  const emailTable = getStringFromEnv('EMAIL_TABLE', env);
  const { config, locale } = siteLocaleOf(siteConfigOf(env));
  const clock = clockOf(options, env);
  const templates = await readBuiltTemplates(templatesDirOf(env));
  // The story table: the stories an edition lists, and the home page render it asks for once sent.
  const storyTable = getStringFromEnv('STORY_TABLE', env);
  const stories = new DynamoTable(dynamo, storyTable);
  const distributionId = env.DISTRIBUTION_ID?.trim();
  return {
    editions: new DynamoEditionStore(dynamo, emailTable),
    stories: new DynamoStoryListings(stories),
    loadStory: storyLoader(s3, env, config, clock),
    // MJML was compiled at bundle time; Handlebars compiles here, once per container.
    renderer: DigestRenderer.create(templates, config, locale),
    config,
    maxStories: getIntFromEnv('DIGEST_MAX_STORIES', config.digest.maxStories, env),
    // PutObject only (the stack grants nothing else on the site bucket to this function).
    sink: new S3SiteSink(s3, getStringFromEnv('SITE_BUCKET', env), { skipUnchanged: false }),
    invalidator: distributionId
      ? new CloudFrontInvalidator(options.clients?.cloudfront ?? createCloudFrontClient(), distributionId)
      : noopInvalidator,
    directory: options.directory ?? new DynamoSubscriberStore(dynamo, emailTable),
    outbox:
      options.outbox ??
      new SqsOutbox(options.clients?.sqs ?? createSqsClient(), getStringFromEnv('OUTBOX_QUEUE_URL', env)),
    siteRefresh: new DynamoSiteRefresh(stories),
    clock,
    mailed: new MailedStories(
      new DynamoMailedStore(dynamo, emailTable),
      new DynamoStoryDocReader(dynamo, storyTable),
    ),
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
