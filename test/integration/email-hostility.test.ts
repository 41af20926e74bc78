/**
 * Email hostility: what an attacker can try against the subscribe API and the mail builder, counted.
 * Each block prints its figures (trials, accepted, refused) and asserts that nothing hostile was
 * accepted, next to controls showing that the genuine request in the same setting is accepted (so a zero
 * cannot come from a broken setup).
 *
 * Real SDK calls against dynalite (the email table) and aws-ses-v2-local (confirmation mails read back);
 * the API and the confirm mailer run through their Lambda handlers and composition roots. Stand-ins, where
 * no emulator exists: the subscribe queue is an in-memory queue handed to the confirm mailer as SQS events,
 * and the secrets (keyring, id key, origin header values) are given as values instead of Secrets Manager.
 * The mail builder and the parsing check (mailparser) need no network.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/aws/clients.js';
import { DynamoRateLimiter, DynamoSubscriberStore } from '../../functions/adapters/aws/subscriber-store.js';
import { keyringFromJson, originSecretsFromJson } from '../../functions/adapters/fixed-secrets.js';
import { readBuiltTemplates } from '../../functions/adapters/local/templates.js';
import { composeConfirmMailer } from '../../functions/compose/confirm-mailer.js';
import { composeSubscribeApi } from '../../functions/compose/subscribe-api.js';
import { parseKeyringJson } from '../../functions/core/email/keyring-json.js';
import { buildRawMessage, type RawMessageInput } from '../../functions/core/email/mime.js';
import { sourceCounter } from '../../functions/core/email/subscribe-rate.js';
import { signToken, type TokenKeyring, type TokenPayload } from '../../functions/core/email/tokens.js';
import { ConfirmationRenderer } from '../../functions/core/render/confirmation.js';
import { makeConfirmMailerHandler } from '../../functions/handlers/confirm-mailer.js';
import { makeSubscribeApiHandler } from '../../functions/handlers/subscribe-api.js';
import { BUILT_TEMPLATES_DIR } from '../helpers/built-templates.js';
import { idKeySource, idOf, MemoryQueue, ORIGIN_VALUE } from '../helpers/email-fakes.js';
import {
  createEmailTable,
  type DynamoEmulator,
  mailsTo,
  REGION,
  type SesEmulator,
  type StoredMail,
  startDynamo,
  startSes,
} from '../helpers/emulators.js';
import { functionUrlEvent, sqsEvent, viaCloudFront } from '../helpers/lambda-events.js';

const K1 = 'first-token-key-'.repeat(4);
const K2 = 'second-token-key'.repeat(4);
/** The API's keyring in these tests: key 2 current, key 1 retired (dropped). */
const RING_JSON = JSON.stringify({ current: 2, k2: K2 });
const RING: TokenKeyring = parseKeyringJson(RING_JSON, 'test');
const RETIRED: TokenKeyring = parseKeyringJson(JSON.stringify({ current: 1, k1: K1 }), 'test');
/** An origin header value that was rotated out (`h1` removed): it must not work any more either. */
const RETIRED_ORIGIN = 'retired-origin-header-value-0123456789';
const SITE_URL = 'https://news.example.org/';

let dynamo: DynamoEmulator;
let ses: SesEmulator;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  [dynamo, ses] = await Promise.all([startDynamo(), startSes()]);
  doc = createDocumentClient({
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoints: { dynamodb: dynamo.endpoint },
  });
});
afterAll(async () => {
  await Promise.all([dynamo?.close(), ses?.close()]);
});

interface Tally {
  trials: number;
  accepted: number;
  refused: number;
}

/** Prints one line of figures, as the suite's report. */
function report(what: string, tally: Tally): void {
  console.log(
    `email hostility | ${what}: ${tally.trials} trials, ${tally.accepted} accepted, ${tally.refused} refused`,
  );
}

