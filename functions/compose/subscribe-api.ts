/**
 * The subscribe API's composition root. The options shape of the three subscription functions
 * (subscribe API, confirm mailer, bounces) is in `email.ts`; each has its own root so their bundles
 * carry only the clients they use. Tests inject clients pointed at dynalite and aws-ses-v2-local,
 * the secrets (Secrets Manager has no emulator) and a queue.
 */

import { createDocumentClient, createSecretsClient, createSqsClient } from '../adapters/aws/clients.js';
import { SecretsOriginSecrets } from '../adapters/aws/secrets.js';
import { SqsSubscribeQueue } from '../adapters/aws/sqs-subscribe-queue.js';
import { DynamoRateLimiter, DynamoSubscriberStore } from '../adapters/aws/subscriber-store.js';
import type { SubscribeApiDeps } from '../core/email/subscribe-http.js';
import type { SiteConfig } from '../core/model.js';
import { localeFor } from '../core/render/locale.js';
import { ENV_DEFAULTS } from '../handlers/contracts.js';
import { keyringOf, listIdOf, type SubscribeComposeOptions } from './email.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';
import { clockOf, logWarning, siteConfigOf } from './shared.js';

export type { SubscribeComposeOptions };
export const DEFAULT_SUBSCRIBES_PER_SOURCE_PER_HOUR = Number(ENV_DEFAULTS.SUBSCRIBES_PER_SOURCE_PER_HOUR);

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
    clock: clockOf(options, env),
    site: {
      title: config.title,
      siteUrl: apiSiteUrl(config, env),
      language: config.language,
      locale: localeFor(config.language, logWarning),
    },
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
