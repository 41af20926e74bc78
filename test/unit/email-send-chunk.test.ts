/**
 * The sender use case on in-memory ports: the ledger here keeps the DynamoDB adapter's conditional
 * semantics (the adapter itself runs against dynalite in test/integration/email-editions.test.ts).
 * Covers every SES outcome, crashes on either side of the send, eligibility, the personal message
 * and the pacing; the time is virtual.
 */
import { describe, expect, it } from 'vitest';
import type {
  ClaimResult,
  EditionContent,
  EditionSendMessage,
  SendLedger,
  SendRecord,
} from '../../functions/core/email/edition-ports.js';
import {
  type MailSender,
  type OutgoingMail,
  type Recipient,
  SendOutcomeUnknownError,
  SendRejectedError,
  SendThrottledError,
  SendUnavailableError,
} from '../../functions/core/email/ports.js';
import { ChunkRetryError, type SenderDeps, sendChunk } from '../../functions/core/email/send-chunk.js';
import { senderIdentity } from '../../functions/core/email/send-message.js';
import { perSenderRate, SendPacer } from '../../functions/core/email/send-pacer.js';
import { unsubscribeUrl } from '../../functions/core/email/subscribe-links.js';
import { type TokenKeyring, verifyToken } from '../../functions/core/email/tokens.js';

const EDITION = 'e-2026-11-25T0700Z';
const SCHEDULED = '2026-11-25T07:00:00.000Z';
const PLACEHOLDER = 'https://unsubscribe.invalid/0123456789abcdef';
const keyring: TokenKeyring = { current: { version: 1, secret: new Uint8Array(32).fill(7) }, previous: [] };
const content: EditionContent = {
  editionId: EDITION,
  scheduledTime: SCHEDULED,
  subject: 'Test Wire: A story (+1 more)',
  html: `<p>Story</p><a href="${PLACEHOLDER}">Unsubscribe</a>`,
  text: `Story\nUnsubscribe: ${PLACEHOLDER}\n`,
  placeholder: PLACEHOLDER,
  archivedPath: `digests/${EDITION}.html`,
};

/** The DynamoDB ledger's semantics: attribute_not_exists claims, attemptId-conditional updates. */
class MemoryLedger implements SendLedger {
  items = new Map<string, SendRecord>();
  key = (e: string, s: string) => `${e}#${s}`;
  async claim(editionId: string, subscriberId: string, attemptId: string, at: string): Promise<ClaimResult> {
    const existing = this.items.get(this.key(editionId, subscriberId));
    if (existing) return { claimed: false, existing: { ...existing } };
    this.items.set(this.key(editionId, subscriberId), {
      editionId,
      subscriberId,
      state: 'claimed',
      attemptId,
      claimedAt: at,
    });
    return { claimed: true };
  }
  private mine(e: string, s: string, attemptId: string) {
    const item = this.items.get(this.key(e, s));
    return item?.attemptId === attemptId ? item : undefined;
  }
  async recordSent(e: string, s: string, attemptId: string, messageId: string, at: string) {
    const item = this.mine(e, s, attemptId);
    if (!item) return false;
    Object.assign(item, { state: 'sent', messageId, sentAt: at });
    return true;
  }
  async markUnknown(e: string, s: string, attemptId: string, reason: string) {
    const item = this.mine(e, s, attemptId);
    if (item?.state !== 'claimed') return false;
    Object.assign(item, { state: 'unknown', error: reason });
    return true;
  }
  async markFailed(e: string, s: string, attemptId: string, error: string) {
    const item = this.mine(e, s, attemptId);
    if (!item) return false;
    Object.assign(item, { state: 'failed', error });
    return true;
  }
  async release(e: string, s: string, attemptId: string) {
    if (!this.mine(e, s, attemptId)) return false;
    this.items.delete(this.key(e, s));
    return true;
  }
  state(s: string) {
    return this.items.get(this.key(EDITION, s))?.state;
  }
}

const id = (n: number) => n.toString(16).padStart(32, '0');
const recipient = (n: number, confirmedAt = '2026-11-01T00:00:00.000Z'): Recipient => ({
  id: id(n),
  address: `reader${n}@example.org`,
  confirmedAt,
});

type Script = (mail: OutgoingMail, attempt: number) => Error | 'crash' | undefined;