async function world(perSourcePerHour = 1000, now?: string) {
  const table = `hostile-${randomUUID().slice(0, 8)}`;
  await createEmailTable(doc, table);
  const env = {
    EMAIL_TABLE: table,
    LIST_ID: 'digest',
    SITE_CONFIG: JSON.stringify({ title: 'Harbour Wire', siteUrl: SITE_URL }),
    SUBSCRIBES_PER_SOURCE_PER_HOUR: String(perSourcePerHour),
    FROM_ADDRESS: 'Harbour Wire <news@news.example.org>',
    TEMPLATES_DIR: BUILT_TEMPLATES_DIR,
    CONFIRMATIONS_PER_ADDRESS_PER_DAY: '20',
  };
  const queue = new MemoryQueue();
  const options = {
    env,
    clients: { dynamo: doc, ses: ses.client },
    keyring: keyringFromJson(RING_JSON),
    idKey: idKeySource,
    // A rotation finished: only the new value is accepted.
    origin: originSecretsFromJson(JSON.stringify({ h2: ORIGIN_VALUE })),
    queue,
    ...(now ? { clock: { now: () => new Date(now) } } : {}),
  };
  const mailer = makeConfirmMailerHandler(() =>
    composeConfirmMailer(
      async (dir, config) => ConfirmationRenderer.create(await readBuiltTemplates(dir), config),
      options,
    ),
  );
  const api = makeSubscribeApiHandler(() => composeSubscribeApi(options));
  return {
    table,
    queue,
    store: new DynamoSubscriberStore(doc, table),
    limiter: new DynamoRateLimiter(doc, table),
    api: (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => api(event),
    async drain() {
      const result = await mailer(sqsEvent(queue.requests.splice(0).map((r) => JSON.stringify(r))));
      expect(result.batchItemFailures).toEqual([]);
    },
    async raw(address: string) {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: table,
          Key: { pk: `SUB#${idOf(address)}`, sk: 'PROFILE' },
          ConsistentRead: true,
        }),
      );
      return Item;
    },
  };
}
type World = Awaited<ReturnType<typeof world>>;

const form = (address: string, viewer = '198.51.100.7:50000') =>
  viaCloudFront('POST', '/api/subscribe', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    viewer,
    body: new URLSearchParams({ email: address }).toString(),
  });
const confirmEvent = (token: string) => viaCloudFront('GET', `/api/confirm?token=${token}`);
const oneClick = (token: string) =>
  viaCloudFront('POST', `/api/unsubscribe?token=${token}`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });

/** The token of the last `kind` link mailed to `address`. */
function lastLink(mails: StoredMail[], kind: 'confirm' | 'unsubscribe'): string {
  const text = mails.at(-1)?.body.text ?? '';
  const token = new RegExp(`https://news\\.example\\.org/api/${kind}\\?token=([A-Za-z0-9_-]+)`).exec(
    text,
  )?.[1];
  if (!token) throw new Error(`no ${kind} link in the last mail`);
  return token;
}

async function subscribeAndMail(w: World, address: string): Promise<StoredMail[]> {
  expect((await w.api(form(address))).statusCode).toBe(202);
  await w.drain();
  return mailsTo(await ses.store(), address);
}

