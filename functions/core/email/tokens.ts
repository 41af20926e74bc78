/**
 * Signed tokens for the confirm and unsubscribe links. A token carries its own fields (so a
 * stateless handler can act on it) and an HMAC-SHA256 over them, keyed by a versioned secret so
 * that secrets rotate without breaking links already sitting in inboxes.
 *
 * Layout before base64url (no padding):
 *   u8 key version | u8 purpose | u8 flags | [u48 BE expiresAt] | [u32 BE generation] |
 *   u8 length + subscriberId (UTF-8) | u8 length + list (UTF-8) | 32-byte MAC
 * Flags: bit 0 has-expiry, bit 1 has-generation. Tokens signed before the generation existed
 * have flags 0 or 1, so they read as generation 0 with no change of format or MAC label.
 * The MAC covers every byte before it, prefixed with a domain-separation label, so the key
 * version, purpose, list, subscriber, expiry and generation are all authenticated.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenKey {
  /** 0–255; travels in the token's first byte. */
  version: number;
  /** At least 32 bytes of secret randomness. */
  secret: Uint8Array;
}

/** Sign with `current`; verify with `current` or any key still in `previous` (retire a key by dropping it). */
export interface TokenKeyring {
  current: TokenKey;
  previous: TokenKey[];
}

export type TokenPurpose = 'confirm' | 'unsubscribe';

export interface TokenPayload {
  purpose: TokenPurpose;
  subscriberId: string;
  list: string;
  /** Epoch seconds; the token is rejected from this second on. Omit for a token that never expires. */
  expiresAt?: number;
  /**
   * The subscription the token belongs to (`Subscriber.generation`): a confirm token carries it so
   * that a re-subscribe, which advances it, makes the earlier confirm links inert. Omitted reads as 0.
   */
  generation?: number;
}

export type TokenRejection =
  | 'malformed'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'wrong-purpose'
  | 'wrong-list';

export type TokenVerdict =
  | { ok: true; subscriberId: string; generation: number }
  | { ok: false; reason: TokenRejection };

/** The keyring cannot be used: a configuration mistake, never caused by a token. */
export class TokenKeyringError extends Error {
  override name = 'TokenKeyringError';
}

/** The payload cannot be encoded in a token. */
export class TokenPayloadError extends Error {
  override name = 'TokenPayloadError';
}

const MAC_LABEL = Buffer.from('newsfeed-generator/email-token/v1\u0000', 'utf8');
const MAC_BYTES = 32;
const MIN_SECRET_BYTES = 32;
const MAX_FIELD_BYTES = 255;
const MAX_EXPIRES_AT = 2 ** 48 - 1;
const MAX_GENERATION = 2 ** 32 - 1;
const HAS_EXPIRY = 0b01;
const HAS_GENERATION = 0b10;
const PURPOSE_CODES: Record<TokenPurpose, number> = { confirm: 1, unsubscribe: 2 };
const PURPOSE_BY_CODE = new Map<number, TokenPurpose>([
  [1, 'confirm'],
  [2, 'unsubscribe'],
]);
/** The longest token `signToken` can produce; anything longer is rejected before decoding. */
const MAX_TOKEN_CHARS = Math.ceil(((3 + 6 + 4 + 2 * (1 + MAX_FIELD_BYTES) + MAC_BYTES) * 4) / 3);
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** In a `u` regex, a surrogate only matches when it is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function signToken(ring: TokenKeyring, payload: TokenPayload): string {
  assertUsableKeyring(ring);
  const body = encodeBody(ring.current.version, payload);
  return Buffer.concat([body, mac(ring.current.secret, body)]).toString('base64url');
}

/** Never throws because of the token: anything that is not a token we signed gives `ok: false`. */
export function verifyToken(
  ring: TokenKeyring,
  token: string,
  expected: { purpose: TokenPurpose; list: string },
  now: Date,
): TokenVerdict {
  assertUsableKeyring(ring);
  const bytes = decodeCanonicalBase64url(token);
  if (!bytes) return { ok: false, reason: 'malformed' };
  const fields = parseFields(bytes);
  if (!fields) return { ok: false, reason: 'malformed' };
  const key = [ring.current, ...ring.previous].find((candidate) => candidate.version === fields.keyVersion);
  if (!key) return { ok: false, reason: 'unknown-key' };
  if (!timingSafeEqual(mac(key.secret, fields.body), fields.mac))
    return { ok: false, reason: 'bad-signature' };
  // Only a token we signed gets a precise reason: a forger learns nothing from the verdict.
  if (fields.purpose !== expected.purpose) return { ok: false, reason: 'wrong-purpose' };
  if (fields.list !== expected.list) return { ok: false, reason: 'wrong-list' };
  if (fields.expiresAt !== undefined) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    // An invalid `now` (NaN) fails closed.
    if (!(nowSeconds < fields.expiresAt)) return { ok: false, reason: 'expired' };
  }
  return { ok: true, subscriberId: fields.subscriberId, generation: fields.generation ?? 0 };
}

function mac(secret: Uint8Array, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(MAC_LABEL).update(body).digest();
}