function harness(readers: Recipient[], script: Script = () => undefined) {
  const ledger = new MemoryLedger();
  const delivered: OutgoingMail[] = [];
  const attempts = new Map<string, number>();
  let clock = Date.parse('2026-11-25T07:01:00.000Z');
  const sleeps: number[] = [];
  const warnings: Array<Record<string, unknown>> = [];
  const mailer: MailSender = {
    async send(mail) {
      const n = attempts.get(mail.to) ?? 0;
      attempts.set(mail.to, n + 1);
      const outcome = script(mail, n);
      if (outcome === 'crash') throw new TypeError('the process died');
      if (outcome) throw outcome;
      delivered.push(mail);
      return { messageId: `ses-${delivered.length}` };
    },
  };
  let attempt = 0;
  const deps: SenderDeps = {
    directory: {
      async stillConfirmed(ids) {
        return new Map(readers.filter((r) => ids.includes(r.id)).map((r) => [r.id, r]));
      },
    },
    content: async (editionId) => (editionId === EDITION ? content : undefined),
    ledger,
    mailer,
    pacer: { acquire: async () => {} },
    keyring: { keyring: async () => keyring },
    clock: { now: () => new Date(clock) },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    newAttemptId: () => `attempt-${++attempt}`,
    from: { address: 'news@example.org', name: 'Test Wire' },
    listId: 'digest',
    siteUrl: 'https://news.example.org/',
    maxThrottleRetries: 3,
    log: { warn: (_message, fields) => warnings.push(fields) },
  };
  const message = (ids: string[]): EditionSendMessage => ({
    kind: 'edition',
    editionId: EDITION,
    subscriberIds: ids,
  });
  return { deps, ledger, delivered, attempts, sleeps, warnings, message };
}

