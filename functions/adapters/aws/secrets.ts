/**
 * The secrets the email functions read from Secrets Manager, through Powertools Parameters: each
 * cached for a few minutes per container, so a change (a new token key version) reaches every function
 * within that time, and parsed by the core only when its text changed. Error messages name the secret,
 * never its content.
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseKeyringJson } from '../../core/email/keyring-json.js';
import { parseOriginSecretJson } from '../../core/email/origin-check.js';
import type { KeyringSource, OriginSecretSource, SubscriberIdKeySource } from '../../core/email/ports.js';
import { parseSubscriberIdKey } from '../../core/email/subscriber-id.js';
import type { TokenKeyring } from '../../core/email/tokens.js';

const MAX_AGE_SECONDS = 300;

/** A secret's string, parsed by `parse` (which names `where` in its errors). */
export class ParsedSecret<T> {
  readonly #provider: SecretsProvider;
  #parsed: { text: string; value: T } | undefined;

  constructor(
    client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly parse: (text: string, where: string) => T,
  ) {
    this.#provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  async value(): Promise<T> {
    const text = await this.#provider.get(this.secretId, { maxAge: MAX_AGE_SECONDS });
    if (typeof text !== 'string') throw new Error(`secret ${this.secretId} holds no string`);
    if (this.#parsed?.text !== text)
      this.#parsed = { text, value: this.parse(text, `secret ${this.secretId}`) };
    return this.#parsed.value;
  }
}

/** The token keyring: `{"current":N,"kN":"…"}` (see `keyring-json.ts`). */
export class SecretsKeyring implements KeyringSource {
  readonly #secret: ParsedSecret<TokenKeyring>;

  constructor(client: SecretsManagerClient, secretId: string) {
    this.#secret = new ParsedSecret(client, secretId, parseKeyringJson);
  }

  keyring(): Promise<TokenKeyring> {
    return this.#secret.value();
  }
}

/** The subscriber id key: the secret's plain string (see `subscriber-id.ts`). */
export class SecretsIdKey implements SubscriberIdKeySource {
  readonly #secret: ParsedSecret<Uint8Array>;

  constructor(client: SecretsManagerClient, secretId: string) {
    this.#secret = new ParsedSecret(client, secretId, parseSubscriberIdKey);
  }

  idKey(): Promise<Uint8Array> {
    return this.#secret.value();
  }
}

/** The values CloudFront's secret origin header may carry: `{"h1":"…"}` (see `origin-check.ts`). */
export class SecretsOriginSecrets implements OriginSecretSource {
  readonly #secret: ParsedSecret<readonly string[]>;

  constructor(client: SecretsManagerClient, secretId: string) {
    this.#secret = new ParsedSecret(client, secretId, parseOriginSecretJson);
  }

  originSecrets(): Promise<readonly string[]> {
    return this.#secret.value();
  }
}
