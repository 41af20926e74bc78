/**
 * Ports of the email side: subscribers, editions, the send ledger, the mail transport and the
 * token keyring. `functions/adapters/aws/` implements them over DynamoDB, SES v2 and Secrets
 * Manager; tests run the same adapters against dynalite and aws-ses-v2-local.
 */
import type { TokenKeyring } from './tokens.js';

export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'suppressed';

export interface Subscriber {
  /** `subscriberIdFor(idKey, address)`: stable, so a second subscribe finds the same record. */
  id: string;
  /** Normalised address (`normalizeAddress`). */
  address: string;
  status: SubscriberStatus;
  /**
   * Which subscription of this address the profile is in: 0 at the first subscribe, one more at each
   * re-subscribe after an unsubscribe. Confirm links carry it, so a link mailed for an earlier
   * subscription cannot confirm a later one. Stored profiles written before it existed read as 0.
   */
  generation: number;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  unsubscribedAt?: string;
  suppressedAt?: string;
  suppressReason?: 'permanent-bounce' | 'complaint';
  transientBounces: number;
}

/** A confirmed subscriber, as the sender needs it. */
export interface Recipient {
  id: string;
  address: string;
  confirmedAt: string;
}

/** What the edition fan-out and the sender read of the subscriber list. */
export interface RecipientDirectory {
  /**
   * Subscribers confirmed strictly before `before` (ISO), in confirmation order, one page at a
   * time; pass the returned cursor back for the next page, none when done.
   */
  confirmedBefore(before: string, cursor?: string): Promise<{ recipients: Recipient[]; cursor?: string }>;
  /** Of these ids, the ones confirmed now (an unsubscribe after fan-out stops the send). */
  stillConfirmed(ids: readonly string[]): Promise<Map<string, Recipient>>;
}

/** One message handed to the transport: a complete RFC 5322 message built by `buildRawMessage`. */
export interface OutgoingMail {
  from: string;
  to: string;
  raw: string;
  /** SES message tags, e.g. `{ edition: 'e-2026-11-25T0700Z' }`: they come back in bounce events. */
  tags?: Record<string, string>;
}

export interface MailSender {
  /** Resolves with the transport's message id once the message is accepted. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** The transport refused the message for now: it was not sent; retry after a backoff. */
export class SendThrottledError extends Error {
  override name = 'SendThrottledError';
}

/** The transport refused the message for good (bad address, rejected content): it was not sent. */
export class SendRejectedError extends Error {
  override name = 'SendRejectedError';
}

/**
 * Sending is paused or not possible account-wide (sending disabled, identity unverified): nothing
 * was sent, and nothing will be until an operator acts; retry later, all of it.
 */
export class SendUnavailableError extends Error {
  override name = 'SendUnavailableError';
}

/** The transport may or may not have accepted the message (timeout, connection reset, 5xx). */
export class SendOutcomeUnknownError extends Error {
  override name = 'SendOutcomeUnknownError';
}

export interface SendQuota {
  /** Messages per second the account may send (SES `GetAccount` `SendQuota.MaxSendRate`). */
  maxSendRate: number;
  max24HourSend: number;
  sentLast24Hours: number;
}

export interface SendQuotaSource {
  quota(): Promise<SendQuota>;
}

/** Where the token secrets come from (Secrets Manager in the cloud, an env variable locally). */
export interface KeyringSource {
  keyring(): Promise<TokenKeyring>;
}

/** Where the subscriber id key comes from (Secrets Manager in the cloud, a fixed value locally). */
export interface SubscriberIdKeySource {
  idKey(): Promise<Uint8Array>;
}

/**
 * The values CloudFront's secret origin header may carry (`origin-check.ts`): Secrets Manager in the
 * cloud; the dev:cloud site server, which plays CloudFront, uses a fixed one.
 */
export interface OriginSecretSource {
  originSecrets(): Promise<readonly string[]>;
}
