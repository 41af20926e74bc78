/** The token keyring from an environment variable (local runs, `dev:cloud`, tests). */
import { parseKeyringJson } from '../core/email/keyring-json.js';
import type { KeyringSource } from '../core/email/ports.js';
import type { TokenKeyring } from '../core/email/tokens.js';

export function keyringFromJson(json: string, where = 'token keyring'): KeyringSource {
  const ring: TokenKeyring = parseKeyringJson(json, where);
  return { keyring: async () => ring };
}
