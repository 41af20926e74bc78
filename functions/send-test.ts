/**
 * `npm run send-test`: mails the latest digest preview (what `npm start` wrote to `public/`) to the
 * editor's own addresses through any SMTP server. Thin: parse arguments, read the files, send.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SmtpConfigError, SmtpMailer } from './adapters/local/smtp-mailer.js';
import { loadConfig } from './compose.js';
import { ConfigError } from './core/config.js';
import { normalizeAddress } from './core/email/address.js';
import { parseSubscriberList, testEditionMessages } from './core/email/test-edition.js';

const USAGE = `Usage: npm run send-test -- --to ADDRESS [--to ADDRESS …] [--subscribers FILE] [options]

Mails the latest digest preview (run \`npm start\` first) to each address, one message each, as a
subscriber would get it: HTML and text parts, List-Unsubscribe headers.

Options:
  --to ADDRESS        a recipient (repeatable)
  --subscribers FILE  recipients, one address per line; blank lines and # comments are skipped.
                      Example file:
                          # editors who get the test edition
                          ana@example.org
                          desk@example.net
  --smtp URL          SMTP server, e.g. smtp://user:password@smtp.example.org:587
                      (default: the SMTP_URL environment variable)
  --from ADDRESS      sender (default: the config's author.email)
  --out DIR           where \`npm start\` wrote the site (default: public)
  --config FILE       JSON config file (default: site.config.json when present)
  -h, --help          show this help

Exit status: 0 when every message was accepted, 1 when any address was bad or refused, 2 on a
fatal error (no SMTP server, no preview, bad config).`;

async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: {
    to?: string[];
    subscribers?: string;
    smtp?: string;
    from?: string;
    out: string;
    config?: string;
    help: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        to: { type: 'string', multiple: true },
        subscribers: { type: 'string' },
        smtp: { type: 'string' },
        from: { type: 'string' },
        out: { type: 'string', default: 'public' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const fail = (message: string) => {
    process.stderr.write(`error: ${message}\n`);
    return 2;
  };
  const smtpUrl = values.smtp ?? env.SMTP_URL;
  if (!smtpUrl) return fail('no SMTP server: pass --smtp URL or set SMTP_URL (see --help)');

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
      return fail(`subscribers file ${values.subscribers} cannot be read: ${(error as Error).message}`);
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
  if (unique.length === 0) return fail('no recipients: pass --to ADDRESS or --subscribers FILE');

  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig(values.config);
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : String(error));
  }
  const from = values.from ?? config.author?.email;
  if (!from) return fail('no sender: pass --from ADDRESS or set author.email in the config');
  if (!normalizeAddress(/<([^>]+)>\s*$/.exec(from)?.[1] ?? from).ok)
    return fail(`bad sender address "${from}"`);

  const read = (name: string) => readFile(join(values.out, name), 'utf8');
  let parts: { subject: string; html: string; text: string };
  try {
    parts = {
      subject: (await read('digest-subject.txt')).trim(),
      html: await read('digest.html'),
      text: await read('digest.txt'),
    };
  } catch {
    return fail(
      `no digest preview in ${values.out}/ (digest.html, digest.txt, digest-subject.txt): run npm start first`,
    );
  }

  let mailer: SmtpMailer;
  try {
    mailer = new SmtpMailer(smtpUrl);
  } catch (error) {
    return fail(error instanceof SmtpConfigError ? error.message : String(error));
  }
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
        refused++;
        process.stderr.write(`not sent to ${message.to}: ${(error as Error).message}\n`);
      }
    }
  } finally {
    mailer.close();
  }
  process.stdout.write(
    `${messages.length - refused} of ${messages.length} test messages sent: "${parts.subject}"\n`,
  );
  return bad || refused ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
