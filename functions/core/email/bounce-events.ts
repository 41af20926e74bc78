/**
 * SES feedback as it arrives through SNS: the configuration-set event shape (`eventType`) and the older
 * identity-notification shape (`notificationType`) carry the same `bounce` and `complaint` objects.
 * Only what the subscriber list acts on is kept; SES may add fields at any time, so unknown ones are ignored.
 */

export type BounceNotice =
  | { kind: 'permanent-bounce'; recipients: string[]; feedbackId: string; subType: string }
  | {
      kind: 'transient-bounce';
      recipients: string[];
      feedbackId: string;
      bounceType: string;
      subType: string;
    }
  | { kind: 'complaint'; recipients: string[]; feedbackId: string; feedbackType: string }
  | { kind: 'ignored'; reason: string };

/** An SNS message that is not SES feedback at all (not JSON, or a bounce without recipients). */
export class BounceMessageError extends Error {
  override name = 'BounceMessageError';
}

type Json = Record<string, unknown>;

export function parseBounceNotice(message: string): BounceNotice {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new BounceMessageError('SNS message is not JSON');
  }
  if (!isObject(parsed)) throw new BounceMessageError('SNS message is not a JSON object');
  const type = parsed.eventType ?? parsed.notificationType;
  if (typeof type !== 'string')
    throw new BounceMessageError('message has neither eventType nor notificationType');
  if (type === 'Bounce') return bounceNotice(parsed.bounce);
  if (type === 'Complaint') return complaintNotice(parsed.complaint);
  return { kind: 'ignored', reason: `event type ${type}` };
}

function bounceNotice(bounce: unknown): BounceNotice {
  if (!isObject(bounce)) throw new BounceMessageError('Bounce event without a bounce object');
  const recipients = addressesOf(bounce.bouncedRecipients, 'bouncedRecipients');
  const feedbackId = stringField(bounce, 'feedbackId');
  const bounceType = stringField(bounce, 'bounceType');
  const subType = typeof bounce.bounceSubType === 'string' ? bounce.bounceSubType : '';
  if (bounceType === 'Permanent') return { kind: 'permanent-bounce', recipients, feedbackId, subType };
  // Transient and Undetermined: the mailbox may still exist; counted, never suppressed on its own.
  return { kind: 'transient-bounce', recipients, feedbackId, bounceType, subType };
}

function complaintNotice(complaint: unknown): BounceNotice {
  if (!isObject(complaint)) throw new BounceMessageError('Complaint event without a complaint object');
  const recipients = addressesOf(complaint.complainedRecipients, 'complainedRecipients');
  const feedbackId = stringField(complaint, 'feedbackId');
  const feedbackType =
    typeof complaint.complaintFeedbackType === 'string' ? complaint.complaintFeedbackType : '';
  // A "not-spam" report is the reader rescuing the mail from the spam folder: the opposite of a complaint.
  if (feedbackType.toLowerCase() === 'not-spam') return { kind: 'ignored', reason: 'not-spam feedback' };
  return { kind: 'complaint', recipients, feedbackId, feedbackType };
}

function addressesOf(list: unknown, field: string): string[] {
  if (!Array.isArray(list) || list.length === 0) throw new BounceMessageError(`${field} is missing or empty`);
  return list.map((entry) => {
    if (!isObject(entry) || typeof entry.emailAddress !== 'string') {
      throw new BounceMessageError(`${field} has an entry without emailAddress`);
    }
    return entry.emailAddress;
  });
}

function stringField(object: Json, name: string): string {
  const value = object[name];
  if (typeof value !== 'string' || value === '') throw new BounceMessageError(`${name} is missing`);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
