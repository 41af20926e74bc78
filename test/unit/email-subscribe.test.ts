/**
 * The subscription core without a network: ids, rate windows and sources, the HTTP layer (routes,
 * status codes, headers, negotiation), tokens, the confirm mailer's decisions and the confirmation
 * email. The ports are in-memory fakes (`test/helpers/email-fakes.ts`); the DynamoDB and SES adapters are
 * exercised against dynalite and aws-ses-v2-local in `test/integration/email-subscribe.test.ts`.
 */
import { createHash, createHmac } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { originSecretsFromJson } from '../../functions/adapters/fixed-secrets.js';
import { resolveConfig } from '../../functions/core/config.js';
import {
  isAcceptedOriginValue,
  OriginSecretFormatError,
  parseOriginSecretJson,
} from '../../functions/core/email/origin-check.js';
import {
  SendOutcomeUnknownError,
  SendRejectedError,
  SendThrottledError,
  type Subscriber,
} from '../../functions/core/email/ports.js';
import {
  type ApiRequest,
  handleApiRequest,
  type SubscribeApiDeps,
} from '../../functions/core/email/subscribe-http.js';
import { confirmToken, unsubscribeToken } from '../../functions/core/email/subscribe-links.js';
import {
  type ConfirmMailerDeps,
  parseSubscribeMessage,
  sendConfirmation,
} from '../../functions/core/email/subscribe-mailer.js';
import {
  confirmationCounter,
  requestSource,
  secondsUntilReset,
  sourceCounter,
} from '../../functions/core/email/subscribe-rate.js';
import {
  isSubscriberId,
  parseSubscriberIdKey,
  SubscriberIdKeyError,
  subscriberIdFor,
} from '../../functions/core/email/subscriber-id.js';
import { SubscribeMessageError } from '../../functions/core/email/subscriptions.js';
import { renderApiPage } from '../../functions/core/render/api-pages.js';
import { ConfirmationRenderer } from '../../functions/core/render/confirmation.js';
import { buildTemplates } from '../../functions/core/render/mjml.js';
import { TemplateError } from '../../functions/core/render/templates.js';
import {
  fixedClock,
  fromCloudFront,
  ID_KEY,
  ID_KEY_TEXT,
  idKeySource,
  idOf,
  keyringSource,
  MemoryLimiter,
  MemoryMailer,
  MemoryQueue,
  MemoryStore,
  ORIGIN_VALUE,
  originSource,
  RING,
  recording,
} from '../helpers/email-fakes.js';
import { loadBuiltTemplates, loadTemplates } from '../helpers/templates.js';

const NOW = '2026-11-25T07:30:00.000Z';
const LIST = 'digest';
const CONFIG = resolveConfig({ title: 'Panjshir Wire', siteUrl: 'https://news.example.org/' });
const SITE = { title: CONFIG.title, siteUrl: CONFIG.siteUrl, language: CONFIG.language };

function profile(address: string, status: Subscriber['status']): Subscriber {
  return {
    id: idOf(address),
    address,
    status,
    generation: 0,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    transientBounces: 0,
    ...(status === 'confirmed' ? { confirmedAt: '2026-11-02T00:00:00.000Z' } : {}),
  };
}

describe('subscriberIdFor', () => {
  it('is 32 hex characters of HMAC-SHA256 under the id key over a labelled address', () => {
    const id = subscriberIdFor(ID_KEY, 'reader@example.org');
    expect(isSubscriberId(id)).toBe(true);
    const expected = createHmac('sha256', ID_KEY)
      .update('newsfeed-subscriber-id/v2\0reader@example.org')
      .digest('hex');
    expect(id).toBe(expected.slice(0, 32));
    expect(idOf('reader@example.org')).toBe(id);
  });

  it('cannot be checked against a guessed address without the key: no unkeyed hash gives it', () => {
    const address = 'reader@example.org';
    const id = subscriberIdFor(ID_KEY, address);
    // What the ids were before (an unkeyed, labelled SHA-256) and the plain hashes a guesser would try.
    const unkeyed = [
      createHash('sha256').update(`newsfeed-subscriber\0${address}`).digest('hex'),
      createHash('sha256').update(address).digest('hex'),
      createHash('sha256').update(`newsfeed-subscriber-id/v2\0${address}`).digest('hex'),
    ].map((hex) => hex.slice(0, 32));
    expect(unkeyed).not.toContain(id);
    // Another key, another id: the key is what makes it.
    const otherKey = new Uint8Array(Buffer.from('another-subscriber-id-key-0123456789', 'utf8'));
    expect(subscriberIdFor(otherKey, address)).not.toBe(id);
  });

  it('gives different ids to different mailboxes, including a local part that differs in case only', () => {
    const ids = new Set(['a@example.org', 'A@example.org', 'a@example.com', 'b@example.org'].map(idOf));
    expect(ids.size).toBe(4);
  });

  it('refuses a key shorter than 32 characters, naming where it came from but not the key', () => {
    expect(() => parseSubscriberIdKey('short-key', 'secret arn:id')).toThrow(SubscriberIdKeyError);
    expect(() => parseSubscriberIdKey('short-key', 'secret arn:id')).toThrow(/secret arn:id/);
    expect(() => parseSubscriberIdKey('short-key', 'secret arn:id')).not.toThrow(/short-key/);
    expect(() => parseSubscriberIdKey(undefined, 'x')).toThrow(SubscriberIdKeyError);
    expect(() => subscriberIdFor(new Uint8Array(31), 'a@example.org')).toThrow(SubscriberIdKeyError);
    expect(parseSubscriberIdKey(ID_KEY_TEXT, 'x')).toEqual(ID_KEY);
  });
});