describe('email hostility', () => {
  it('replays confirm links across unsubscribe and re-subscribe: none confirms a later subscription', async () => {
    const w = await world();
    const address = 'returning@example.org';
    const tally: Tally = { trials: 0, accepted: 0, refused: 0 };
    const oldLinks: string[] = [];
    for (let round = 0; round < 3; round++) {
      const mails = await subscribeAndMail(w, address);
      const current = lastLink(mails, 'confirm');
      // Every earlier subscription's links, replayed while this one is pending, within their 7 days.
      for (const link of oldLinks) {
        for (let replay = 0; replay < 5; replay++) {
          const before = await w.raw(address);
          const response = await w.api(confirmEvent(link));
          tally.trials++;
          const changed = JSON.stringify(await w.raw(address)) !== JSON.stringify(before);
          if ((response.statusCode ?? 500) < 300 || changed) tally.accepted++;
          else tally.refused++;
        }
      }
      expect((await w.raw(address))?.status).toBe('pending');
      // Control: this subscription's own link confirms it, and its one-click link ends it.
      expect((await w.api(confirmEvent(current))).statusCode).toBe(200);
      expect((await w.raw(address))?.generation).toBe(round);
      // The mail's List-Unsubscribe header does not survive the SES emulator: the same token, signed here.
      const unsubscribe = signToken(RING, {
        purpose: 'unsubscribe',
        subscriberId: idOf(address),
        list: 'digest',
      });
      expect((await w.api(oneClick(unsubscribe))).statusCode).toBe(200);
      oldLinks.push(current);
    }
    report('confirm-link replay across unsubscribe and re-subscribe', tally);
    expect(tally.trials).toBe(5 * (1 + 2));
    expect(tally.accepted).toBe(0);
  });

  it('refuses forged tokens: bit flips, truncations, extensions, another subscriber, purpose or list, a removed key', async () => {
    const w = await world();
    const alice = 'alice@example.org';
    const bob = 'bob@example.org';
    const carol = 'carol@example.org';
    await subscribeAndMail(w, alice);
    for (const address of [bob, carol]) {
      const mails = await subscribeAndMail(w, address);
      expect((await w.api(confirmEvent(lastLink(mails, 'confirm')))).statusCode).toBe(200);
    }
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const confirmA: TokenPayload = {
      purpose: 'confirm',
      subscriberId: idOf(alice),
      list: 'digest',
      expiresAt,
      generation: 0,
    };
    const unsubscribeB: TokenPayload = { purpose: 'unsubscribe', subscriberId: idOf(bob), list: 'digest' };
    const genuineConfirm = signToken(RING, confirmA);
    const genuineUnsubscribe = signToken(RING, unsubscribeB);

    /** Forged tokens, each with the request that would act on it. */
    const forgeries: Array<{ kind: string; event: APIGatewayProxyEventV2 }> = [];
    const add = (kind: string, token: string, as: 'confirm' | 'unsubscribe') =>
      forgeries.push({ kind, event: as === 'confirm' ? confirmEvent(token) : oneClick(token) });
    for (const [genuine, as] of [
      [genuineConfirm, 'confirm'],
      [genuineUnsubscribe, 'unsubscribe'],
    ] as const) {
      const bytes = Buffer.from(genuine, 'base64url');
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        add('bit flip', flipped.toString('base64url'), as);
      }
      for (let length = 0; length < genuine.length; length++) add('truncation', genuine.slice(0, length), as);
      for (const tail of ['A', 'AA', 'AAAA', '_', '-x', '=', '%00'])
        add('extension', `${genuine}${tail}`, as);
      add('whitespace', ` ${genuine}`, as);
    }
    // Another subscriber: Carol's fields under the MAC of Bob's token, and Carol's token under unknown keys.
    const carolUnsubscribe = Buffer.from(
      signToken(RING, { ...unsubscribeB, subscriberId: idOf(carol) }),
      'base64url',
    );
    const bobBytes = Buffer.from(genuineUnsubscribe, 'base64url');
    add(
      'other subscriber (spliced MAC)',
      Buffer.concat([carolUnsubscribe.subarray(0, -32), bobBytes.subarray(-32)]).toString('base64url'),
      'unsubscribe',
    );
    const guessedKey = parseKeyringJson(
      JSON.stringify({ current: 2, k2: 'a-key-the-attacker-made-up-0123456789' }),
      'x',
    );
    add(
      'other subscriber (attacker key)',
      signToken(guessedKey, { ...unsubscribeB, subscriberId: idOf(carol) }),
      'unsubscribe',
    );
    add(
      'other subscriber (attacker key, confirm)',
      signToken(guessedKey, { ...confirmA, subscriberId: idOf(alice) }),
      'confirm',
    );
    // Another purpose or list.
    add('confirm token used to unsubscribe', genuineConfirm, 'unsubscribe');
    add(
      'unsubscribe token used to confirm',
      signToken(RING, { ...unsubscribeB, subscriberId: idOf(alice) }),
      'confirm',
    );
    add('other list', signToken(RING, { ...confirmA, list: 'other' }), 'confirm');
    add('other list', signToken(RING, { ...unsubscribeB, list: 'other' }), 'unsubscribe');
    // A removed key version, as signed, relabelled as the current version, and under an unknown version.
    const retiredConfirm = signToken(RETIRED, confirmA);
    add('removed key', retiredConfirm, 'confirm');
    add('removed key', signToken(RETIRED, unsubscribeB), 'unsubscribe');
    const relabelled = Buffer.from(retiredConfirm, 'base64url');
    relabelled[0] = 2;
    add('removed key relabelled current', relabelled.toString('base64url'), 'confirm');
    for (const version of [0, 3, 255]) {
      const other = Buffer.from(genuineConfirm, 'base64url');
      other[0] = version;
      add('unknown key version', other.toString('base64url'), 'confirm');
    }
    // Another generation and an expiry pushed out, both under the genuine MAC.
    const generationBumped = Buffer.from(genuineConfirm, 'base64url');
    generationBumped.writeUInt32BE(1, 3 + 6);
    add('generation edited', generationBumped.toString('base64url'), 'confirm');
    const expiryEdited = Buffer.from(genuineConfirm, 'base64url');
    expiryEdited.writeUIntBE(2 ** 40, 3, 6);
    add('expiry edited', expiryEdited.toString('base64url'), 'confirm');

    const before = await Promise.all([alice, bob, carol].map((a) => w.raw(a)));
    const tally: Tally = { trials: 0, accepted: 0, refused: 0 };
    const acceptedKinds: string[] = [];
    for (const forgery of forgeries) {
      const response = await w.api(forgery.event);
      tally.trials++;
      if ((response.statusCode ?? 500) < 300) {
        tally.accepted++;
        acceptedKinds.push(forgery.kind);
      } else tally.refused++;
    }
    const after = await Promise.all([alice, bob, carol].map((a) => w.raw(a)));
    report('forged tokens', tally);
    expect(acceptedKinds).toEqual([]);
    expect(tally.accepted).toBe(0);
    expect(tally.trials).toBeGreaterThan(1000);
    expect(after).toEqual(before);

    // Controls: the genuine tokens act.
    expect((await w.api(confirmEvent(genuineConfirm))).statusCode).toBe(200);
    expect((await w.raw(alice))?.status).toBe('confirmed');
    expect((await w.api(oneClick(genuineUnsubscribe))).statusCode).toBe(200);
    expect((await w.raw(bob))?.status).toBe('unsubscribed');
    expect((await w.raw(carol))?.status).toBe('confirmed');
  });

  it('refuses header injection in subject, sender, recipient, extra headers and list URLs: refused or inert', async () => {
    const payloads = [
      '\r\nBcc: victim@example.net',
      '\nBcc: victim@example.net',
      '\rBcc: victim@example.net',
      '\r\n\r\n<p>a body of our own</p>',
      '\r\n Bcc: victim@example.net',
      '\u2028Bcc: victim@example.net',
      '\u0085Bcc: victim@example.net',
      '\u0000\r\nBcc: victim@example.net',
      '\tBcc: victim@example.net',
      '=?UTF-8?B?DQpCY2M6IHZpY3RpbUBleGFtcGxlLm5ldA==?=',
      '%0d%0aBcc:%20victim@example.net',
      ', victim@example.net',
      '>, <victim@example.net',
      '"\r\n" <victim@example.net>',
      `${'x'.repeat(2000)}\r\nBcc: victim@example.net`,
    ];
    const base: RawMessageInput = {
      from: 'Harbour Wire <news@news.example.org>',
      to: 'reader@example.com',
      subject: 'Harbour Wire: the day',
      text: 'Hello\n',
      html: '<p>Hello</p>\n',
      listUnsubscribeUrl: 'https://news.example.org/api/unsubscribe?token=abc',
      date: new Date('2026-11-25T07:00:00Z'),
      headers: { 'X-Edition': 'e-2026-11-25T0700Z' },
    };
    const fields: Array<[string, (payload: string) => Partial<RawMessageInput>]> = [
      ['subject', (p) => ({ subject: `Harbour Wire${p}` })],
      ['from display name', (p) => ({ from: `Harbour${p} Wire <news@news.example.org>` })],
      ['from address', (p) => ({ from: `Harbour Wire <news${p}@news.example.org>` })],
      ['to', (p) => ({ to: `reader${p}@example.com` })],
      ['to (whole)', (p) => ({ to: `reader@example.com${p}` })],
      ['extra header value', (p) => ({ headers: { 'X-Edition': `e-1${p}` } })],
      ['extra header name', (p) => ({ headers: { [`X-Edition${p}`]: 'e-1' } })],
      ['list-unsubscribe url', (p) => ({ listUnsubscribeUrl: `https://news.example.org/u?t=${p}` })],
      ['message id', (p) => ({ messageId: `id${p}@news.example.org` })],
    ];
    const ownNames = [
      'content-type',
      'date',
      'from',
      'list-unsubscribe',
      'list-unsubscribe-post',
      'mime-version',
      'subject',
      'to',
    ];
    /** Built: it must still be exactly the headers we write, each once, one recipient, our own body. */
    const inert = async (raw: string, input: RawMessageInput): Promise<boolean> => {
      // The headers we write, and the extra ones the caller named (a name is code's choice, never input).
      const expectedNames = [
        ...ownNames,
        ...Object.keys(input.headers ?? {}).map((n) => n.toLowerCase()),
      ].sort();
      const [head = '', ...body] = raw.split('\r\n\r\n');
      const names = head
        .split(/\r\n(?![ \t])/)
        .map((line) => line.slice(0, line.indexOf(':')).toLowerCase())
        .filter((name) => name !== 'message-id');
      const parsed = await simpleParser(raw);
      const recipients = [parsed.to, parsed.cc, parsed.bcc]
        .flatMap((list) => (list === undefined ? [] : Array.isArray(list) ? list : [list]))
        .flatMap((list) => list.value.map((entry) => entry.address));
      return (
        JSON.stringify([...names].sort()) === JSON.stringify(expectedNames) &&
        recipients.length === 1 &&
        !recipients.some((address) => address?.toLowerCase().includes('victim')) &&
        !raw.split('\r\n').some((line) => /^bcc:/i.test(line)) &&
        body.join('\r\n\r\n').startsWith('--=_nfg_')
      );
    };
    const tally: Tally & { inert: number } = { trials: 0, accepted: 0, refused: 0, inert: 0 };
    const injected: string[] = [];
    for (const [field, apply] of fields) {
      for (const payload of payloads) {
        tally.trials++;
        const input = { ...base, ...apply(payload) };
        let raw: string;
        try {
          raw = buildRawMessage(input);
        } catch {
          tally.refused++;
          continue;
        }
        const clean = await inert(raw, input);
        if (clean) tally.inert++;
        else {
          tally.accepted++;
          injected.push(`${field}: ${JSON.stringify(payload)}`);
        }
      }
    }
    // The same payloads in the address of a subscribe request: refused at the API, or a valid address
    // (`=?…?=` is plain atext) that goes into a message inertly.
    const w = await world();
    for (const payload of payloads) {
      tally.trials++;
      const response = await w.api(form(`reader${payload}@example.com`));
      const queued = w.queue.requests.splice(0);
      if (response.statusCode === 400 && queued.length === 0) tally.refused++;
      else if (
        response.statusCode === 202 &&
        queued.length === 1 &&
        (await inert(buildRawMessage({ ...base, to: queued[0]!.address }), base))
      )
        tally.inert++;
      else {
        tally.accepted++;
        injected.push(`subscribe address: ${JSON.stringify(payload)}`);
      }
    }
    report(`header injection (${tally.inert} built but inert)`, tally);
    expect(injected).toEqual([]);
    expect(tally.accepted).toBe(0);
    expect(tally.refused).toBeGreaterThan(0);
  });

  it('cannot bypass the per-source limit: direct calls are refused and uncounted, CloudFront viewers get their 20 each', async () => {
    const w = await world(20, '2026-11-25T07:30:00.000Z');
    const at = new Date('2026-11-25T07:30:00.000Z');
    const status = async (event: APIGatewayProxyEventV2) => (await w.api(event)).statusCode;

    // Direct calls to the public function URL, rotating the viewer address and the origin header.
    const direct: Tally = { trials: 0, accepted: 0, refused: 0 };
    const originGuesses = [undefined, '', 'guess', RETIRED_ORIGIN, ORIGIN_VALUE.slice(1), `${ORIGIN_VALUE} `];
    const rotated: string[] = [];
    for (let i = 0; i < 200; i++) {
      const viewer = `203.0.${i >> 8}.${i & 255}`;
      rotated.push(viewer);
      const origin = originGuesses[i % originGuesses.length];
      const event = functionUrlEvent('POST', '/api/subscribe', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'cloudfront-viewer-address': `${viewer}:443`,
          ...(origin === undefined ? {} : { 'x-origin-verify': origin }),
        },
        body: `email=d${i}%40example.org`,
        sourceIp: viewer,
      });
      const code = await status(event);
      direct.trials++;
      if (code === 202) direct.accepted++;
      else if (code === 403) direct.refused++;
    }
    report('rate-limit bypass, direct calls to the function URL', direct);
    expect(direct).toEqual({ trials: 200, accepted: 0, refused: 200 });
    for (const key of [...rotated.slice(0, 10), 'unknown']) {
      expect(await w.limiter.count(sourceCounter(key, 20, at)), key).toBe(0);
    }
    expect(w.queue.requests).toEqual([]);

    // Through CloudFront one viewer can only vary what CloudFront lets it: its port, or its IPv6 host.
    for (const [what, viewerOf] of [
      ['one IPv4 viewer, 200 source ports', (i: number) => `198.51.100.7:${10_000 + i}`],
      ['one IPv6 /64, 200 interface ids', (i: number) => `2001:db8:aa:bb:${i.toString(16)}::1:443`],
    ] as const) {
      const tally: Tally = { trials: 0, accepted: 0, refused: 0 };
      for (let i = 0; i < 200; i++) {
        const code = await status(form(`v${i}@example.org`, viewerOf(i)));
        tally.trials++;
        if (code === 202) tally.accepted++;
        else if (code === 429) tally.refused++;
      }
      report(`rate limit through CloudFront, ${what}`, tally);
      expect(tally).toEqual({ trials: 200, accepted: 20, refused: 180 });
    }
    // Another viewer is not held back by them.
    expect(await status(form('other@example.org', '192.0.2.44:5000'))).toBe(202);
    expect(w.queue.requests).toHaveLength(41);
  });
});