describe('sendChunk', () => {
  it('sends each eligible subscriber once and records the message id', async () => {
    const readers = [recipient(1), recipient(2), recipient(3, '2026-11-25T07:00:00.000Z')];
    const h = harness(readers);
    const ids = [id(1), id(2), id(3), id(4), id(1)];
    const report = await sendChunk(h.deps, h.message(ids));
    // 3 confirmed at the schedule time (not before), 4 not confirmed, 1 listed twice.
    expect(report).toMatchObject({ sent: 2, notEligible: 2, skipped: 0, unknown: 0, failed: 0 });
    expect(h.delivered.map((m) => m.to)).toEqual(['reader1@example.org', 'reader2@example.org']);
    expect(h.ledger.items.get(`${EDITION}#${id(1)}`)).toMatchObject({ state: 'sent', messageId: 'ses-1' });

    // The same message again (SQS redelivers): nothing is sent twice.
    const again = await sendChunk(h.deps, h.message(ids));
    expect(again).toMatchObject({ sent: 0, skipped: 2 });
    expect(h.delivered.length).toBe(2);
  });

  it('builds a personal message: own unsubscribe token, one-click headers, edition tags', async () => {
    const h = harness([recipient(1)]);
    await sendChunk(h.deps, h.message([id(1)]));
    const mail = h.delivered[0]!;
    expect(mail).toMatchObject({ from: 'news@example.org', to: 'reader1@example.org' });
    expect(mail.tags).toEqual({ edition: EDITION, subscriber: id(1) });
    const raw = mail.raw;
    const url = /^List-Unsubscribe: <(https:\/\/[^>]+)>$/m.exec(raw)?.[1];
    expect(url).toMatch(/^https:\/\/news\.example\.org\/api\/unsubscribe\?token=[A-Za-z0-9_-]+$/);
    const token = new URL(url!).searchParams.get('token')!;
    const verdict = verifyToken(
      keyring,
      token,
      { purpose: 'unsubscribe', list: 'digest' },
      new Date('2099-01-01'),
    );
    expect(verdict).toEqual({ ok: true, subscriberId: id(1), generation: 0 });
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw).toContain(`X-Edition: ${EDITION}`);
    expect(raw).toContain('From: Test Wire <news@example.org>');
    expect(raw).toContain(`Subject: ${content.subject}`);
    expect(raw).not.toContain('unsubscribe.invalid');
    // Quoted-printable may break long lines: the token is in both parts once soft breaks are undone.
    const decoded = raw.replace(/=\r\n/g, '').replace(/=3D/g, '=');
    expect(decoded.split(unsubscribeUrl('https://news.example.org/', token)).length - 1).toBe(3);
  });

  it('retries a throttled send after a backoff, and gives the claim back when throttling lasts', async () => {
    const h = harness([recipient(1), recipient(2)], (mail, attempt) =>
      mail.to === 'reader1@example.org' && attempt < 2
        ? new SendThrottledError('slow down')
        : mail.to === 'reader2@example.org'
          ? new SendThrottledError('slow down')
          : undefined,
    );
    const error = await sendChunk(h.deps, h.message([id(1), id(2)])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkRetryError);
    expect((error as ChunkRetryError).report).toMatchObject({ sent: 1, throttled: 2 + 4 });
    expect(h.attempts.get('reader1@example.org')).toBe(3);
    expect(h.attempts.get('reader2@example.org')).toBe(4);
    // Backoff: full jitter with random 0.5 → half of 100, 200, 400 ms …
    expect(h.sleeps).toEqual([50, 100, 50, 100, 200]);
    expect(h.ledger.state(id(1))).toBe('sent');
    // Not sent: the claim was deleted, so the message's next delivery sends it.
    expect(h.ledger.state(id(2))).toBeUndefined();
  });

  it('marks a rejected send failed and never retries it', async () => {
    const h = harness([recipient(1), recipient(2)], (mail) =>
      mail.to === 'reader1@example.org' ? new SendRejectedError('MessageRejected') : undefined,
    );
    expect(await sendChunk(h.deps, h.message([id(1), id(2)]))).toMatchObject({ sent: 1, failed: 1 });
    expect(h.ledger.items.get(`${EDITION}#${id(1)}`)).toMatchObject({
      state: 'failed',
      error: 'MessageRejected',
    });
    expect(await sendChunk(h.deps, h.message([id(1), id(2)]))).toMatchObject({ sent: 0, skipped: 2 });
    expect(h.attempts.get('reader1@example.org')).toBe(1);
  });

  it('stops the chunk and gives the claim back when SES cannot send at all', async () => {
    let paused = true;
    const h = harness([recipient(1), recipient(2)], () =>
      paused ? new SendUnavailableError('paused') : undefined,
    );
    await expect(sendChunk(h.deps, h.message([id(1), id(2)]))).rejects.toBeInstanceOf(ChunkRetryError);
    expect(h.attempts.get('reader2@example.org')).toBeUndefined();
    expect(h.ledger.state(id(1))).toBeUndefined();
    paused = false;
    expect(await sendChunk(h.deps, h.message([id(1), id(2)]))).toMatchObject({ sent: 2 });
  });

  it('never sends again when the outcome is unknown (at most once)', async () => {
    const h = harness([recipient(1)], (_, attempt) =>
      attempt === 0 ? new SendOutcomeUnknownError('socket hang up') : undefined,
    );
    expect(await sendChunk(h.deps, h.message([id(1)]))).toMatchObject({ unknown: 1, sent: 0 });
    expect(h.ledger.state(id(1))).toBe('unknown');
    expect(h.warnings).toEqual([expect.objectContaining({ editionId: EDITION, subscriberId: id(1) })]);
    expect(await sendChunk(h.deps, h.message([id(1)]))).toMatchObject({ skipped: 1, sent: 0 });
    expect(h.attempts.get('reader1@example.org')).toBe(1);
  });

  it('leaves the claim after a crash; the next delivery marks it unknown and does not send', async () => {
    let crash = true;
    const h = harness([recipient(1), recipient(2)], (mail) =>
      crash && mail.to === 'reader2@example.org' ? 'crash' : undefined,
    );
    await expect(sendChunk(h.deps, h.message([id(1), id(2)]))).rejects.toThrow('the process died');
    expect(h.ledger.state(id(2))).toBe('claimed');
    crash = false;
    const report = await sendChunk(h.deps, h.message([id(1), id(2)]));
    expect(report).toMatchObject({ sent: 0, skipped: 1, unknown: 1 });
    expect(h.ledger.state(id(2))).toBe('unknown');
    expect(h.delivered.map((m) => m.to)).toEqual(['reader1@example.org']);
  });

  it('stops claiming before the function times out, and gives back a claim rather than wait', async () => {
    const h = harness([recipient(1), recipient(2), recipient(3)], (mail, attempt) =>
      mail.to === 'reader2@example.org' && attempt === 0 ? new SendThrottledError('slow down') : undefined,
    );
    // 30 s left at first; the throttled send's backoff is then judged against 20.04 s.
    const left = [30_000, 30_000, 20_040];
    const error = await sendChunk(h.deps, h.message([id(1), id(2), id(3)]), {
      timeLeft: () => left.shift() ?? 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkRetryError);
    expect((error as ChunkRetryError).report).toMatchObject({ sent: 1, throttled: 1 });
    expect(h.ledger.state(id(1))).toBe('sent');
    // Released, not left claimed (which would make it unknown): the redelivery sends it.
    expect(h.ledger.state(id(2))).toBeUndefined();
    expect(h.ledger.state(id(3))).toBeUndefined();
    expect(await sendChunk(h.deps, h.message([id(1), id(2), id(3)]))).toMatchObject({ sent: 2, skipped: 1 });
  });

  it('fails the whole message when the edition has no content', async () => {
    const h = harness([recipient(1)]);
    await expect(
      sendChunk(h.deps, { kind: 'edition', editionId: 'e-2020-01-01T0000Z', subscriberIds: [id(1)] }),
    ).rejects.toThrow(/no stored content/);
    expect(h.ledger.items.size).toBe(0);
  });

  it('records an address no message can carry as failed, without sending', async () => {
    const h = harness([{ ...recipient(1), address: 'bad\r\nBcc: victim@example.org' }, recipient(2)]);
    expect(await sendChunk(h.deps, h.message([id(1), id(2)]))).toMatchObject({ failed: 1, sent: 1 });
    expect(h.ledger.state(id(1))).toBe('failed');
    expect(h.delivered.map((m) => m.to)).toEqual(['reader2@example.org']);
  });
});

