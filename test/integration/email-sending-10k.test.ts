/**
 * 10,000 recipients through fan-out and two sender containers (SEND_CONCURRENCY = 2), with SES
 * throttling injected. SES is aws-sdk-client-mock on SESv2Client behind the real SesMailer: the
 * emulator cannot throttle, and ~10 % of SendEmail calls answer TooManyRequestsException here
 * (seeded, so every run is the same). GetAccount reports MaxSendRate 14. The send ledger is the
 * real DynamoDB adapter on dynalite; the recipient list is in memory (10,000 subscriber items
 * would only test dynalite's write speed) and the outbox is an in-memory queue (no SQS emulator).
 *
 * Time is virtual: a discrete-event clock advances only when every container is waiting in
 * `sleep` (token bucket or backoff), so DynamoDB calls take no virtual time and the figures are
 * exact. Asserted and printed: every chunk ≤ 50, the peak number of SendEmail calls in any
 * one-second window ≤ MaxSendRate, every throttled send retried, 0 lost, 0 duplicates.
 */
import { randomUUID } from 'node:crypto';
import {
  GetAccountCommand,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../functions/adapters/aws/clients.js';
import { DynamoEditionStore } from '../../functions/adapters/aws/edition-store.js';
import { outboxBody } from '../../functions/adapters/aws/sqs-outbox.js';
import { keyringFromJson } from '../../functions/adapters/fixed-secrets.js';
import { composeSender } from '../../functions/compose/sender.js';
import type { EditionSendMessage } from '../../functions/core/email/edition-ports.js';
import { fanOut, MAX_RECIPIENTS_PER_MESSAGE } from '../../functions/core/email/fan-out.js';
import type { Recipient, RecipientDirectory } from '../../functions/core/email/ports.js';
import { makeSenderHandler } from '../../functions/handlers/sender.js';
import { createEmailTable, startDynamo, testClients } from '../helpers/emulators.js';
import { sqsRecord } from '../helpers/lambda-events.js';

const RECIPIENTS = 10_000;
const MAX_SEND_RATE = 14;
const CONCURRENCY = 2;
const THROTTLE_SHARE = 0.1;
const EDITION = 'e-2026-11-25T0700Z';
const SCHEDULED = '2026-11-25T07:00:00.000Z';
const START = Date.parse('2026-11-25T07:00:05.000Z');

/** Discrete-event time: advances to the next timer only when no task is running. */
class VirtualTime {
  #now = 0;
  #running = 0;
  #seq = 0;
  #timers: Array<{ at: number; seq: number; wake: () => void }> = [];
  #pending = false;

  now = () => this.#now;

  sleep = (ms: number) =>
    new Promise<void>((wake) => {
      this.#timers.push({ at: this.#now + Math.max(0, ms), seq: this.#seq++, wake });
      this.#running--;
      this.#advance();
    });

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#advance();
    }
  }

  #advance() {
    if (this.#pending) return;
    this.#pending = true;
    setImmediate(() => {
      this.#pending = false;
      if (this.#running > 0 || this.#timers.length === 0) return;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift()!;
      this.#now = Math.max(this.#now, next.at);
      this.#running++;
      next.wake();
    });
  }
}

/** mulberry32: a small seeded generator, so the throttled calls are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function memoryDirectory(all: Recipient[]): RecipientDirectory {
  const byId = new Map(all.map((r) => [r.id, r]));
  return {
    async confirmedBefore(before, cursor) {
      const start = cursor ? Number(cursor) : 0;
      const eligible = all.filter((r) => r.confirmedAt < before);
      const page = eligible.slice(start, start + 1000);
      return start + 1000 < eligible.length
        ? { recipients: page, cursor: String(start + 1000) }
        : { recipients: page };
    },
    async stillConfirmed(ids) {
      return new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : [])));
    },
  };
}

/** Most items of a sorted list inside any half-open window [t, t + width). */
function peakInWindow(sorted: number[], width: number): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= width) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let clients: AwsClients;
const ses = mockClient(SESv2Client);

beforeAll(async () => {
  dynamo = await startDynamo();
  clients = testClients('http://127.0.0.1:9', dynamo.endpoint);
});
afterAll(async () => {
  ses.restore();
  await dynamo?.close();
});

