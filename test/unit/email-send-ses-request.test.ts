/**
 * What the sender hands SES. aws-ses-v2-local parses raw mail and drops the headers this test is
 * about (List-Unsubscribe, List-Unsubscribe-Post) and ignores ConfigurationSetName, so they are
 * checked here on the SDK request itself, captured with aws-sdk-client-mock on SESv2Client. The
 * mail store of the emulator is used for the rest in test/integration/email-editions.test.ts.
 */
import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../functions/adapters/aws/ses-mailer.js';
import type { EditionContent, SendLedger } from '../../functions/core/email/edition-ports.js';
import { type SenderDeps, sendChunk } from '../../functions/core/email/send-chunk.js';
import { SendPacer } from '../../functions/core/email/send-pacer.js';
import { type TokenKeyring, verifyToken } from '../../functions/core/email/tokens.js';

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const EDITION = 'e-2026-11-25T0700Z';
const PLACEHOLDER = 'https://unsubscribe.invalid/feedfacefeedfacefeedfacefeedface';
const keyring: TokenKeyring = { current: { version: 3, secret: new Uint8Array(32).fill(9) }, previous: [] };
const content: EditionContent = {
  editionId: EDITION,
  scheduledTime: '2026-11-25T07:00:00.000Z',
  subject: 'Panjshir Wire: Talks continue (+2 more)',
  html: `<html><body><p>Talks continue</p><a href="${PLACEHOLDER}">Unsubscribe</a></body></html>`,
  text: `Talks continue\n\nUnsubscribe: ${PLACEHOLDER}\n`,
  placeholder: PLACEHOLDER,
  archivedPath: `digests/${EDITION}.html`,
};
/** The ledger is not under test here: every claim succeeds. */
const openLedger: SendLedger = {
  claim: async () => ({ claimed: true }),
  recordSent: async () => true,
  markUnknown: async () => true,
  markFailed: async () => true,
  release: async () => true,
};

function deps(mailer: SesMailer): SenderDeps {
  let now = Date.parse('2026-11-25T07:00:05.000Z');
  const clock = { now: () => new Date(now) };
  const sleep = async (ms: number) => {
    now += ms;
  };
  return {
    directory: {
      async stillConfirmed(ids) {
        return new Map(
          ids.map((id, i) => [
            id,
            { id, address: `reader${i}@example.org`, confirmedAt: '2026-11-01T00:00:00.000Z' },
          ]),
        );
      },
    },
    content: async () => content,
    ledger: openLedger,
    mailer,
    pacer: new SendPacer({ quota: mailer, concurrency: 2, clock, sleep }),
    keyring: { keyring: async () => keyring },
    clock,
    sleep,
    random: () => 0,
    newAttemptId: () => 'attempt',
    from: { address: 'news@panjshir.example', name: 'Panjshir Wire' },
    listId: 'digest',
    siteUrl: 'https://news.panjshir.example/',
  };
}

describe('the SendEmail request', () => {
  it('carries the one-click unsubscribe headers, the configuration set and the tags', async () => {
    ses
      .on(GetAccountCommand)
      .resolves({ SendQuota: { MaxSendRate: 14, Max24HourSend: 1000, SentLast24Hours: 0 } });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    const mailer = new SesMailer(new SESv2Client({ region: 'us-east-1' }), {
      configurationSet: 'newsfeed-events',
    });
    const ids = ['1', '2'].map((n) => n.padStart(32, '0'));

    const report = await sendChunk(deps(mailer), { kind: 'edition', editionId: EDITION, subscriberIds: ids });

    expect(report.sent).toBe(2);
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(2);
    for (const [i, call] of calls.entries()) {
      const input = call.args[0].input;
      expect(input.ConfigurationSetName).toBe('newsfeed-events');
      expect(input.FromEmailAddress).toBe('news@panjshir.example');
      expect(input.Destination?.ToAddresses).toEqual([`reader${i}@example.org`]);
      expect(input.EmailTags).toEqual([
        { Name: 'edition', Value: EDITION },
        { Name: 'subscriber', Value: ids[i] },
      ]);
      const raw = Buffer.from(input.Content!.Raw!.Data!).toString('utf8');
      const [head] = raw.split('\r\n\r\n');
      const url = /^List-Unsubscribe: <([^>]+)>$/m.exec(head!)?.[1];
      expect(url?.startsWith('https://news.panjshir.example/api/unsubscribe?token=')).toBe(true);
      const token = new URL(url!).searchParams.get('token')!;
      expect(verifyToken(keyring, token, { purpose: 'unsubscribe', list: 'digest' }, new Date())).toEqual({
        ok: true,
        subscriberId: ids[i],
        generation: 0,
      });
      expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      expect(head).toMatch(/^Content-Type: multipart\/alternative; boundary=/m);
      expect(head).toMatch(/^Subject: Panjshir Wire: Talks continue \(\+2 more\)$/m);
      expect(head).toMatch(new RegExp(`^X-Edition: ${EDITION}$`, 'm'));
      expect(raw).toContain('Content-Type: text/plain; charset=UTF-8');
      expect(raw).toContain('Content-Type: text/html; charset=UTF-8');
    }
    // GetAccount once for the container, however many sends.
    expect(ses.commandCalls(GetAccountCommand)).toHaveLength(1);
  });
});