describe('rate windows and sources', () => {
  it('counts per UTC hour for sources and per UTC day for confirmations, expiring at the window end', () => {
    const now = new Date('2026-11-25T07:59:59.500Z');
    const source = sourceCounter('198.51.100.7', 20, now);
    expect(source).toMatchObject({ scope: 'source', window: '2026-11-25T07', limit: 20 });
    expect(source.expiresAt).toBe(Date.parse('2026-11-25T08:00:00Z') / 1000);
    expect(secondsUntilReset(source, now)).toBe(1);
    const day = confirmationCounter('id', 3, now);
    expect(day).toMatchObject({ scope: 'confirm', key: 'id', window: '2026-11-25' });
    expect(day.expiresAt).toBe(Date.parse('2026-11-26T00:00:00Z') / 1000);
    expect(sourceCounter('x', 1, new Date('2026-11-25T08:00:00Z')).window).toBe('2026-11-25T08');
  });

  it('takes the viewer address CloudFront sets (IPv4 and IPv6, with port)', () => {
    expect(requestSource('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(requestSource('2001:db8:1:2:3:4:5:6:46532')).toBe('2001:db8:1:2::/64');
    expect(requestSource('[2001:db8::7]:443')).toBe('2001:db8:0:0::/64');
  });

  it('puts every request without a well-formed viewer address under the one key "unknown"', () => {
    for (const header of [undefined, '', 'not an address', '198.51.100.10:99999999', '999.1.1.1:80']) {
      expect(requestSource(header), String(header)).toBe('unknown');
    }
  });

  it('puts every address of one IPv6 /64 under one key, and other /64s under others', () => {
    const a = requestSource('2001:db8:aa:bb:1::1:443');
    const b = requestSource('2001:0db8:00aa:00bb:ffff:ffff:ffff:ffff:443');
    const c = requestSource('2001:db8:aa:bc::1:443');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});

interface Harness {
  deps: SubscribeApiDeps;
  store: MemoryStore;
  limiter: MemoryLimiter;
  queue: MemoryQueue;
  clock: ReturnType<typeof fixedClock>;
}

function harness(perSourcePerHour = 20): Harness {
  const store = new MemoryStore();
  const limiter = new MemoryLimiter();
  const queue = new MemoryQueue();
  const clock = fixedClock(NOW);
  return {
    store,
    limiter,
    queue,
    clock,
    deps: {
      store,
      limiter,
      queue,
      keyring: keyringSource,
      listId: LIST,
      perSourcePerHour,
      clock,
      site: SITE,
      origin: originSource,
    },
  };
}

/** A request as CloudFront forwards it: with the secret origin header (`direct` leaves it out). */
function request(method: string, path: string, extra: Partial<ApiRequest> = {}): ApiRequest {
  const [bare, query = ''] = path.split('?');
  return { method, path: bare!, query, ...extra, headers: { ...fromCloudFront, ...extra.headers } };
}

function direct(method: string, path: string, extra: Partial<ApiRequest> = {}): ApiRequest {
  const [bare, query = ''] = path.split('?');
  return { method, path: bare!, query, headers: {}, ...extra };
}

const form = (email: string, headers: Record<string, string> = {}): Partial<ApiRequest> => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams({ email }).toString(),
});

describe('subscribe API: only through CloudFront', () => {
  /** Header values an attacker calling the function URL directly might try. */
  const WRONG = [
    undefined,
    '',
    ' ',
    ORIGIN_VALUE.slice(0, -1),
    `${ORIGIN_VALUE}x`,
    ORIGIN_VALUE.toUpperCase(),
    ` ${ORIGIN_VALUE}`,
    `${ORIGIN_VALUE},${ORIGIN_VALUE}`,
    'x'.repeat(ORIGIN_VALUE.length),
  ];
  const everyRoute: Array<[string, string, Partial<ApiRequest>]> = [
    ['POST', '/api/subscribe', form('a@example.org', { 'cloudfront-viewer-address': '198.51.100.1:1' })],
    [
      'GET',
      `/api/confirm?token=${confirmToken(RING, { subscriberId: idOf('a@example.org'), generation: 0 }, LIST, new Date(NOW))}`,
      {},
    ],
    ['GET', `/api/unsubscribe?token=${unsubscribeToken(RING, idOf('a@example.org'), LIST)}`, {}],
    ['POST', `/api/unsubscribe?token=${unsubscribeToken(RING, idOf('a@example.org'), LIST)}`, {}],
    ['GET', '/api/nothing', {}],
    ['DELETE', '/api/subscribe', {}],
  ];

  it('refuses every route with 403, without or with a wrong header, touching no port but the origin secret', async () => {
    const h = harness(1);
    h.store.profiles.set(idOf('a@example.org'), profile('a@example.org', 'pending'));
    const log: string[] = [];
    const deps = recording(h.deps, log);
    let refused = 0;
    for (const value of WRONG) {
      for (const [method, path, extra] of everyRoute) {
        const headers = { ...extra.headers, ...(value === undefined ? {} : { 'x-origin-verify': value }) };
        const { response, event } = await handleApiRequest(deps, direct(method, path, { ...extra, headers }));
        expect(response.statusCode, `${method} ${path} ${value}`).toBe(403);
        expect(event.outcome).toBe('forbidden');
        refused++;
      }
    }
    expect(refused).toBe(WRONG.length * everyRoute.length);
    expect(new Set(log)).toEqual(new Set(['origin.originSecrets']));
    expect(h.queue.requests).toEqual([]);
    expect(h.store.writes).toBe(0);
    expect(h.limiter.counts.size).toBe(0);
    expect(h.store.profiles.get(idOf('a@example.org'))?.status).toBe('pending');
  });

  it('answers 403 in JSON when asked, and the same page whatever the route', async () => {
    const h = harness();
    const json = await handleApiRequest(
      h.deps,
      direct('POST', '/api/subscribe', { headers: { accept: 'application/json' } }),
    );
    expect(json.response.statusCode).toBe(403);
    expect(JSON.parse(json.response.body)).toMatchObject({ status: 'forbidden' });
    const pages = new Set<string>();
    for (const [method, path] of everyRoute) {
      pages.add((await handleApiRequest(h.deps, direct(method, path))).response.body);
    }
    expect(pages.size).toBe(1);
  });

  it('a direct caller rotating CloudFront-Viewer-Address is refused every time and never counted', async () => {
    const h = harness(2);
    for (let i = 0; i < 50; i++) {
      const { response } = await handleApiRequest(
        h.deps,
        direct(
          'POST',
          '/api/subscribe',
          form(`s${i}@example.org`, { 'cloudfront-viewer-address': `203.0.113.${i}:443` }),
        ),
      );
      expect(response.statusCode).toBe(403);
    }
    expect(h.limiter.counts.size).toBe(0);
    // Through CloudFront the same viewer is served up to its limit, then limited.
    const viaCdn = () =>
      handleApiRequest(
        h.deps,
        request(
          'POST',
          '/api/subscribe',
          form('v@example.org', { 'cloudfront-viewer-address': '203.0.113.7:443' }),
        ),
      );
    expect([
      (await viaCdn()).response.statusCode,
      (await viaCdn()).response.statusCode,
      (await viaCdn()).response.statusCode,
    ]).toEqual([202, 202, 429]);
    expect(h.queue.requests).toHaveLength(2);
  });

  it('accepts every value the secret holds (a rotation in progress), and no other', async () => {
    const h = harness();
    const next = 'the-next-origin-header-value-abcdefghijklmnop';
    h.deps.origin = originSecretsFromJson(JSON.stringify({ h1: ORIGIN_VALUE, h2: next }));
    for (const value of [ORIGIN_VALUE, next]) {
      const { response } = await handleApiRequest(
        h.deps,
        direct('GET', '/api/nothing', { headers: { 'x-origin-verify': value } }),
      );
      expect(response.statusCode).toBe(404);
    }
    h.deps.origin = originSecretsFromJson(JSON.stringify({ h2: next }));
    const retired = await handleApiRequest(
      h.deps,
      direct('GET', '/api/nothing', { headers: { 'x-origin-verify': ORIGIN_VALUE } }),
    );
    expect(retired.response.statusCode).toBe(403);
  });

  it('compares whole values only', () => {
    expect(isAcceptedOriginValue([ORIGIN_VALUE], ORIGIN_VALUE)).toBe(true);
    for (const value of WRONG)
      expect(isAcceptedOriginValue([ORIGIN_VALUE], value), String(value)).toBe(false);
    expect(isAcceptedOriginValue([], ORIGIN_VALUE)).toBe(false);
    expect(isAcceptedOriginValue(['a'.repeat(40), ORIGIN_VALUE], ORIGIN_VALUE)).toBe(true);
  });

  it('refuses a stored secret that is not {"hN": value of 32+ printable characters}, never quoting a value', () => {
    const good = 'g'.repeat(40);
    expect(parseOriginSecretJson(JSON.stringify({ h1: good, h12: `${good}2` }), 'x')).toEqual([
      good,
      `${good}2`,
    ]);
    for (const bad of [
      'nope',
      '[]',
      '{}',
      '{"h1":"short"}',
      `{"k1":"${good}"}`,
      `{"h1":"${good} space"}`,
      '{"h1":42}',
    ]) {
      expect(() => parseOriginSecretJson(bad, 'secret arn:o'), bad).toThrow(OriginSecretFormatError);
    }
    expect(() => parseOriginSecretJson('{"h1":"secret-but-short"}', 'secret arn:o')).not.toThrow(
      /secret-but-short/,
    );
  });
});

describe('subscribe API: routes and methods', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('answers the same route with or without the /api prefix and a trailing slash', async () => {
    for (const path of ['/api/subscribe', '/subscribe', '/api/subscribe/']) {
      const { response } = await handleApiRequest(h.deps, request('POST', path, form('a@example.org')));
      expect(response.statusCode, path).toBe(202);
    }
    expect(h.queue.requests).toHaveLength(3);
  });

  it('gives 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    for (const path of ['/', '/api', '/api/subscribers', '/api/api/subscribe', '/apisubscribe']) {
      const { response } = await handleApiRequest(h.deps, request('GET', path));
      expect(response.statusCode, path).toBe(404);
    }
    const cases: Array<[string, string, string]> = [
      ['GET', '/api/subscribe', 'POST'],
      ['POST', '/api/confirm', 'GET'],
      ['HEAD', '/api/confirm', 'GET'],
      ['DELETE', '/api/unsubscribe', 'GET, POST'],
    ];
    for (const [method, path, allow] of cases) {
      const { response } = await handleApiRequest(h.deps, request(method, path));
      expect(response.statusCode, `${method} ${path}`).toBe(405);
      expect(response.headers.allow).toBe(allow);
    }
    expect(h.queue.requests).toHaveLength(0);
    expect(h.store.writes).toBe(0);
  });

  it('marks every answer no-store, and HTML answers with frame, CSP and referrer protection', async () => {
    const { response } = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', form('a@example.org')),
    );
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.body).toMatch(/^<!doctype html>/);
    const json = await handleApiRequest(
      h.deps,
      request('GET', '/api/nothing', { headers: { accept: 'application/json' } }),
    );
    expect(json.response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.response.headers['cache-control']).toBe('no-store');
  });
});

