/**
 * SES feedback parsing and its effect on subscribers, on recorded-shape samples in
 * `test/fixtures/ses-events/` (the configuration-set event JSON SES publishes to SNS, written after the
 * examples in the SES developer guide; one in the older identity-notification shape). The DynamoDB
 * side and the SNS handler are exercised in `test/integration/email-subscribe.test.ts`.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { BounceMessageError, parseBounceNotice } from '../../functions/core/email/bounce-events.js';
import { applyBounceNotice } from '../../functions/core/email/bounces.js';
import type { Subscriber } from '../../functions/core/email/ports.js';
import { fixedClock, idKeySource, idOf, MemoryStore } from '../helpers/email-fakes.js';

const sample = (name: string) =>
  readFileSync(new URL(`../fixtures/ses-events/${name}.json`, import.meta.url), 'utf8');

const NOW = '2026-11-25T08:00:00.000Z';

function confirmed(address: string): Subscriber {
  return {
    id: idOf(address),
    address,
    status: 'confirmed',
    generation: 0,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    confirmedAt: '2026-11-01T00:00:00.000Z',
    transientBounces: 0,
  };
}

describe('parseBounceNotice', () => {
  it('reads the three kinds from configuration-set events', () => {
    expect(parseBounceNotice(sample('permanent-bounce'))).toEqual({
      kind: 'permanent-bounce',
      recipients: ['gone@example.net'],
      feedbackId: '0100019a6f3c2b1d-4e8f2a61-5c3b-4d7e-9f10-2b6c8a1d3e5f-000000',
      subType: 'General',
    });
    expect(parseBounceNotice(sample('transient-bounce'))).toMatchObject({
      kind: 'transient-bounce',
      recipients: ['Full.Box@Example.COM'],
      bounceType: 'Transient',
      subType: 'MailboxFull',
    });
    expect(parseBounceNotice(sample('complaint'))).toMatchObject({
      kind: 'complaint',
      recipients: ['annoyed@example.org'],
      feedbackType: 'abuse',
    });
  });

  it('reads the identity-notification shape (notificationType) the same way', () => {
    expect(parseBounceNotice(sample('identity-notification-bounce'))).toMatchObject({
      kind: 'permanent-bounce',
      recipients: ['nobody@example.net'],
      subType: 'NoEmail',
    });
  });

  it('treats an Undetermined bounce as transient, and ignores deliveries and not-spam reports', () => {
    const undetermined = JSON.parse(sample('permanent-bounce'));
    undetermined.bounce.bounceType = 'Undetermined';
    expect(parseBounceNotice(JSON.stringify(undetermined)).kind).toBe('transient-bounce');
    expect(parseBounceNotice(sample('delivery'))).toEqual({ kind: 'ignored', reason: 'event type Delivery' });
    const notSpam = JSON.parse(sample('complaint'));
    notSpam.complaint.complaintFeedbackType = 'not-spam';
    expect(parseBounceNotice(JSON.stringify(notSpam)).kind).toBe('ignored');
  });

  it('refuses what is not SES feedback', () => {
    const noRecipients = JSON.parse(sample('permanent-bounce'));
    noRecipients.bounce.bouncedRecipients = [];
    const noFeedbackId = JSON.parse(sample('complaint'));
    delete noFeedbackId.complaint.feedbackId;
    for (const message of [
      'not json',
      '[]',
      '{"Type":"Notification"}',
      JSON.stringify(noRecipients),
      JSON.stringify(noFeedbackId),
    ]) {
      expect(() => parseBounceNotice(message), message).toThrow(BounceMessageError);
    }
  });
});

describe('applyBounceNotice', () => {
  let store: MemoryStore;
  const deps = () => ({ store, idKey: idKeySource, clock: fixedClock(NOW) });
  beforeEach(() => {
    store = new MemoryStore();
    for (const address of ['gone@example.net', 'Full.Box@example.com', 'annoyed@example.org']) {
      store.profiles.set(idOf(address), confirmed(address));
    }
  });

  it('suppresses at once on a permanent bounce, and reports a repeat as already suppressed', async () => {
    const notice = parseBounceNotice(sample('permanent-bounce'));
    const id = idOf('gone@example.net');
    expect(await applyBounceNotice(deps(), notice)).toEqual([{ subscriberId: id, action: 'suppressed' }]);
    expect(store.profiles.get(id)).toMatchObject({
      status: 'suppressed',
      suppressReason: 'permanent-bounce',
      suppressedAt: NOW,
    });
    expect(await applyBounceNotice(deps(), notice)).toEqual([
      { subscriberId: id, action: 'already-suppressed' },
    ]);
  });

  it('suppresses on a complaint with the complaint as reason', async () => {
    await applyBounceNotice(deps(), parseBounceNotice(sample('complaint')));
    expect(store.profiles.get(idOf('annoyed@example.org'))).toMatchObject({
      status: 'suppressed',
      suppressReason: 'complaint',
    });
  });

  it('counts a transient bounce once per feedback id, on the normalised address, without suppressing', async () => {
    const id = idOf('Full.Box@example.com');
    const notice = parseBounceNotice(sample('transient-bounce'));
    expect(await applyBounceNotice(deps(), notice)).toEqual([{ subscriberId: id, action: 'counted' }]);
    expect(await applyBounceNotice(deps(), notice)).toEqual([{ subscriberId: id, action: 'duplicate' }]);
    const next = JSON.parse(sample('transient-bounce'));
    next.bounce.feedbackId = 'another-feedback-id';
    await applyBounceNotice(deps(), parseBounceNotice(JSON.stringify(next)));
    expect(store.profiles.get(id)).toMatchObject({ status: 'confirmed', transientBounces: 2 });
  });

  it('leaves unknown addresses alone and reports them', async () => {
    const notice = parseBounceNotice(sample('identity-notification-bounce'));
    expect(await applyBounceNotice(deps(), notice)).toEqual([
      { subscriberId: idOf('nobody@example.net'), action: 'unknown-subscriber' },
    ]);
    expect(store.writes).toBe(0);
  });
});
