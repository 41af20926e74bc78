/**
 * The mail transport over SES v2: `SendEmail` with raw content (our own MIME, so the one-click
 * unsubscribe headers are ours and signed by SES's DKIM), and `GetAccount` for the send quota.
 * SES errors are sorted by what they mean for a retry, which is all the sender needs to know.
 */
import { GetAccountCommand, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  type MailSender,
  type OutgoingMail,
  SendOutcomeUnknownError,
  type SendQuota,
  type SendQuotaSource,
  SendRejectedError,
  SendThrottledError,
  SendUnavailableError,
} from '../../core/email/ports.js';

export interface SesMailerOptions {
  /** Bounce and complaint events of messages sent with it reach the bounce handler. */
  configurationSet?: string;
}

/** Exception names SES v2 uses for "slow down": nothing was sent. */
const THROTTLED = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException']);
/** The message itself is refused: sending it again gives the same answer. */
const REJECTED = new Set(['MessageRejected', 'BadRequestException', 'NotFoundException']);
/** The account or identity cannot send at all right now: an operator has to act. */
const UNAVAILABLE = new Set([
  'AccountSuspendedException',
  'SendingPausedException',
  'MailFromDomainNotVerifiedException',
]);
/** Tag names and values SES accepts: ASCII letters, digits, `_`, `-`, at most 256 characters. */
const TAG_TEXT = /^[A-Za-z0-9_-]{1,256}$/;

export class SesMailer implements MailSender, SendQuotaSource {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesMailerOptions = {},
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const tags = Object.entries(mail.tags ?? {}).map(([Name, Value]) => {
      if (!TAG_TEXT.test(Name) || !TAG_TEXT.test(Value)) {
        throw new SendRejectedError(`message tag ${Name}=${Value} has characters SES does not accept`);
      }
      return { Name, Value };
    });
    let response: { MessageId?: string | undefined };
    try {
      response = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to] },
          Content: { Raw: { Data: Buffer.from(mail.raw, 'utf8') } },
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
          ...(tags.length ? { EmailTags: tags } : {}),
        }),
      );
    } catch (error) {
      throw classifySendError(error);
    }
    if (!response.MessageId)
      throw new SendOutcomeUnknownError('SES accepted the request but returned no MessageId');
    return { messageId: response.MessageId };
  }

  async quota(): Promise<SendQuota> {
    const account = await this.client.send(new GetAccountCommand({}));
    const quota = account.SendQuota;
    const maxSendRate = quota?.MaxSendRate;
    if (maxSendRate === undefined || !(maxSendRate > 0)) {
      throw new SendUnavailableError('SES GetAccount returned no positive SendQuota.MaxSendRate');
    }
    return {
      maxSendRate,
      max24HourSend: quota?.Max24HourSend ?? 0,
      sentLast24Hours: quota?.SentLast24Hours ?? 0,
    };
  }
}

/**
 * Only an answer from SES tells that nothing was sent; a timeout, a reset connection or a 5xx
 * leaves the outcome open, and the caller's at-most-once policy decides what happens.
 */
export function classifySendError(error: unknown): Error {
  const name = error instanceof Error ? error.name : '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  if (THROTTLED.has(name) || status === 429)
    return new SendThrottledError(`SES throttled: ${message}`, options);
  if (UNAVAILABLE.has(name)) return new SendUnavailableError(`SES cannot send: ${name}: ${message}`, options);
  if (REJECTED.has(name) || (status !== undefined && status >= 400 && status < 500)) {
    return new SendRejectedError(`SES rejected the message: ${name}: ${message}`, options);
  }
  return new SendOutcomeUnknownError(`SES send outcome unknown: ${name || 'error'}: ${message}`, options);
}
