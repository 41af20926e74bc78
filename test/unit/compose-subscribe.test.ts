import { describe, expect, it } from 'vitest';
import { keyringFromJson } from '../../functions/adapters/env-keyring.js';
import { composeSubscribeApi } from '../../functions/compose-aws-subscribe.js';

const env = (extra: Record<string, string> = {}) => ({
  EMAIL_TABLE: 'email',
  SITE_CONFIG: JSON.stringify({ title: 'Wire', siteUrl: 'https://news.example.org/' }),
  ...extra,
});
const options = (extra: Record<string, string> = {}) => ({
  env: env(extra),
  keyring: keyringFromJson(JSON.stringify({ current: 1, k1: 'k'.repeat(64) })),
  queue: { enqueue: async () => {} },
});

describe('composeSubscribeApi site links', () => {
  it('uses the configured site URL when the stack knows it', () => {
    expect(composeSubscribeApi(options()).site.siteUrl).toBe('https://news.example.org/');
  });

  it('links root-relative when the site URL comes from the request (CloudFront domain, no cycle)', () => {
    expect(composeSubscribeApi(options({ SITE_LINKS: 'root-relative' })).site.siteUrl).toBe('/');
  });
});