describe('subscribe API: POST /subscribe', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness(3);
  });

  it('queues the normalised address from a form post and answers 202', async () => {
    const { response } = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', form('  Reader@Example.ORG ')),
    );
    expect(response.statusCode).toBe(202);
    expect(response.body).toContain('Reader@example.org');
    expect(h.queue.requests).toEqual([
      { kind: 'subscribe', address: 'Reader@example.org', requestedAt: NOW },
    ]);
  });

  it('accepts JSON and answers JSON when asked, also for a base64-free JSON body without Accept', async () => {
    const asked = await handleApiRequest(
      h.deps,
      request('POST', '/subscribe', {
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email: 'j@example.org' }),
      }),
    );
    expect(asked.response.statusCode).toBe(202);
    expect(JSON.parse(asked.response.body)).toMatchObject({ status: 'accepted' });
    const unasked = await handleApiRequest(
      h.deps,
      request('POST', '/subscribe', {
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: '{"email":"k@example.org"}',
      }),
    );
    expect(unasked.response.headers['content-type']).toContain('application/json');
    expect(h.queue.requests.map((r) => r.address)).toEqual(['j@example.org', 'k@example.org']);
  });

  it('refuses a bad address with 400 and the reason, in HTML for a form and JSON when asked, queueing nothing', async () => {
    const html = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', form('reader@@example.org')),
    );
    expect(html.response.statusCode).toBe(400);
    expect(html.response.body).toContain('more than one @');
    expect(html.response.body).toContain('reader@@example.org');
    const json = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', { ...form('no-at-sign'), headers: { accept: 'application/json' } }),
    );
    expect(json.response.statusCode).toBe(400);
    expect(JSON.parse(json.response.body)).toMatchObject({ status: 'invalid-address', error: 'missing @' });
    for (const body of ['', 'mail=a@example.org', 'email=a%40example.org%0D%0ABcc%3A%20x%40example.org']) {
      const { response } = await handleApiRequest(h.deps, request('POST', '/api/subscribe', { body }));
      expect(response.statusCode, body).toBe(400);
    }
    const badJson = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', {
        headers: { 'content-type': 'application/json' },
        body: '{"email":',
      }),
    );
    expect(JSON.parse(badJson.response.body).error).toBe('the request body is not valid JSON');
    expect(h.queue.requests).toHaveLength(0);
  });

  it('escapes what the visitor typed in the error page', async () => {
    const { response } = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', form('<script>alert(1)</script>')),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('<script>');
    expect(response.body).toContain('&lt;script&gt;');
  });

  it('refuses a body over 4 KiB with 413', async () => {
    const { response } = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', form(`${'a'.repeat(5000)}@example.org`)),
    );
    expect(response.statusCode).toBe(413);
    expect(h.queue.requests).toHaveLength(0);
  });

  it('limits each source per hour with 429 and Retry-After, counting CloudFront viewer addresses apart', async () => {
    const viewer = (ip: string) => form('a@example.org', { 'cloudfront-viewer-address': `${ip}:5555` });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await handleApiRequest(h.deps, request('POST', '/api/subscribe', viewer('198.51.100.1')))).response
          .statusCode,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await handleApiRequest(h.deps, request('POST', '/api/subscribe', viewer('198.51.100.1')));
    expect(limited.response.headers['retry-after']).toBe(String(30 * 60));
    const other = await handleApiRequest(h.deps, request('POST', '/api/subscribe', viewer('198.51.100.2')));
    expect(other.response.statusCode).toBe(202);
    expect(h.queue.requests).toHaveLength(4);
    h.clock.set('2026-11-25T08:00:00.000Z');
    const nextHour = await handleApiRequest(
      h.deps,
      request('POST', '/api/subscribe', viewer('198.51.100.1')),
    );
    expect(nextHour.response.statusCode).toBe(202);
  });

  it('never reads the subscriber: the same answer and the same port calls for every state', async () => {
    const address = 'same@example.org';
    const calls: string[][] = [];
    const bodies: string[] = [];
    for (const status of [undefined, 'pending', 'confirmed', 'unsubscribed', 'suppressed'] as const) {
      const h2 = harness(100);
      if (status) h2.store.profiles.set(idOf(address), profile(address, status));
      const log: string[] = [];
      const deps = recording(h2.deps, log);
      const { response } = await handleApiRequest(deps, request('POST', '/api/subscribe', form(address)));
      calls.push(log);
      bodies.push(`${response.statusCode} ${JSON.stringify(response.headers)} ${response.body}`);
    }
    expect(new Set(calls.map((c) => c.join()))).toEqual(
      new Set(['origin.originSecrets,limiter.take,queue.enqueue']),
    );
    expect(new Set(bodies).size).toBe(1);
  });
});

