/** The bounce function's composition root: the subscriber table and the subscriber id key. */
import { createDocumentClient } from '../adapters/aws/clients.js';
import { DynamoSubscriberStore } from '../adapters/aws/subscriber-store.js';
import type { BounceDeps } from '../core/email/bounces.js';
import { idKeyOf, type SubscribeComposeOptions } from './email.js';
import { getStringFromEnv } from './env.js';
import { clockOf } from './shared.js';

export function composeBounces(
  options: Pick<SubscribeComposeOptions, 'clients' | 'env' | 'clock' | 'idKey'> = {},
): BounceDeps {
  const env = options.env ?? process.env;
  const dynamo = options.clients?.dynamo ?? createDocumentClient();
  return {
    store: new DynamoSubscriberStore(dynamo, getStringFromEnv('EMAIL_TABLE', env)),
    idKey: idKeyOf(options, env),
    clock: clockOf(options, env),
  };
}
