/**
 * Ports of the edition and sending use cases: the edition records, the send ledger, the stories
 * first published in a time window, and the outbox queue. `functions/adapters/aws/` implements them
 * over DynamoDB (email and story tables) and SQS; tests run the same adapters against dynalite.
 */
import type { StoryItem } from '../cloud/ports.js';

/**
 * planning: created, content not yet final (a rerun renders again; nothing was queued);
 * sending: content stored and archived, recipients being queued (a rerun queues again: the ledger
 * keeps that harmless); sent and empty are final.
 */
export type EditionStatus = 'planning' | 'sending' | 'sent' | 'empty';

export interface EditionRecord {
  id: string;
  status: EditionStatus;
  /** ISO, `toISOString()` form: the upper bound of the stories' window and of the recipients' confirmation. */
  scheduledTime: string;
  /** ISO time the item was created. */
  createdAt: string;
  /** The previous non-empty edition's scheduledTime; absent for the first edition. */
  cutoff?: string;
  storyIds?: string[];
  subject?: string;
  /** Recipients queued, once sent. */
  recipients?: number;
}

/** The edition as rendered once: both parts carry `placeholder` where each subscriber's unsubscribe URL goes. */
export interface EditionContent {
  editionId: string;
  scheduledTime: string;
  subject: string;
  html: string;
  text: string;
  placeholder: string;
  /** Site path of the public copy, e.g. `digests/e-2026-11-25T0700Z.html`. */
  archivedPath: string;
}

export type CreateEditionResult = { created: true } | { created: false; existing: EditionRecord };

export interface EditionStore {
  /** Creates the edition unless it exists (conditional put); returns the stored one otherwise. */
  create(record: EditionRecord): Promise<CreateEditionResult>;
  get(editionId: string): Promise<EditionRecord | undefined>;
  /** The newest edition before `editionId` (ids sort by time) whose status is not `empty`. */
  previousNonEmpty(editionId: string): Promise<EditionRecord | undefined>;
  putContent(content: EditionContent): Promise<void>;
  getContent(editionId: string): Promise<EditionContent | undefined>;
  /** planning → sending, with what was planned. False (nothing written) when not in planning. */
  markSending(
    editionId: string,
    plan: { cutoff?: string; storyIds: string[]; subject: string },
  ): Promise<boolean>;
  /** planning → empty. False when not in planning. */
  markEmpty(editionId: string, cutoff: string | undefined): Promise<boolean>;
  /** sending → sent. False when not in sending. */
  markSent(editionId: string, recipients: number): Promise<boolean>;
}

/**
 * claimed: a sender holds it and may be sending right now, or crashed; sent: SES accepted it
 * (messageId); unknown: claimed but its outcome was never recorded (never sent again); failed:
 * refused for good (never retried).
 */
export type SendState = 'claimed' | 'sent' | 'unknown' | 'failed';

export interface SendRecord {
  editionId: string;
  subscriberId: string;
  state: SendState;
  /** Unique per claim: every later write is conditional on it, so a stale sender changes nothing. */
  attemptId: string;
  claimedAt: string;
  messageId?: string;
  sentAt?: string;
  error?: string;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: SendRecord };

/** What `SendLedger.recordSent` takes: the claim (edition, subscriber, attempt), SES's message id, the time. */
export type SentRecord = [
  editionId: string,
  subscriberId: string,
  attemptId: string,
  messageId: string,
  at: string,
];

/** The send ledger: `SEND#<edition>#<subscriber>`, conditional writes only. */
export interface SendLedger {
  /** Creates the claim unless any record exists for the pair (attribute_not_exists). */
  claim(editionId: string, subscriberId: string, attemptId: string, at: string): Promise<ClaimResult>;
  /** Records SES's message id; conditional on the claim still being ours (same attemptId). */
  recordSent(...sent: SentRecord): Promise<boolean>;
  /** claimed → unknown, conditional on the claim (attemptId) and state `claimed`. */
  markUnknown(editionId: string, subscriberId: string, attemptId: string, reason: string): Promise<boolean>;
  /** → failed, conditional on attemptId. */
  markFailed(editionId: string, subscriberId: string, attemptId: string, error: string): Promise<boolean>;
  /** Deletes the claim when it is still ours: nothing was sent, a later retry may claim again. */
  release(editionId: string, subscriberId: string, attemptId: string): Promise<boolean>;
}

/** Stories by first publication (`createdAt`), from the story table's `byCreated` index. */
export interface StoryFeed {
  /**
   * Stories whose createdAt is in (`after`, `upTo`] (no lower bound without `after`), the most
   * recently created first, at most `limit`.
   */
  createdBetween(after: string | undefined, upTo: string, limit: number): Promise<StoryItem[]>;
}

/** Asks the site publisher to render the home page again (it links the newest sent edition). */
export interface SiteRefresh {
  requestIndexRender(storyId: string, editionId: string): Promise<void>;
}

/** One outbox message: the sender's unit of work. */
export interface EditionSendMessage {
  kind: 'edition';
  editionId: string;
  /** At most `MAX_RECIPIENTS_PER_MESSAGE`. */
  subscriberIds: string[];
}

export interface Outbox {
  /** Queues every message or throws (no partial success is reported as success). */
  enqueue(messages: readonly EditionSendMessage[]): Promise<void>;
}

/** Waits `ms` milliseconds (virtual in tests). */
export type Sleep = (ms: number) => Promise<void>;