describe('sending 10,000 recipients', () => {
  it('keeps every chunk ≤ 50 and the rate ≤ MaxSendRate, retries every throttled send, loses and duplicates none', async () => {
    const table = `email-${randomUUID().slice(0, 8)}`;
    await createEmailTable(clients.dynamo, table);
    const recipients: Recipient[] = Array.from({ length: RECIPIENTS }, (_, i) => ({
      id: i.toString(16).padStart(32, '0'),
      address: `reader${i}@example.org`,
      confirmedAt: '2026-11-01T00:00:00.000Z',
    }));
    const directory = memoryDirectory(recipients);
    await new DynamoEditionStore(clients.dynamo, table).putContent({
      editionId: EDITION,
      scheduledTime: SCHEDULED,
      subject: 'Test Wire: the news (+4 more)',
      html: '<p>The news</p><a href="https://unsubscribe.invalid/aa">Unsubscribe</a>',
      text: 'The news\nUnsubscribe: https://unsubscribe.invalid/aa\n',
      placeholder: 'https://unsubscribe.invalid/aa',
      archivedPath: `digests/${EDITION}.html`,
    });

    // Fan-out into the outbox.
    const queue: Array<{ messageId: string; body: string }> = [];
    const chunks: EditionSendMessage[] = [];
    const fanned = await fanOut(
      {
        directory,
        outbox: {
          async enqueue(messages) {
            chunks.push(...messages);
            for (const m of messages) queue.push({ messageId: randomUUID(), body: outboxBody(m) });
          },
        },
      },
      EDITION,
      SCHEDULED,
    );
    expect(fanned.recipients).toBe(RECIPIENTS);

    // SES: every call recorded at its virtual time; ~10 % throttled.
    const time = new VirtualTime();
    const throttle = seeded(20261125);
    const calls: Array<{ at: number; to: string; accepted: boolean }> = [];
    ses.on(GetAccountCommand).resolves({
      SendQuota: { MaxSendRate: MAX_SEND_RATE, Max24HourSend: 50_000, SentLast24Hours: 0 },
    });
    ses.on(SendEmailCommand).callsFake(async (input: { Destination?: { ToAddresses?: string[] } }) => {
      const to = input.Destination?.ToAddresses?.[0] ?? '';
      const accepted = throttle() >= THROTTLE_SHARE;
      calls.push({ at: time.now(), to, accepted });
      if (!accepted) {
        throw new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: {} });
      }
      return { MessageId: `ses-${calls.length}` };
    });

    // SEND_CONCURRENCY containers, each composed once (its own token bucket), batch size 1.
    const env = {
      EMAIL_TABLE: table,
      SITE_CONFIG: JSON.stringify({ title: 'Test Wire', siteUrl: 'https://news.example.org/' }),
      FROM_ADDRESS: 'news@example.org',
      CONFIGURATION_SET: 'newsfeed-events',
      SEND_CONCURRENCY: String(CONCURRENCY),
    };
    const backoff = seeded(7);
    const containers = Array.from({ length: CONCURRENCY }, () =>
      makeSenderHandler(() =>
        composeSender({
          clients: { dynamo: clients.dynamo, ses: new SESv2Client({ region: 'us-east-1' }) },
          env,
          clock: { now: () => new Date(START + time.now()) },
          sleep: time.sleep,
          random: backoff,
          keyring: keyringFromJson(JSON.stringify({ current: 1, keys: { '1': 'k'.repeat(40) } })),
          directory,
        }),
      ),
    );
    let redelivered = 0;
    const wall = performance.now();
    while (queue.length) {
      await Promise.all(
        containers.map((handler) =>
          time.run(async () => {
            for (let next = queue.shift(); next; next = queue.shift()) {
              const record = sqsRecord(next.messageId, next.body);
              const failed = await handler({ Records: [record] }).then(
                (response) => response.batchItemFailures.length > 0,
                () => true,
              );
              if (failed) {
                redelivered++;
                queue.push(next);
              }
            }
          }),
        ),
      );
    }
    const wallSeconds = (performance.now() - wall) / 1000;

    // The figures.
    const largestChunk = Math.max(...chunks.map((c) => c.subscriberIds.length));
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    const peak = peakInWindow(times, 1000);
    const throttled = calls.filter((c) => !c.accepted);
    const acceptedBy = new Map<string, number[]>();
    for (const call of calls)
      if (call.accepted) acceptedBy.set(call.to, [...(acceptedBy.get(call.to) ?? []), call.at]);
    const lost = recipients.filter((r) => !acceptedBy.has(r.address)).length;
    const duplicates = [...acceptedBy.values()].filter((ats) => ats.length > 1).length;
    const retried = throttled.filter((t) => (acceptedBy.get(t.to) ?? []).some((at) => at > t.at)).length;
    const ledger = new Map<string, number>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await clients.dynamo.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'begins_with(pk, :send)',
          ExpressionAttributeValues: { ':send': `SEND#${EDITION}#` },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? [])
        ledger.set(String(item.state), (ledger.get(String(item.state)) ?? 0) + 1);
      start = page.LastEvaluatedKey;
    } while (start);
    const virtualSeconds = (times.at(-1)! - times[0]!) / 1000;

    console.log(
      `10k send: recipients ${RECIPIENTS}, chunks ${chunks.length} (largest ${largestChunk}), ` +
        `SendEmail calls ${calls.length}, throttled ${throttled.length} (retried ${retried}), ` +
        `peak ${peak}/s over any 1 s window (MaxSendRate ${MAX_SEND_RATE}, ${CONCURRENCY} senders), ` +
        `lost ${lost}, duplicates ${duplicates}, ledger ${JSON.stringify(Object.fromEntries(ledger))}, ` +
        `redelivered messages ${redelivered}, virtual ${virtualSeconds.toFixed(1)} s, wall ${wallSeconds.toFixed(1)} s (dynalite ledger)`,
    );

    expect(chunks).toHaveLength(Math.ceil(RECIPIENTS / MAX_RECIPIENTS_PER_MESSAGE));
    expect(largestChunk).toBeLessThanOrEqual(MAX_RECIPIENTS_PER_MESSAGE);
    expect(peak).toBeLessThanOrEqual(MAX_SEND_RATE);
    // The senders really ran at the limit, not far under it.
    expect(peak).toBeGreaterThanOrEqual(MAX_SEND_RATE - 1);
    expect(throttled.length).toBeGreaterThan(RECIPIENTS * THROTTLE_SHARE * 0.8);
    expect(retried).toBe(throttled.length);
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(Object.fromEntries(ledger)).toEqual({ sent: RECIPIENTS });
    // Throttling costs time: the calls, not only the sends, are paced.
    expect(virtualSeconds).toBeGreaterThanOrEqual((calls.length - MAX_SEND_RATE) / MAX_SEND_RATE);
  }, 180_000);
});
