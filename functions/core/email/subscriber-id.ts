/**
 * The subscriber id: a hash of the normalised address, so a second subscribe of one address finds
 * the same record without an index on addresses, and ids in keys, logs and tokens name no mailbox.
 */
import { createHash } from 'node:crypto';

const LABEL = 'newsfeed-subscriber\u0000';
const ID_HEX_CHARS = 32;
const SUBSCRIBER_ID = /^[0-9a-f]{32}$/;

/** `address` must already be normalised (`normalizeAddress`): two spellings must give one id. */
export function subscriberIdFor(address: string): string {
  return createHash('sha256').update(LABEL).update(address, 'utf8').digest('hex').slice(0, ID_HEX_CHARS);
}

export function isSubscriberId(value: unknown): value is string {
  return typeof value === 'string' && SUBSCRIBER_ID.test(value);
}
