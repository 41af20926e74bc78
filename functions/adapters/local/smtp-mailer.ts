/**
 * The mail transport for local test sends: any SMTP server, through nodemailer. The message is
 * already complete (`buildRawMessage`), so nodemailer only carries it: `raw` plus the envelope.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { type MailSender, type OutgoingMail, SendRejectedError } from '../../core/email/ports.js';

/** A bad SMTP URL, named without its password. */
export class SmtpConfigError extends Error {
  override name = 'SmtpConfigError';
}

/**
 * The SMTP server cannot be reached or refuses the login: every message would fail the same way,
 * so the sender stops at the first. The message names the server, never the password.
 */
export class SmtpServerError extends Error {
  override name = 'SmtpServerError';
  constructor(
    message: string,
    /** What failed: reaching the server, or logging in to it. */
    readonly stage: 'connection' | 'login',
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** nodemailer's codes for a failure of the connection or the login rather than of one message. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'ETLS',
  'EREQUIRETLS',
  'EPROXY',
]);
const LOGIN_CODES = new Set(['EAUTH', 'ENOAUTH']);

function connectionProblem(error: Error & { code?: string }): string {
  const message = error.message;
  if (/ECONNREFUSED/.test(message)) return 'connection refused (is the server running on that port?)';
  if (/ENOTFOUND|EAI_AGAIN/.test(message) || error.code === 'EDNS') return 'the host name was not found';
  if (error.code === 'ETIMEDOUT' || /ETIMEDOUT/.test(message)) return 'no answer in time';
  if (error.code === 'ETLS' || /SSL routines|TLS/i.test(message))
    return 'the TLS handshake failed (smtps:// is for port 465; use smtp:// for 587 or 25)';
  return message.split('\n')[0]!;
}

export class SmtpMailer implements MailSender {
  readonly #transport: Transporter;
  /** host:port, for messages. */
  readonly server: string;

  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  constructor(url: string) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SmtpConfigError('the SMTP URL is not a URL (expected smtp://user:pass@host:port)');
    }
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
      throw new SmtpConfigError(`the SMTP URL must start with smtp:// or smtps://, got ${parsed.protocol}//`);
    }
    this.server = `${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)}`;
    this.#transport = nodemailer.createTransport(url);
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const envelopeFrom = /<([^>]+)>\s*$/.exec(mail.from)?.[1] ?? mail.from;
    try {
      const info = await this.#transport.sendMail({
        envelope: { from: envelopeFrom, to: [mail.to] },
        raw: mail.raw,
      });
      return { messageId: String(info.messageId ?? info.response ?? '') };
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (CONNECTION_CODES.has(code))
        throw new SmtpServerError(
          `cannot reach the SMTP server ${this.server}: ${connectionProblem(error as Error)}`,
          'connection',
          { cause: error },
        );
      if (LOGIN_CODES.has(code))
        throw new SmtpServerError(
          `the SMTP server ${this.server} refused the login (${(error as Error).message.split('\n')[0]})`,
          'login',
          { cause: error },
        );
      throw new SendRejectedError(
        `SMTP server refused the message to ${mail.to}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  close(): void {
    this.#transport.close();
  }
}
