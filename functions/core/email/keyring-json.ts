/**
 * The token keyring as stored (Secrets Manager secret or a local env variable): JSON naming the
 * current key version and every key still accepted. Two spellings, so that CloudFormation can
 * generate the first key itself (`generateStringKey` only writes top-level strings):
 *   {"current": 2, "keys": {"1": "<secret>", "2": "<secret>"}}
 *   {"current": 1, "k1": "<secret>"}
 * Rotation: add a key under the next version, point `current` at it; drop an old version only
 * when no link signed with it should work any more (unsubscribe links never expire).
 */
import type { TokenKey, TokenKeyring } from './tokens.js';

/** The stored keyring is unusable; the message never includes secret material. */
export class KeyringFormatError extends Error {
  override name = 'KeyringFormatError';
}

const MIN_SECRET_CHARS = 32;

export function parseKeyringJson(json: string, where: string): TokenKeyring {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new KeyringFormatError(`${where}: the token keyring is not JSON`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KeyringFormatError(`${where}: the token keyring must be a JSON object`);
  }
  const record = raw as Record<string, unknown>;
  const current = record.current;
  if (typeof current !== 'number' || !Number.isInteger(current) || current < 0 || current > 255) {
    throw new KeyringFormatError(`${where}: "current" must be a key version from 0 to 255`);
  }
  const entries = new Map<number, string>();
  const add = (label: string, version: string, value: unknown) => {
    const number = Number(version);
    if (!/^\d{1,3}$/.test(version) || number > 255) {
      throw new KeyringFormatError(`${where}: key "${label}" must name a version from 0 to 255`);
    }
    if (typeof value !== 'string' || value.length < MIN_SECRET_CHARS) {
      throw new KeyringFormatError(
        `${where}: key ${number} must be a string of at least ${MIN_SECRET_CHARS} characters`,
      );
    }
    if (entries.has(number)) throw new KeyringFormatError(`${where}: key ${number} is given twice`);
    entries.set(number, value);
  };
  if (record.keys !== undefined) {
    if (typeof record.keys !== 'object' || record.keys === null || Array.isArray(record.keys)) {
      throw new KeyringFormatError(`${where}: "keys" must be an object of version → secret`);
    }
    for (const [version, value] of Object.entries(record.keys)) add(version, version, value);
  }
  for (const [name, value] of Object.entries(record)) {
    if (/^k\d+$/.test(name)) add(name, name.slice(1), value);
  }
  const key = (version: number, secret: string): TokenKey => ({
    version,
    secret: new Uint8Array(Buffer.from(secret, 'utf8')),
  });
  const currentSecret = entries.get(current);
  if (currentSecret === undefined)
    throw new KeyringFormatError(`${where}: no key for the current version ${current}`);
  return {
    current: key(current, currentSecret),
    previous: [...entries]
      .filter(([version]) => version !== current)
      .sort(([a], [b]) => b - a)
      .map(([version, secret]) => key(version, secret)),
  };
}
