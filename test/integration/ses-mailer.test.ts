/**
 * The SES transport against aws-ses-v2-local (real SDK calls), plus the error mapping the
 * emulator cannot produce (throttling, rejections, lost connections), checked on constructed
 * SDK errors.
 */
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySendError, SesMailer } from '../../functions/adapters/aws/ses-mailer.js';
import { keyringFromJson } from '../../functions/adapters/fixed-secrets.js';
import { KeyringFormatError, parseKeyringJson } from '../../functions/core/email/keyring-json.js';
import { buildRawMessage } from '../../functions/core/email/mime.js';
import {
  SendOutcomeUnknownError,
  SendRejectedError,
  SendThrottledError,
  SendUnavailableError,
} from '../../functions/core/email/ports.js';
import { type SesEmulator, startSes } from '../helpers/emulators.js';

let ses: SesEmulator;
beforeAll(async () => {
  ses = await startSes({ maxSendRate: 37 });
});
afterAll(async () => ses?.close());

const raw = (to: string) =>
  buildRawMessage({
    from: 'Test Wire <news@example.org>',
    to,
    subject: 'Today: harbour reopens',
    html: '<p>The <b>harbour</b> reopens.</p>',
    text: 'The harbour reopens.',
    listUnsubscribeUrl: 'https://news.example.org/api/unsubscribe?token=abc',
    date: new Date('2026-11-25T07:00:00Z'),
  });

describe('SesMailer against aws-ses-v2-local', () => {
  it('sends the raw message: the emulator parses both parts, the subject and the recipient', async () => {
    const mailer = new SesMailer(ses.client, { configurationSet: 'newsfeed' });
    const { messageId } = await mailer.send({
      from: 'news@example.org',
      to: 'reader@example.net',
      raw: raw('reader@example.net'),
      tags: { edition: 'e-2026-11-25T0700Z' },
    });
    const stored = (await ses.store()).find((mail) => mail.messageId === messageId);
    expect(stored?.destination.to).toEqual(['reader@example.net']);
    expect(stored?.subject).toBe('Today: harbour reopens');
    expect(stored?.body.text?.trim()).toBe('The harbour reopens.');
    expect(stored?.body.html).toContain('<b>harbour</b>');
  });

  it('reads MaxSendRate from GetAccount', async () => {
    const quota = await new SesMailer(ses.client).quota();
    expect(quota.maxSendRate).toBe(37);
    expect(quota.max24HourSend).toBe(50_000);
  });

  it('refuses tags SES would reject, before calling SES', async () => {
    const before = (await ses.store()).length;
    const mailer = new SesMailer(ses.client);
    await expect(
      mailer.send({
        from: 'news@example.org',
        to: 'a@example.net',
        raw: raw('a@example.net'),
        tags: { edition: 'a b' },
      }),
    ).rejects.toBeInstanceOf(SendRejectedError);
    expect((await ses.store()).length).toBe(before);
  });
});

describe('classifySendError', () => {
  const sdkError = (name: string, status: number) =>
    new SESv2ServiceException({
      name,
      $fault: status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: status },
    });

  it.each([
    ['TooManyRequestsException', 429, SendThrottledError, 'SES throttled'],
    ['LimitExceededException', 400, SendThrottledError, 'SES throttled'],
    ['MessageRejected', 400, SendRejectedError, 'SES rejected the message: MessageRejected'],
    ['BadRequestException', 400, SendRejectedError, 'SES rejected the message: BadRequestException'],
    ['AccountSuspendedException', 400, SendUnavailableError, 'SES cannot send: AccountSuspendedException'],
    ['SendingPausedException', 400, SendUnavailableError, 'SES cannot send: SendingPausedException'],
    [
      'MailFromDomainNotVerifiedException',
      400,
      SendUnavailableError,
      'SES cannot send: MailFromDomainNotVerifiedException',
    ],
    ['InternalFailure', 500, SendOutcomeUnknownError, 'SES send outcome unknown: InternalFailure'],
  ])('%s (%i) → %o', (name, status, expected, prefix) => {
    const original = sdkError(name, status);
    const mapped = classifySendError(original);
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.message.startsWith(prefix)).toBe(true);
    expect(mapped.cause).toBe(original);
  });

  it('treats a network failure with no answer as an unknown outcome', () => {
    const reset = Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
    expect(classifySendError(reset)).toBeInstanceOf(SendOutcomeUnknownError);
    expect(classifySendError(new Error('timeout')).cause).toBeInstanceOf(Error);
  });
});