describe('subscribe API: tokens', () => {
  let h: Harness;
  const a = 'alice@example.org';
  const b = 'bob@example.org';
  const idA = idOf(a);
  const idB = idOf(b);
  beforeEach(() => {
    h = harness();
    h.store.profiles.set(idA, profile(a, 'pending'));
    h.store.profiles.set(idB, profile(b, 'confirmed'));
  });

  it('rejects a confirm token with any one character changed, and changes nothing', async () => {
    const token = confirmToken(RING, { subscriberId: idA, generation: 0 }, LIST, new Date(NOW));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1 + (i % 63)) % 64]!;
      const flipped = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
      const { response } = await handleApiRequest(h.deps, request('GET', `/api/confirm?token=${flipped}`));
      expect(response.statusCode, `position ${i}`).toBe(400);
    }
    expect(h.store.writes).toBe(0);
    expect(h.store.profiles.get(idA)?.status).toBe('pending');
  });

  it("rejects a token for another purpose, list or an expired one, and keeps A's token to A", async () => {
    const unsubscribeA = unsubscribeToken(RING, idA, LIST);
    expect(
      (await handleApiRequest(h.deps, request('GET', `/api/confirm?token=${unsubscribeA}`))).response
        .statusCode,
    ).toBe(400);
    const otherList = confirmToken(RING, { subscriberId: idA, generation: 0 }, 'other-list', new Date(NOW));
    expect(
      (await handleApiRequest(h.deps, request('GET', `/api/confirm?token=${otherList}`))).response.statusCode,
    ).toBe(400);
    const old = confirmToken(
      RING,
      { subscriberId: idA, generation: 0 },
      LIST,
      new Date('2026-11-18T07:29:59.000Z'),
    );
    const expired = await handleApiRequest(h.deps, request('GET', `/api/confirm?token=${old}`));
    expect(expired.response.statusCode).toBe(400);
    expect(expired.response.body).toContain('expired');
    expect(h.store.writes).toBe(0);

    const { response } = await handleApiRequest(
      h.deps,
      request('POST', `/api/unsubscribe?token=${unsubscribeA}`),
    );
    expect(response.statusCode).toBe(200);
    expect(h.store.profiles.get(idA)?.status).toBe('unsubscribed');
    expect(h.store.profiles.get(idB)?.status).toBe('confirmed');
  });

  it('GET /unsubscribe shows a button that posts back and touches no port but the origin secret and the keyring', async () => {
    const token = unsubscribeToken(RING, idB, LIST);
    const log: string[] = [];
    const { response } = await handleApiRequest(
      recording(h.deps, log),
      request('GET', `/api/unsubscribe?token=${token}`),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`<form method="post" action="?token=${token}">`);
    expect(response.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(log).toEqual(['origin.originSecrets', 'keyring.keyring']);
    expect(h.store.profiles.get(idB)?.status).toBe('confirmed');
  });

  it('POST /unsubscribe is idempotent and never re-subscribes', async () => {
    const token = unsubscribeToken(RING, idB, LIST);
    const post = () =>
      handleApiRequest(
        h.deps,
        request('POST', `/api/unsubscribe?token=${token}`, { body: 'List-Unsubscribe=One-Click' }),
      );
    const first = await post();
    const second = await post();
    expect([first.response.statusCode, second.response.statusCode]).toEqual([200, 200]);
    expect([first.event.outcome, second.event.outcome]).toEqual(['unsubscribed', 'already-unsubscribed']);
    expect(h.store.profiles.get(idB)?.status).toBe('unsubscribed');
    const bad = await handleApiRequest(h.deps, request('POST', '/api/unsubscribe?token=AAAA'));
    expect(bad.response.statusCode).toBe(400);
  });

  it('confirm: pending → confirmed once, then the same page; never re-activates the unsubscribed or suppressed', async () => {
    const token = confirmToken(RING, { subscriberId: idA, generation: 0 }, LIST, new Date(NOW));
    const first = await handleApiRequest(h.deps, request('GET', `/api/confirm?token=${token}`));
    const again = await handleApiRequest(h.deps, request('GET', `/api/confirm?token=${token}`));
    expect(first.response.statusCode).toBe(200);
    expect(again.response.body).toBe(first.response.body);
    expect(h.store.profiles.get(idA)).toMatchObject({ status: 'confirmed', confirmedAt: NOW });

    for (const status of ['unsubscribed', 'suppressed'] as const) {
      h.store.profiles.set(idA, profile(a, status));
      const { response, event } = await handleApiRequest(
        h.deps,
        request('GET', `/api/confirm?token=${token}`),
      );
      expect(response.statusCode, status).toBe(409);
      expect(event.outcome).toBe(status);
      expect(h.store.profiles.get(idA)?.status).toBe(status);
    }
    h.store.profiles.delete(idA);
    expect(
      (await handleApiRequest(h.deps, request('GET', `/api/confirm?token=${token}`))).response.statusCode,
    ).toBe(404);
  });
});

