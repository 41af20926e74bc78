/**
 * The sender: one outbox message (≤ 50 subscribers of one edition). Each send is claimed in the
 * ledger with a conditional write before it goes out and its SES message id recorded after, so a
 * subscriber gets an edition at most once whatever is retried.
 *
 * At most once: a claim that never got a message id (the sender crashed, timed out, or SES gave no
 * clear answer) is never sent again. The next sender to meet it marks it `unknown` and logs it for
 * the operator; the subscriber may have missed this edition, and never gets it twice. Only a send
 * that certainly did not go out (SES throttled it or cannot send at all) gives its claim back, so a
 * later retry can send it.
 */
import type { Clock } from '../ports.js';
import type { EditionContent, EditionSendMessage, SendLedger, Sleep } from './edition-ports.js';
import { HeaderInjectionError, MimeInputError } from './mime.js';
import {
  type KeyringSource,
  type MailSender,
  type OutgoingMail,
  type RecipientDirectory,
  SendOutcomeUnknownError,
  SendRejectedError,
  SendThrottledError,
  SendUnavailableError,
} from './ports.js';
import { personalMail, type SenderIdentity } from './send-message.js';
import { backoffDelay } from './send-rate.js';
import { TokenPayloadError } from './tokens.js';

/** Throttled retries of one send before its claim is given back and the message retried later. */
export const DEFAULT_THROTTLE_RETRIES = 8;

/**
 * A Lambda timeout after a claim is a crash: that send becomes `unknown` and is never made. A chunk
 * stops claiming (and gives back a claim instead of waiting out a backoff) this long before it.
 */
export const STOP_MARGIN_MS = 20_000;

export interface ChunkOptions {
  /** Milliseconds the invocation has left (the Lambda context's getRemainingTimeInMillis). */
  timeLeft?: () => number;
}

const outOfTime = (options: ChunkOptions, waitMs = 0) =>
  options.timeLeft !== undefined && options.timeLeft() - waitMs < STOP_MARGIN_MS;