describe('token keyring JSON', () => {
  const secret = (c: string) => c.repeat(40);

  it('reads both spellings and keeps older versions for verification, newest first', async () => {
    const nested = parseKeyringJson(
      JSON.stringify({ current: 2, keys: { 1: secret('a'), 2: secret('b'), 3: secret('c') } }),
      'test',
    );
    expect(nested.current.version).toBe(2);
    expect(Buffer.from(nested.current.secret).toString()).toBe(secret('b'));
    expect(nested.previous.map((key) => key.version)).toEqual([3, 1]);
    const flat = await keyringFromJson(JSON.stringify({ current: 1, k1: secret('z') })).keyring();
    expect(flat.current.version).toBe(1);
    expect(flat.previous).toEqual([]);
  });

  it.each([
    ['not json', '{', /not JSON/],
    ['no current key', JSON.stringify({ current: 2, k1: secret('a') }), /no key for the current version 2/],
    ['short secret', JSON.stringify({ current: 1, k1: 'short' }), /at least 32 characters/],
    [
      'duplicate version',
      JSON.stringify({ current: 1, k1: secret('a'), keys: { 1: secret('b') } }),
      /given twice/,
    ],
    ['bad version', JSON.stringify({ current: 300, k1: secret('a') }), /from 0 to 255/],
  ])('rejects %s, naming where it came from and never the secret', (_name, json, pattern) => {
    const error = (() => {
      try {
        parseKeyringJson(json, 'secret arn:test');
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(KeyringFormatError);
    expect(error?.message).toMatch(pattern);
    expect(error?.message).toContain('secret arn:test');
    expect(error?.message).not.toContain(secret('a'));
  });
});

describe('Secrets Manager secrets (no emulator: aws-sdk-client-mock)', () => {
  it('parses the secret once and picks up a rotated secret after the cache expires', async () => {
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const { mockClient } = await import('aws-sdk-client-mock');
    const { SecretsKeyring } = await import('../../functions/adapters/aws/secrets.js');
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock
      .on(GetSecretValueCommand, { SecretId: 'arn:keyring' })
      .resolves({ SecretString: JSON.stringify({ current: 1, k1: 'x'.repeat(64) }) });
    const keyring = new SecretsKeyring(client, 'arn:keyring');
    const first = await keyring.keyring();
    const again = await keyring.keyring();
    expect(first.current.version).toBe(1);
    expect(again).toBe(first);
    // Within the cache window the provider does not ask again.
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    mock.reset();
    mock.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ current: 2, keys: { 1: 'x'.repeat(64), 2: 'y'.repeat(64) } }),
    });
    const fresh = new SecretsKeyring(client, 'arn:keyring');
    const rotated = await fresh.keyring();
    expect(rotated.current.version).toBe(2);
    expect(rotated.previous.map((key) => key.version)).toEqual([1]);
  });

  it('reads every value of the origin secret, and a second one added for a rotation once the cache expires', async () => {
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const { mockClient } = await import('aws-sdk-client-mock');
    const { SecretsOriginSecrets } = await import('../../functions/adapters/aws/secrets.js');
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ h1: 'a'.repeat(64) }) });
    expect(await new SecretsOriginSecrets(client, 'arn:origin').originSecrets()).toEqual(['a'.repeat(64)]);
    mock.reset();
    mock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ h1: 'a'.repeat(64), h2: 'b'.repeat(64) }) });
    expect(await new SecretsOriginSecrets(client, 'arn:origin').originSecrets()).toEqual([
      'a'.repeat(64),
      'b'.repeat(64),
    ]);
    mock.reset();
    mock.on(GetSecretValueCommand).resolves({ SecretString: '{"h1":"too-short"}' });
    await expect(new SecretsOriginSecrets(client, 'arn:bad').originSecrets()).rejects.toThrow(
      /secret arn:bad/,
    );
  });

  it('reads the subscriber id key as the plain string it is, refusing a short one without quoting it', async () => {
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const { mockClient } = await import('aws-sdk-client-mock');
    const { SecretsIdKey } = await import('../../functions/adapters/aws/secrets.js');
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(GetSecretValueCommand, { SecretId: 'arn:id' }).resolves({ SecretString: `${'Ab1'.repeat(21)}x` });
    mock.on(GetSecretValueCommand, { SecretId: 'arn:short' }).resolves({ SecretString: 'tiny-key' });
    const key = await new SecretsIdKey(client, 'arn:id').idKey();
    expect(Buffer.from(key).toString('utf8')).toBe(`${'Ab1'.repeat(21)}x`);
    const short = new SecretsIdKey(client, 'arn:short').idKey();
    await expect(short).rejects.toThrow(/secret arn:short: the subscriber id key must be at least 32/);
    await expect(new SecretsIdKey(client, 'arn:short').idKey()).rejects.not.toThrow(/tiny-key/);
  });
});