describe('senderIdentity', () => {
  it('takes a bare address with a default name, or a configured name', () => {
    expect(senderIdentity('news@example.org', 'Wire')).toEqual({ address: 'news@example.org', name: 'Wire' });
    expect(senderIdentity('"The Wire" <news@example.org>', 'Wire')).toEqual({
      address: 'news@example.org',
      name: 'The Wire',
    });
    expect(senderIdentity('news@example.org')).toEqual({ address: 'news@example.org' });
  });
});

describe('pacing', () => {
  it('gives each container a whole share of MaxSendRate when it can', () => {
    expect(perSenderRate(14, 2)).toBe(7);
    expect(perSenderRate(14, 3)).toBe(4);
    expect(perSenderRate(1, 2)).toBe(0.5);
    expect(() => perSenderRate(0, 2)).toThrow(RangeError);
    expect(() => perSenderRate(14, 0)).toThrow(RangeError);
  });

  it('reads the quota once and spaces sends at the container rate', async () => {
    let now = 0;
    let quotaReads = 0;
    const pacer = new SendPacer({
      quota: {
        async quota() {
          quotaReads++;
          return { maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 0 };
        },
      },
      concurrency: 2,
      clock: { now: () => new Date(now) },
      sleep: async (ms) => {
        now += ms;
      },
    });
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      await pacer.acquire();
      times.push(now);
    }
    expect(quotaReads).toBe(1);
    expect(await pacer.rate()).toBe(7);
    // 7 per second: the 8th send is a full second after the 1st, never within it.
    expect(times.filter((t) => t < 1000).length).toBe(7);
    expect(times[7]! - times[0]!).toBeGreaterThanOrEqual(1000);
  });

  it('reads the quota again after a failed read', async () => {
    let calls = 0;
    const pacer = new SendPacer({
      quota: {
        async quota() {
          if (calls++ === 0) throw new SendUnavailableError('GetAccount failed');
          return { maxSendRate: 10, max24HourSend: 1, sentLast24Hours: 0 };
        },
      },
      concurrency: 1,
      clock: { now: () => new Date(0) },
      sleep: async () => {},
    });
    await expect(pacer.acquire()).rejects.toThrow('GetAccount failed');
    await expect(pacer.rate()).resolves.toBe(10);
  });
});
