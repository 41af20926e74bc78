/**
 * The token keyring from Secrets Manager, through Powertools Parameters: cached for a few minutes
 * per container, so a rotation (a new `current` version) reaches every function within that time
 * while old links keep working through the previous keys.
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseKeyringJson } from '../../core/email/keyring-json.js';
import type { KeyringSource } from '../../core/email/ports.js';
import type { TokenKeyring } from '../../core/email/tokens.js';

const MAX_AGE_SECONDS = 300;

export class SecretsKeyring implements KeyringSource {
  readonly #provider: SecretsProvider;
  #parsed: { json: string; ring: TokenKeyring } | undefined;

  constructor(
    client: SecretsManagerClient,
    private readonly secretId: string,
  ) {
    this.#provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  async keyring(): Promise<TokenKeyring> {
    const json = await this.#provider.get(this.secretId, { maxAge: MAX_AGE_SECONDS });
    if (typeof json !== 'string') throw new Error(`secret ${this.secretId} holds no string`);
    if (this.#parsed?.json !== json)
      this.#parsed = { json, ring: parseKeyringJson(json, `secret ${this.secretId}`) };
    return this.#parsed.ring;
  }
}
