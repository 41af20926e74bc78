/** The confirm mailer's composition root: SES, the keyring, the id key and the confirmation renderer. */
import { createDocumentClient } from '../adapters/aws/clients.js';
import { DynamoRateLimiter, DynamoSubscriberStore } from '../adapters/aws/subscriber-store.js';
import type { ConfirmMailerDeps } from '../core/email/subscribe-mailer.js';
import type { SiteConfig } from '../core/model.js';
import type { ConfirmationRender } from '../core/render/confirmation.js';
import { ENV_DEFAULTS } from '../handlers/contracts.js';
import {
  idKeyOf,
  keyringOf,
  listIdOf,
  mailSiteUrlOf,
  type SubscribeComposeOptions,
  senderOf,
  sesMailerOf,
} from './email.js';
import { getIntFromEnv, getStringFromEnv } from './env.js';
import { clockOf, siteConfigOf, templatesDirOf } from './shared.js';

export const DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY = Number(
  ENV_DEFAULTS.CONFIRMATIONS_PER_ADDRESS_PER_DAY,
);

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
    renderer: await createRenderer(templatesDirOf(env), config),
    from: senderOf(env, config),
    listId: listIdOf(env),
    siteUrl,
    perAddressPerDay: getIntFromEnv(
      'CONFIRMATIONS_PER_ADDRESS_PER_DAY',
      DEFAULT_CONFIRMATIONS_PER_ADDRESS_PER_DAY,
      env,
    ),
    clock: clockOf(options, env),
  };
}
