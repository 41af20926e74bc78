import { describe, expect, it } from 'vitest';
import {
  idKeyFromText,
  keyringFromJson,
  originSecretsFromJson,
} from '../../functions/adapters/fixed-secrets.js';
import { composeConfirmMailer } from '../../functions/compose/confirm-mailer.js';
import { composeSubscribeApi } from '../../functions/compose/subscribe-api.js';

const env = (extra: Record<string, string> = {}) => ({
  EMAIL_TABLE: 'email',
  SITE_CONFIG: JSON.stringify({ title: 'Wire', siteUrl: 'https://news.example.org/' }),
  ...extra,
});
const options = (extra: Record<string, string> = {}) => ({
  env: env(extra),
  keyring: keyringFromJson(JSON.stringify({ current: 1, k1: 'k'.repeat(64) })),
  idKey: idKeyFromText('i'.repeat(64)),
  origin: originSecretsFromJson(JSON.stringify({ h1: 'o'.repeat(64) })),
  queue: { enqueue: async () => {} },
});

describe('composeSubscribeApi site links', () => {
  it('uses the configured site URL when the stack knows it', () => {
    expect(composeSubscribeApi(options()).site.siteUrl).toBe('https://news.example.org/');
  });

  it('links root-relative when the site URL comes from the request (CloudFront domain, no cycle)', () => {
    expect(composeSubscribeApi(options({ SITE_LINKS: 'root-relative' })).site.siteUrl).toBe('/');
  });

  it('refuses to start without the origin secret: it could not tell CloudFront from anyone else', () => {
    const { origin: _injected, ...withoutOrigin } = options();
    expect(() => composeSubscribeApi(withoutOrigin)).toThrow(/ORIGIN_SECRET_ARN/);
  });
});

describe('composeConfirmMailer sender and site URL', () => {
  const mailerOptions = (extra: Record<string, string>) => ({
    ...options({ FROM_ADDRESS: 'news@example.org', TEMPLATES_DIR: 'templates', ...extra }),
    mailer: { send: async () => ({ messageId: 'm' }) },
  });
  const noRenderer = async () => ({ render: () => ({ subject: '', html: '', text: '' }) });

  it('names the sender FROM_NAME, as the digests do (else the site title)', async () => {
    const named = await composeConfirmMailer(noRenderer, mailerOptions({ FROM_NAME: 'Harbour Desk' }));
    expect(named.from).toEqual({ name: 'Harbour Desk', address: 'news@example.org' });
    const untitled = await composeConfirmMailer(noRenderer, mailerOptions({}));
    expect(untitled.from).toEqual({ name: 'Wire', address: 'news@example.org' });
  });

  it('refuses to start on an http site URL: every mail needs an https one-click link', async () => {
    await expect(
      composeConfirmMailer(
        noRenderer,
        mailerOptions({
          SITE_CONFIG: JSON.stringify({ title: 'Wire', siteUrl: 'http://news.example.org/' }),
        }),
      ),
    ).rejects.toThrow(/siteUrl must be https/);
  });
});
