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

export class SmtpMailer implements MailSender {
  readonly #transport: Transporter;

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