describe('confirm mailer', () => {
  let store: MemoryStore;
  let limiter: MemoryLimiter;
  let mailer: MemoryMailer;
  let deps: ConfirmMailerDeps;
  const address = 'reader@example.org';
  const id = idOf(address);
  const requestOf = (addr = address) => ({ kind: 'subscribe' as const, address: addr, requestedAt: NOW });

  beforeEach(async () => {
    store = new MemoryStore();
    limiter = new MemoryLimiter();
    mailer = new MemoryMailer();
    deps = {
      store,
      limiter,
      mailer,
      keyring: keyringSource,
      idKey: idKeySource,
      renderer: ConfirmationRenderer.create(await loadBuiltTemplates(), CONFIG),
      from: { name: 'Panjshir Wire', address: 'news@news.example.org' },
      listId: LIST,
      siteUrl: CONFIG.siteUrl,
      perAddressPerDay: 3,
      clock: fixedClock(NOW),
    };
  });

  it('creates a pending profile and mails a confirmation with a working link in both parts', async () => {
    const outcome = await sendConfirmation(deps, requestOf());
    expect(outcome).toEqual({ kind: 'sent', subscriberId: id, messageId: 'm-1' });
    expect(store.profiles.get(id)).toMatchObject({
      status: 'pending',
      address,
      createdAt: NOW,
      transientBounces: 0,
    });
    const mail = mailer.sent[0]!;
    // SES gets the bare address; the From header carries the display name.
    expect(mail).toMatchObject({ to: address, from: 'news@news.example.org', tags: { kind: 'confirm' } });
    const parsed = await simpleParser(mail.raw);
    expect(parsed.from?.value).toEqual([{ name: 'Panjshir Wire', address: 'news@news.example.org' }]);
    expect(parsed.subject).toBe('Confirm your subscription to Panjshir Wire');
    const link = /https:\/\/news\.example\.org\/api\/confirm\?token=[A-Za-z0-9_-]+/.exec(
      String(parsed.text),
    )?.[0];
    expect(link).toBeDefined();
    expect(String(parsed.html)).toContain(link!.replace('=', '&#x3D;'));
    expect(mail.raw).toMatch(
      /\r\nList-Unsubscribe: <https:\/\/news\.example\.org\/api\/unsubscribe\?token=[\w-]+>\r\n/,
    );
    expect(mail.raw).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');

    const h = harness();
    h.store.profiles.set(id, store.profiles.get(id)!);
    const confirmed = await handleApiRequest(
      h.deps,
      request('GET', new URL(link!).pathname + new URL(link!).search),
    );
    expect(confirmed.response.statusCode).toBe(200);
    expect(h.store.profiles.get(id)?.status).toBe('confirmed');
  });

  it('mails a pending subscriber again, reopens an unsubscribed one, and sends nothing to confirmed or suppressed', async () => {
    store.profiles.set(id, profile(address, 'pending'));
    expect((await sendConfirmation(deps, requestOf())).kind).toBe('sent');
    store.profiles.set(id, {
      ...profile(address, 'unsubscribed'),
      unsubscribedAt: '2026-11-20T00:00:00.000Z',
    });
    expect((await sendConfirmation(deps, requestOf())).kind).toBe('sent');
    expect(store.profiles.get(id)).toMatchObject({ status: 'pending', updatedAt: NOW });
    expect(store.profiles.get(id)?.unsubscribedAt).toBeUndefined();
    for (const status of ['confirmed', 'suppressed'] as const) {
      store.profiles.set(id, profile(address, status));
      const outcome = await sendConfirmation(deps, requestOf());
      expect(outcome).toMatchObject({
        kind: 'skipped',
        reason: status === 'confirmed' ? 'already-confirmed' : 'suppressed',
      });
      expect(store.profiles.get(id)?.status).toBe(status);
    }
    expect(mailer.sent).toHaveLength(2);
  });

  it('sends at most the daily cap per address, and again the next day', async () => {
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await sendConfirmation(deps, requestOf())).kind);
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'skipped', 'skipped']);
    expect((await sendConfirmation(deps, requestOf('other@example.org'))).kind).toBe('sent');
    (deps.clock as ReturnType<typeof fixedClock>).set('2026-11-26T00:00:00.000Z');
    expect((await sendConfirmation(deps, requestOf())).kind).toBe('sent');
    expect(mailer.sent.filter((m) => m.to === address)).toHaveLength(4);
  });

  it('gives the cap back when SES throttles (the retry must not count twice), but not on an unknown outcome', async () => {
    const counter = () => limiter.counts.get(`confirm#${id}#2026-11-25`) ?? 0;
    mailer.failures.push(new SendThrottledError('slow down'));
    await expect(sendConfirmation(deps, requestOf())).rejects.toBeInstanceOf(SendThrottledError);
    expect(counter()).toBe(0);
    mailer.failures.push(new SendOutcomeUnknownError('timeout'));
    await expect(sendConfirmation(deps, requestOf())).rejects.toBeInstanceOf(SendOutcomeUnknownError);
    expect(counter()).toBe(1);
    mailer.failures.push(new SendRejectedError('bad address'));
    expect(await sendConfirmation(deps, requestOf())).toMatchObject({ kind: 'skipped', reason: 'rejected' });
    expect(counter()).toBe(2);
  });

  it('refuses malformed queue messages and addresses that do not validate', async () => {
    for (const body of ['nope', '{}', '{"kind":"subscribe","address":"a@example.org"}', '[1]']) {
      expect(() => parseSubscribeMessage(body), body).toThrow(SubscribeMessageError);
    }
    expect(parseSubscribeMessage(JSON.stringify(requestOf()))).toEqual(requestOf());
    await expect(sendConfirmation(deps, requestOf('a@b@example.org'))).rejects.toBeInstanceOf(
      SubscribeMessageError,
    );
    expect(mailer.sent).toHaveLength(0);
  });
});