export interface SendLog {
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface SenderDeps {
  directory: Pick<RecipientDirectory, 'stillConfirmed'>;
  /** The edition's stored content (cached per container by the composition root). */
  content(editionId: string): Promise<EditionContent | undefined>;
  ledger: SendLedger;
  mailer: MailSender;
  pacer: { acquire(): Promise<void> };
  keyring: KeyringSource;
  clock: Clock;
  sleep: Sleep;
  random: () => number;
  newAttemptId: () => string;
  from: SenderIdentity;
  listId: string;
  /** Ends in `/`; https (List-Unsubscribe requires it). */
  siteUrl: string;
  maxThrottleRetries?: number;
  log?: SendLog;
}

export interface ChunkReport {
  sent: number;
  /** Already sent, failed or unknown by an earlier delivery of the same work. */
  skipped: number;
  /** Not (or no longer) confirmed, or confirmed after the edition's schedule time. */
  notEligible: number;
  /** Claims found without an outcome, and sends whose outcome SES left open. */
  unknown: number;
  failed: number;
  /** Throttled attempts, each retried. */
  throttled: number;
}

/** The message must come back later: some sends were not made and their claims were given back. */
export class ChunkRetryError extends Error {
  override name = 'ChunkRetryError';
  constructor(
    message: string,
    readonly report: ChunkReport,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class EditionNotFoundError extends Error {
  override name = 'EditionNotFoundError';
}

/** The message cannot be built for this recipient: the same on every retry. */
const isMessageInputError = (error: unknown): error is Error =>
  error instanceof MimeInputError ||
  error instanceof HeaderInjectionError ||
  error instanceof TokenPayloadError;

export async function sendChunk(
  deps: SenderDeps,
  message: EditionSendMessage,
  options: ChunkOptions = {},
): Promise<ChunkReport> {
  const report: ChunkReport = { sent: 0, skipped: 0, notEligible: 0, unknown: 0, failed: 0, throttled: 0 };
  const content = await deps.content(message.editionId);
  if (!content) throw new EditionNotFoundError(`edition ${message.editionId} has no stored content`);
  // Everything that can fail for a passing reason happens before the first claim.
  const keyring = await deps.keyring.keyring();
  const confirmed = await deps.directory.stillConfirmed(message.subscriberIds);
  const log = deps.log ?? { warn() {} };

  for (const subscriberId of new Set(message.subscriberIds)) {
    const recipient = confirmed.get(subscriberId);
    // Confirmed after the schedule time (even a re-subscribe): this edition started before them.
    if (!recipient || !(recipient.confirmedAt < content.scheduledTime)) {
      report.notEligible++;
      continue;
    }
    if (outOfTime(options)) throw new ChunkRetryError('stopped before the function timeout', report);
    const attemptId = deps.newAttemptId();
    const ids = [message.editionId, subscriberId] as const;
    let mail: OutgoingMail;
    try {
      mail = personalMail(content, recipient, {
        from: deps.from,
        listId: deps.listId,
        siteUrl: deps.siteUrl,
        keyring,
        date: deps.clock.now(),
      });
    } catch (error) {
      if (!isMessageInputError(error)) throw error;
      // A stored address or subject no message can carry: the same next time, so recorded for good.
      if ((await deps.ledger.claim(...ids, attemptId, deps.clock.now().toISOString())).claimed) {
        await deps.ledger.markFailed(...ids, attemptId, error.message);
        report.failed++;
      } else report.skipped++;
      continue;
    }

    const claim = await deps.ledger.claim(...ids, attemptId, deps.clock.now().toISOString());
    if (!claim.claimed) {
      const { existing } = claim;
      if (existing.state === 'claimed') {
        // Claimed by a sender that never recorded an outcome: it crashed or timed out, before or
        // after SES took the message. Never sent again (at most once).
        await deps.ledger.markUnknown(...ids, existing.attemptId, 'claim without outcome found on retry');
        log.warn('send outcome unknown: not sent again', {
          editionId: message.editionId,
          subscriberId,
          claimedAt: existing.claimedAt,
        });
        report.unknown++;
      } else report.skipped++;
      continue;
    }

    await sendClaimed(deps, mail, ids, attemptId, report, log, options);
  }
  return report;
}

async function sendClaimed(
  deps: SenderDeps,
  mail: OutgoingMail,
  [editionId, subscriberId]: readonly [string, string],
  attemptId: string,
  report: ChunkReport,
  log: SendLog,
  options: ChunkOptions,
): Promise<void> {
  const maxRetries = deps.maxThrottleRetries ?? DEFAULT_THROTTLE_RETRIES;
  for (let attempt = 0; ; attempt++) {
    await deps.pacer.acquire();
    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send(mail));
    } catch (error) {
      if (error instanceof SendThrottledError) {
        report.throttled++;
        const delay = backoffDelay(attempt, deps.random);
        if (attempt < maxRetries && !outOfTime(options, delay)) {
          await deps.sleep(delay);
          continue;
        }
        await deps.ledger.release(editionId, subscriberId, attemptId);
        throw new ChunkRetryError(`still throttled after ${attempt + 1} attempts`, report, { cause: error });
      }
      if (error instanceof SendUnavailableError) {
        await deps.ledger.release(editionId, subscriberId, attemptId);
        throw new ChunkRetryError(error.message, report, { cause: error });
      }
      if (error instanceof SendRejectedError) {
        await deps.ledger.markFailed(editionId, subscriberId, attemptId, error.message);
        report.failed++;
        return;
      }
      if (error instanceof SendOutcomeUnknownError) {
        await deps.ledger.markUnknown(editionId, subscriberId, attemptId, error.message);
        log.warn('send outcome unknown: not sent again', { editionId, subscriberId, error: error.message });
        report.unknown++;
        return;
      }
      // Anything else is a crash as far as the ledger is concerned: the claim stays, and the next
      // delivery of this message marks it unknown.
      throw error;
    }
    await deps.ledger.recordSent(
      editionId,
      subscriberId,
      attemptId,
      messageId,
      deps.clock.now().toISOString(),
    );
    report.sent++;
    return;
  }
}