function encodeBody(keyVersion: number, payload: TokenPayload): Buffer {
  const purpose = PURPOSE_CODES[payload.purpose];
  if (purpose === undefined)
    throw new TokenPayloadError(`unknown token purpose "${String(payload.purpose)}"`);
  const flags =
    (payload.expiresAt === undefined ? 0 : HAS_EXPIRY) |
    (payload.generation === undefined ? 0 : HAS_GENERATION);
  const parts: Buffer[] = [Buffer.from([keyVersion, purpose, flags])];
  if (payload.expiresAt !== undefined) {
    const { expiresAt } = payload;
    if (!Number.isSafeInteger(expiresAt) || expiresAt < 0 || expiresAt > MAX_EXPIRES_AT) {
      throw new TokenPayloadError(`expiresAt must be whole epoch seconds, got ${expiresAt}`);
    }
    const field = Buffer.alloc(6);
    field.writeUIntBE(expiresAt, 0, 6);
    parts.push(field);
  }
  if (payload.generation !== undefined) {
    const { generation } = payload;
    if (!Number.isSafeInteger(generation) || generation < 0 || generation > MAX_GENERATION) {
      throw new TokenPayloadError(
        `generation must be a whole number from 0 to ${MAX_GENERATION}, got ${generation}`,
      );
    }
    const field = Buffer.alloc(4);
    field.writeUInt32BE(generation, 0);
    parts.push(field);
  }
  parts.push(encodeField('subscriberId', payload.subscriberId), encodeField('list', payload.list));
  return Buffer.concat(parts);
}

function encodeField(name: string, value: string): Buffer {
  if (typeof value !== 'string' || value.length === 0)
    throw new TokenPayloadError(`${name} must not be empty`);
  // UTF-8 would turn a lone surrogate into U+FFFD: the token would name someone else.
  if (LONE_SURROGATE.test(value)) throw new TokenPayloadError(`${name} is not well-formed Unicode`);
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_FIELD_BYTES)
    throw new TokenPayloadError(`${name} is longer than ${MAX_FIELD_BYTES} bytes`);
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

/**
 * Node's base64url decoder skips unknown characters and ignores the unused low bits of the last
 * character, so several strings decode to the same bytes. Only the one string we would produce is
 * accepted: every changed character of a token then changes its bytes.
 */
function decodeCanonicalBase64url(token: unknown): Buffer | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_CHARS) return undefined;
  if (!BASE64URL.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  return bytes.toString('base64url') === token ? bytes : undefined;
}

interface TokenFields {
  keyVersion: number;
  purpose: TokenPurpose;
  expiresAt: number | undefined;
  generation: number | undefined;
  subscriberId: string;
  list: string;
  body: Buffer;
  mac: Buffer;
}

function parseFields(bytes: Buffer): TokenFields | undefined {
  if (bytes.length < 3 + 2 + MAC_BYTES) return undefined;
  const keyVersion = bytes[0]!;
  const purpose = PURPOSE_BY_CODE.get(bytes[1]!);
  const flags = bytes[2]!;
  if (!purpose || (flags & ~(HAS_EXPIRY | HAS_GENERATION)) !== 0) return undefined;
  let offset = 3;
  let expiresAt: number | undefined;
  if (flags & HAS_EXPIRY) {
    if (bytes.length < offset + 6) return undefined;
    expiresAt = bytes.readUIntBE(offset, 6);
    offset += 6;
  }
  let generation: number | undefined;
  if (flags & HAS_GENERATION) {
    if (bytes.length < offset + 4) return undefined;
    generation = bytes.readUInt32BE(offset);
    offset += 4;
  }
  const subscriberId = readField(bytes, offset);
  if (!subscriberId) return undefined;
  const list = readField(bytes, subscriberId.next);
  if (!list) return undefined;
  if (bytes.length !== list.next + MAC_BYTES) return undefined;
  return {
    keyVersion,
    purpose,
    expiresAt,
    generation,
    subscriberId: subscriberId.value,
    list: list.value,
    body: bytes.subarray(0, list.next),
    mac: bytes.subarray(list.next),
  };
}

function readField(bytes: Buffer, offset: number): { value: string; next: number } | undefined {
  const length = bytes[offset];
  if (length === undefined || length === 0) return undefined;
  const end = offset + 1 + length;
  if (end > bytes.length) return undefined;
  return { value: bytes.toString('utf8', offset + 1, end), next: end };
}

function assertUsableKeyring(ring: TokenKeyring): void {
  const seen = new Set<number>();
  for (const key of [ring.current, ...ring.previous]) {
    if (!Number.isInteger(key.version) || key.version < 0 || key.version > 255) {
      throw new TokenKeyringError(`key version must be an integer from 0 to 255, got ${key.version}`);
    }
    if (seen.has(key.version)) throw new TokenKeyringError(`key version ${key.version} appears twice`);
    seen.add(key.version);
    if (key.secret.length < MIN_SECRET_BYTES) {
      throw new TokenKeyringError(`key ${key.version} has a secret shorter than ${MIN_SECRET_BYTES} bytes`);
    }
  }
}
