/**
 * The subscriber id: HMAC-SHA256 of the normalised address under a secret id key, so that a second
 * subscribe of one address finds the same record without an index on addresses, and ids in keys, logs
 * and tokens name no mailbox. Keyed because an unkeyed hash can be checked offline: anyone holding an
 * id (a token, a log line) could test guessed addresses against it.
 *
 * The id key is not the token keyring and is never rotated: an id must stay the same for as long as
 * its subscriber exists (the table is keyed by it, mails carry it), and rotating the key would orphan
 * every profile. It only hides addresses; it authenticates nothing, so there is nothing a rotation
 * would restore that a leak takes away beyond that.
 */
import { createHmac } from 'node:crypto';

const LABEL = 'newsfeed-subscriber-id/v2\u0000';
const ID_HEX_CHARS = 32;
const SUBSCRIBER_ID = /^[0-9a-f]{32}$/;
/** The stored key is text (Secrets Manager generates 64 letters and digits); at least this many characters. */
export const MIN_ID_KEY_CHARS = 32;

/** The stored id key is unusable; the message never includes key material. */
export class SubscriberIdKeyError extends Error {
  override name = 'SubscriberIdKeyError';
}

/** The id key as stored (a Secrets Manager secret's plain string, or a fixed development value). */
export function parseSubscriberIdKey(text: unknown, where: string): Uint8Array {
  if (typeof text !== 'string' || text.length < MIN_ID_KEY_CHARS) {
    throw new SubscriberIdKeyError(
      `${where}: the subscriber id key must be at least ${MIN_ID_KEY_CHARS} characters`,
    );
  }
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** `address` must already be normalised (`normalizeAddress`): two spellings must give one id. */
export function subscriberIdFor(key: Uint8Array, address: string): string {
  if (key.length < MIN_ID_KEY_CHARS) throw new SubscriberIdKeyError('the subscriber id key is too short');
  return createHmac('sha256', key).update(LABEL).update(address, 'utf8').digest('hex').slice(0, ID_HEX_CHARS);
}

export function isSubscriberId(value: unknown): value is string {
  return typeof value === 'string' && SUBSCRIBER_ID.test(value);
}
