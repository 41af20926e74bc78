/**
 * `npm run send-test`: mails the latest digest preview (what `npm start` wrote to `public/`) to the
 * editor's own addresses through any SMTP server. Thin: parse arguments, read the files, send.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from '../../adapters/local/folders.js';
import { SmtpConfigError, SmtpMailer, SmtpServerError } from '../../adapters/local/smtp-mailer.js';
import { ConfigError } from '../../core/config.js';
import { normalizeAddress } from '../../core/email/address.js';
import { parseSubscriberList, testEditionMessages } from '../../core/email/test-edition.js';
import { defineCommand, EXIT_OK, EXIT_PARTIAL, runCommand, UserError } from '../support.js';

/** One entry per option: the parser and `--help` both read this table. */
const SEND_TEST_COMMAND = defineCommand({
  invocation: 'npm run send-test --',
  synopsis: 'npm run send-test -- --to ADDRESS [--to ADDRESS …] [--subscribers FILE] [options]',
  description: `Mails the latest digest preview (run \`npm start\` first) to each address, one message each, as a
subscriber would get it: HTML and text parts, List-Unsubscribe headers.`,
  options: {
    to: { type: 'string', multiple: true, value: 'ADDRESS', help: 'a recipient (repeatable)' },
    subscribers: {
      type: 'string',
      value: 'FILE',
      help: [
        'recipients, one address per line; blank lines and # comments are skipped.',
        'Example file:',
        '    # editors who get the test edition',
        '    ana@example.org',
        '    desk@example.net',
      ].join('\n'),
    },
    smtp: {
      type: 'string',
      value: 'URL',
      help: 'SMTP server, e.g. smtp://user:password@smtp.example.org:587\n(default: the SMTP_URL environment variable)',
    },
    from: { type: 'string', value: 'ADDRESS', help: "sender (default: the config's author.email)" },
    out: {
      type: 'string',
      default: 'public',
      value: 'DIR',
      help: 'where `npm start` wrote the site (default: public)',
    },
    config: {
      type: 'string',
      value: 'FILE',
      help: 'JSON config file (default: site.config.json when present)',
    },
  },
  epilogue: `Exit status: 0 when every message was accepted, 1 when any address was bad or refused, 2 on a
fatal error (no SMTP server or one that cannot be reached, no preview, bad config).`,
  userErrors: [ConfigError, SmtpConfigError],
});

/** "3 of 4 test messages sent (1 bad address skipped: see above)": the count agrees with the exit status. */
function sendSummary(counts: { sent: number; bad: number; refused: number }, subject: string): string {
  const { sent, bad, refused } = counts;
  const missed = [
    ...(bad ? [`${bad} bad address${bad === 1 ? '' : 'es'} skipped`] : []),
    ...(refused ? [`${refused} refused by the SMTP server`] : []),
  ];
  const total = sent + bad + refused;
  return `${sent} of ${total} test messages sent${missed.length ? ` (${missed.join(', ')}: see above)` : ''}: "${subject}"`;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runCommand(SEND_TEST_COMMAND, argv, async (values) => {
    const smtpUrl = values.smtp ?? env.SMTP_URL;
    if (!smtpUrl) throw new UserError('no SMTP server: pass --smtp URL or set SMTP_URL (see --help)');

    let bad = 0;
    const recipients: string[] = [];
    for (const to of values.to ?? []) {
      const result = normalizeAddress(to);
      if (result.ok) recipients.push(result.address);
      else {
        bad++;
        process.stderr.write(`bad address --to ${JSON.stringify(to)}: ${result.reason}\n`);
      }
    }
    if (values.subscribers) {
      let text: string;
      try {
        text = await readFile(values.subscribers, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UserError(
          code === 'ENOENT'
            ? `subscribers file ${values.subscribers} does not exist: check the path given to --subscribers`
            : `subscribers file ${values.subscribers} cannot be read: ${describeFsError(error) ?? (error as Error).message}`,
          { cause: error },
        );
      }
      const list = parseSubscriberList(text);
      for (const problem of list.problems) {
        bad++;
        process.stderr.write(
          `${values.subscribers}:${problem.line}: bad address "${problem.text}": ${problem.reason}\n`,
        );
      }
      recipients.push(...list.addresses);
    }
    const unique = [...new Map(recipients.map((address) => [address.toLowerCase(), address])).values()];
    if (unique.length === 0) throw new UserError('no recipients: pass --to ADDRESS or --subscribers FILE');

    // Loaded once the arguments check out: the composition root brings the renderers with it.
    const { loadConfig } = await import('../../compose/local.js');
    const config = await loadConfig(values.config);
    const from = values.from ?? config.author?.email;
    if (!from) throw new UserError('no sender: pass --from ADDRESS or set author.email in the config');
    if (!normalizeAddress(/<([^>]+)>\s*$/.exec(from)?.[1] ?? from).ok)
      throw new UserError(`bad sender address "${from}": pass --from ADDRESS`);

    const read = (name: string) => readFile(join(values.out, name), 'utf8');
    let parts: { subject: string; html: string; text: string };
    try {
      parts = {
        subject: (await read('digest-subject.txt')).trim(),
        html: await read('digest.html'),
        text: await read('digest.txt'),
      };
    } catch (error) {
      throw new UserError(
        `no digest preview in ${values.out}/ (digest.html, digest.txt, digest-subject.txt): run npm start first`,
        { cause: error },
      );
    }

    const mailer = new SmtpMailer(smtpUrl);
    const messages = testEditionMessages({
      parts,
      placeholder: config.digest.unsubscribeUrl,
      from: config.author?.name && !from.includes('<') ? `${config.author.name} <${from}>` : from,
      to: unique,
      unsubscribeUrl: () => `${config.siteUrl}api/unsubscribe?token=test-send`,
      date: new Date(),
      editionId: 'preview',
    });
    let refused = 0;
    try {
      for (const message of messages) {
        try {
          const { messageId } = await mailer.send(message);
          process.stdout.write(`sent to ${message.to}${messageId ? ` (${messageId})` : ''}\n`);
        } catch (error) {
          // The server itself is the problem: every other message would fail the same way.
          if (error instanceof SmtpServerError)
            throw new UserError(
              `${error.message}: check ${error.stage === 'login' ? 'the user and password in ' : ''}--smtp or SMTP_URL`,
              { cause: error },
            );
          refused++;
          process.stderr.write(`not sent to ${message.to}: ${(error as Error).message}\n`);
        }
      }
    } finally {
      mailer.close();
    }
    const sent = messages.length - refused;
    process.stdout.write(`${sendSummary({ sent, bad, refused }, parts.subject)}\n`);
    return bad || refused ? EXIT_PARTIAL : EXIT_OK;
  });
}
