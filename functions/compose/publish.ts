/** The publish function's composition root, apart so the ingest and reconcile bundles hold no renderer. */

import {
  type AwsClients,
  createCloudFrontClient,
  createDocumentClient,
  createS3Client,
} from '../adapters/aws/clients.js';
import { CloudFrontInvalidator, noopInvalidator } from '../adapters/aws/cloudfront-invalidator.js';
import { sleep } from '../adapters/aws/concurrency.js';
import { DynamoTable } from '../adapters/aws/dynamo-table.js';
import { DynamoPublishStore } from '../adapters/aws/publish-store.js';
import { DynamoPublishWake } from '../adapters/aws/publish-wake.js';
import { S3ArticleSource } from '../adapters/aws/s3-articles.js';
import { S3SiteSink } from '../adapters/aws/s3-site-sink.js';
import { DynamoSentEditions } from '../adapters/aws/sent-editions.js';
import { HttpHubNotifier } from '../adapters/http/websub-hub.js';
import { readBuiltTemplates } from '../adapters/local/templates.js';
import type { PublishDeps, PublishLog } from '../core/cloud/publish.js';
import type { PublishWake } from '../core/cloud/publish-drain.js';
import { LOCALE_CATALOGS } from '../core/render/locale-catalog.js';
import { SiteRenderer } from '../core/render/site.js';
import { getStringFromEnv } from './env.js';
import {
  type ComposeOptions,
  clockOf,
  prefixOf,
  renderKeyOf,
  siteConfigOf,
  templatesDirOf,
} from './shared.js';
import { siteLocaleOf } from './site-locale.js';

export async function composePublish(
  options: ComposeOptions<Pick<AwsClients, 's3' | 'dynamo' | 'cloudfront'>> & { log?: PublishLog } = {},
): Promise<PublishDeps & { wake: PublishWake }> {
  const env = options.env ?? process.env;
  const clients = options.clients ?? {
    s3: createS3Client(),
    dynamo: createDocumentClient(),
    cloudfront: createCloudFrontClient(),
  };
  const storyTable = new DynamoTable(clients.dynamo, getStringFromEnv('STORY_TABLE', env));
  const store = new DynamoPublishStore(storyTable);
  const { config, locale } = siteLocaleOf(siteConfigOf(env));
  const templates = await readBuiltTemplates(templatesDirOf(env));
  const distributionId = env.DISTRIBUTION_ID;
  // Email configured: the digest archive lists the sent editions, the home page links the newest.
  const emailTable = env.EMAIL_TABLE?.trim();
  return {
    store,
    wake: new DynamoPublishWake(storyTable),
    source: new S3ArticleSource(clients.s3, getStringFromEnv('ARTICLES_BUCKET', env), prefixOf(env)),
    sink: new S3SiteSink(clients.s3, getStringFromEnv('SITE_BUCKET', env)),
    site: SiteRenderer.create(templates, config, locale),
    config,
    invalidator: distributionId
      ? new CloudFrontInvalidator(clients.cloudfront, distributionId)
      : noopInvalidator,
    clock: clockOf(options, env),
    renderKey: renderKeyOf(config, templates, LOCALE_CATALOGS),
    getRenderKey: () => store.getRenderKey(),
    setRenderKey: (key) => store.setRenderKey(key),
    invalidationWait: { sleep },
    ...(emailTable ? { editions: new DynamoSentEditions(clients.dynamo, emailTable) } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(config.websub ? { hub: new HttpHubNotifier() } : {}),
  };
}
