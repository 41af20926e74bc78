/** Secrets given as values instead of Secrets Manager (`dev:cloud`, tests, local runs). */
import { parseKeyringJson } from '../core/email/keyring-json.js';
import { parseOriginSecretJson } from '../core/email/origin-check.js';
import type { KeyringSource, OriginSecretSource, SubscriberIdKeySource } from '../core/email/ports.js';
import { parseSubscriberIdKey } from '../core/email/subscriber-id.js';
import type { TokenKeyring } from '../core/email/tokens.js';

export function keyringFromJson(json: string, where = 'token keyring'): KeyringSource {
  const ring: TokenKeyring = parseKeyringJson(json, where);
  return { keyring: async () => ring };
}

export function idKeyFromText(text: string, where = 'subscriber id key'): SubscriberIdKeySource {
  const key = parseSubscriberIdKey(text, where);
  return { idKey: async () => key };
}

export function originSecretsFromJson(json: string, where = 'origin secret'): OriginSecretSource {
  const values = parseOriginSecretJson(json, where);
  return { originSecrets: async () => values };
}