describe('subscription generations: a confirm link belongs to one subscription', () => {
  const address = 'returning@example.org';
  const id = idOf(address);
  let h: Harness;
  let mailer: MemoryMailer;
  let mailerDeps: ConfirmMailerDeps;

  beforeEach(async () => {
    h = harness();
    mailer = new MemoryMailer();
    mailerDeps = {
      store: h.store,
      limiter: h.limiter,
      mailer,
      keyring: keyringSource,
      idKey: idKeySource,
      renderer: ConfirmationRenderer.create(await loadBuiltTemplates(), CONFIG),
      from: { name: 'Panjshir Wire', address: 'news@news.example.org' },
      listId: LIST,
      siteUrl: CONFIG.siteUrl,
      perAddressPerDay: 10,
      clock: h.clock,
    };
  });

  const subscribe = () => sendConfirmation(mailerDeps, { kind: 'subscribe', address, requestedAt: NOW });
  /** The path and query of the confirm (or unsubscribe) link in the last confirmation mail. */
  const linkOf = (kind: 'confirm' | 'unsubscribe') => {
    const raw = mailer.sent.at(-1)!.raw.replace(/=\r\n/g, '');
    const token = new RegExp(`api/${kind}\\?token(?:=3D|=)([A-Za-z0-9_-]+)`).exec(raw)?.[1];
    if (!token) throw new Error(`no ${kind} link in the last mail`);
    return `/api/${kind}?token=${token}`;
  };
  const get = async (path: string) => (await handleApiRequest(h.deps, request('GET', path))).response;
  const post = async (path: string) => (await handleApiRequest(h.deps, request('POST', path))).response;

  it('a re-subscribe advances the generation, and the earlier confirm link then does nothing', async () => {
    await subscribe();
    const first = linkOf('confirm');
    expect((await get(first)).statusCode).toBe(200);
    expect(h.store.profiles.get(id)).toMatchObject({ status: 'confirmed', generation: 0 });
    expect((await post(linkOf('unsubscribe'))).statusCode).toBe(200);

    h.clock.set('2026-11-26T07:30:00.000Z');
    expect((await subscribe()).kind).toBe('sent');
    expect(h.store.profiles.get(id)).toMatchObject({ status: 'pending', generation: 1 });
    const second = linkOf('confirm');
    expect(second).not.toBe(first);

    // The replay of the first link, well inside its 7 days: the page of an expired link, and no write.
    const writes = h.store.writes;
    const replay = await handleApiRequest(h.deps, request('GET', first));
    expect(replay.event.outcome).toBe('stale');
    const expiredToken = confirmToken(
      RING,
      { subscriberId: id, generation: 1 },
      LIST,
      new Date('2026-11-18T07:29:59.000Z'),
    );
    const expired = await get(`/api/confirm?token=${expiredToken}`);
    expect([replay.response.statusCode, replay.response.body]).toEqual([expired.statusCode, expired.body]);
    expect(replay.response.statusCode).toBe(400);
    expect(h.store.writes).toBe(writes);
    expect(h.store.profiles.get(id)?.status).toBe('pending');

    // The link of this subscription confirms it.
    expect((await get(second)).statusCode).toBe(200);
    expect(h.store.profiles.get(id)).toMatchObject({ status: 'confirmed', generation: 1 });
    // And the old link, once more, still changes nothing.
    expect((await handleApiRequest(h.deps, request('GET', first))).event.outcome).toBe('stale');
  });

  it('an unsubscribe link of an earlier generation stops the current subscription (stopping mail is never harmful)', async () => {
    await subscribe();
    const oldUnsubscribe = linkOf('unsubscribe');
    await get(linkOf('confirm'));
    await post(oldUnsubscribe);
    await subscribe();
    await get(linkOf('confirm'));
    expect(h.store.profiles.get(id)).toMatchObject({ status: 'confirmed', generation: 1 });
    expect((await post(oldUnsubscribe)).statusCode).toBe(200);
    expect(h.store.profiles.get(id)).toMatchObject({ status: 'unsubscribed', generation: 1 });
  });

  it('a pending subscriber mailed again stays in its generation: both links of it confirm', async () => {
    await subscribe();
    const first = linkOf('confirm');
    h.clock.set('2026-11-25T08:30:00.000Z');
    await subscribe();
    expect(linkOf('confirm')).not.toBe(first);
    expect(h.store.profiles.get(id)?.generation).toBe(0);
    expect((await get(first)).statusCode).toBe(200);
    expect((await get(linkOf('confirm'))).statusCode).toBe(200);
  });

  it('confirms only at the generation the token names, at the store too', async () => {
    h.store.profiles.set(id, { ...profile(address, 'pending'), generation: 3 });
    for (const generation of [0, 2, 4]) {
      const token = confirmToken(RING, { subscriberId: id, generation }, LIST, new Date(NOW));
      const { response, event } = await handleApiRequest(
        h.deps,
        request('GET', `/api/confirm?token=${token}`),
      );
      expect(event.outcome, String(generation)).toBe('stale');
      expect(response.statusCode).toBe(400);
    }
    expect(h.store.profiles.get(id)?.status).toBe('pending');
    const token = confirmToken(RING, { subscriberId: id, generation: 3 }, LIST, new Date(NOW));
    expect((await get(`/api/confirm?token=${token}`)).statusCode).toBe(200);
  });
});

describe('confirmation email and API pages', () => {
  it('fails at start-up on MJML that does not validate, or a missing template', async () => {
    const bad = { confirmMjml: '<mjml><mj-body><mj-text>loose</mj-text></mj-body></mjml>', confirmText: 'x' };
    await expect(buildTemplates({ ...loadTemplates(), ...bad })).rejects.toThrow(
      /confirm\.mjml is not valid MJML/,
    );
    expect(() => ConfirmationRenderer.create({ confirmText: 'x' }, CONFIG)).toThrow(TemplateError);
  });

  it('escapes a hostile site title in the email and keeps the subject on one line', async () => {
    const config = resolveConfig({ title: 'Wire <b>&\u2028 "news"', siteUrl: 'https://news.example.org/' });
    const renderer = ConfirmationRenderer.create(await loadBuiltTemplates(), config);
    const parts = renderer.render({
      address: 'a@example.org',
      confirmUrl: 'https://news.example.org/api/confirm?token=x',
    });
    expect(parts.subject).not.toMatch(/[\r\n\u2028]/);
    expect(parts.html).not.toContain('<b>');
    expect(parts.html).toContain('Wire &lt;b&gt;&amp;');
    expect(parts.text).toContain('a@example.org');
  });

  it('renders pages with every value escaped and a form only when asked', () => {
    const html = renderApiPage(
      { title: 'A & B', siteUrl: 'https://x.example/', language: 'en' },
      {
        title: '<i>t</i>',
        paragraphs: ['"quoted"'],
        form: { action: '?token=a"b', button: 'Go', fields: { k: '<v>' } },
      },
    );
    expect(html).toContain('<title>&lt;i&gt;t&lt;/i&gt; · A &amp; B</title>');
    expect(html).toContain('<p>&quot;quoted&quot;</p>');
    expect(html).toContain('action="?token=a&quot;b"');
    expect(html).toContain('value="&lt;v&gt;"');
    expect(
      renderApiPage(
        { title: 'A', siteUrl: 'https://x.example/', language: 'en' },
        { title: 't', paragraphs: [] },
      ),
    ).not.toContain('<form');
  });
});
