/**
 * `npm run send-test` end to end: the real CLI in a child process builds nothing itself; it mails
 * the preview `npm start` wrote to a real SMTP server (smtp-server from npm, on 127.0.0.1 with a
 * free port), and each received message is parsed with mailparser. Unlike the SES emulator, SMTP
 * keeps every header, so the unsubscribe headers are checked on what arrived.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_EPOCH, REPO, runCli, runTool, STACK_FRAME, TSX_LOADER, workspace } from '../helpers/cli.js';

const run = promisify(execFile);

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

let server: SMTPServer;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function sendTest(cwd: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', TSX_LOADER, join(REPO, 'functions/cli/main.ts'), 'send-test', ...args],
      { cwd, env: { ...process.env, SMTP_URL: '', ...env } },
    );
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run send-test', () => {
  const ws = workspace();
  writeFileSync(
    join(ws.root, 'site.config.json'),
    JSON.stringify({
      title: 'Harbour Wire',
      siteUrl: 'https://news.example.org/',
      author: { name: 'Harbour Wire', email: 'news@example.org' },
    }),
  );

  it('mails the preview to each listed address once, both parts, personal unsubscribe links', async () => {
    const build = runCli(ws, ['--config', join(ws.root, 'site.config.json')], {
      SOURCE_DATE_EPOCH: String(FIXED_EPOCH),
    });
    expect(build.status).toBe(0);
    received.length = 0;
    const result = await sendTest(ws.root, [
      '--out',
      ws.out,
      '--subscribers',
      join(REPO, 'test/fixtures/subscribers.txt'),
      '--to',
      'third@example.com',
      '--smtp',
      `smtp://127.0.0.1:${port}`,
    ]);
    // The fixture's bad line is reported with its line number, and the others are still sent; the
    // tally counts it, so it agrees with the exit status (it said "3 of 3 sent" and exited 1).
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/subscribers\.txt:5: bad address "not-an-address"/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^3 of 4 test messages sent \(1 bad address skipped: see above\): "/,
    );

    expect(received.map((r) => r.envelopeTo).sort()).toEqual([
      ['Desk@example.net'],
      ['ana@example.org'],
      ['third@example.com'],
    ]);
    const subject = (await import('node:fs')).readFileSync(join(ws.out, 'digest-subject.txt'), 'utf8').trim();
    for (const { mail } of received) {
      expect(mail.subject).toBe(subject);
      expect(mail.from?.value[0]?.address).toBe('news@example.org');
      expect(mail.text).toContain('Unsubscribe: https://news.example.org/api/unsubscribe?token=test-send');
      expect(mail.html).toContain('href="https://news.example.org/api/unsubscribe?token=test-send"');
      expect(mail.html).not.toContain('{{unsubscribe_url}}');
      expect(mail.text).not.toContain('{{unsubscribe_url}}');
      // mailparser folds List-* headers into one object: read the raw header lines instead.
      const header = (name: string) => mail.headerLines.find((line) => line.key === name)?.line;
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(header('list-unsubscribe')).toContain(
        '<https://news.example.org/api/unsubscribe?token=test-send>',
      );
      expect(header('list-unsubscribe')).toContain('<mailto:news@example.org?subject=unsubscribe>');
      expect(header('x-edition')).toBe('X-Edition: preview (test send)');
    }
  });

  it('stops with a clear message when there is no SMTP server, no preview or no recipient', async () => {
    const empty = workspace(false);
    const noSmtp = await sendTest(empty.root, ['--to', 'a@example.org', '--from', 'news@example.org']);
    expect(noSmtp.status).toBe(2);
    expect(noSmtp.stderr).toMatch(/no SMTP server: pass --smtp URL or set SMTP_URL/);

    const noPreview = await sendTest(
      empty.root,
      ['--to', 'a@example.org', '--from', 'news@example.org', '--out', empty.out],
      {
        SMTP_URL: `smtp://127.0.0.1:${port}`,
      },
    );
    expect(noPreview.status).toBe(2);
    expect(noPreview.stderr).toMatch(/no digest preview in .*: run npm start first/);

    const noRecipient = await sendTest(empty.root, ['--to', 'not an address'], {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    expect(noRecipient.status).toBe(2);
    expect(noRecipient.stderr).toMatch(/bad address --to "not an address"/);
    expect(noRecipient.stderr).toMatch(/no recipients/);
  });

  it('without an https site, the mailto link stands in and no One-Click header is claimed', async () => {
    const plain = workspace();
    expect(runCli(plain, [], { SOURCE_DATE_EPOCH: String(FIXED_EPOCH) }).status).toBe(0);
    received.length = 0;
    const result = await sendTest(
      plain.root,
      ['--out', plain.out, '--to', 'ana@example.org', '--from', 'news@example.org'],
      {
        SMTP_URL: `smtp://127.0.0.1:${port}`,
      },
    );
    expect(result.status).toBe(0);
    expect(received).toHaveLength(1);
    const mail = received[0]!.mail;
    expect(mail.headerLines.some((line) => line.key === 'list-unsubscribe-post')).toBe(false);
    expect(mail.text).toContain('Unsubscribe: mailto:news@example.org?subject=unsubscribe');
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

describe('npm run send-test: a mistake is one line naming the thing and the fix', () => {
  const ws = workspace(false);
  /** Synchronous: only for runs that never reach this process's SMTP server. */
  const sendTestSync = (args: string[], env: Record<string, string> = {}) =>
    runTool('send-test', args, { cwd: ws.root, env: { SMTP_URL: '', ...env } });
  const expectFatal = (run: ReturnType<typeof runTool>, line: string) => {
    expect(run.error).toBe(line);
    expect(run.status).toBe(2);
    expect(run.stderr).not.toContain(STACK_FRAME);
  };

  it('an unknown option, with the one probably meant', () => {
    expectFatal(
      sendTestSync(['--subscriber', 'list.txt']),
      'error: unknown option --subscriber: did you mean --subscribers? (npm run send-test -- --help lists the options)',
    );
  });

  it('a subscribers file that does not exist', () => {
    expectFatal(
      sendTestSync(['--subscribers', 'editors.txt'], { SMTP_URL: 'smtp://127.0.0.1:25' }),
      'error: subscribers file editors.txt does not exist: check the path given to --subscribers',
    );
  });

  it('a config file that is not JSON', () => {
    const config = join(ws.root, 'site.config.json');
    writeFileSync(config, '{ "title": "Harbour Wire", }');
    const run = sendTestSync(['--to', 'ana@example.org'], { SMTP_URL: 'smtp://127.0.0.1:25' });
    expectFatal(
      run,
      'error: config file site.config.json is not valid JSON: Expected double-quoted property name at line 1, column 28',
    );
    writeFileSync(config, '{}');
  });

  it('an SMTP server that cannot be reached stops at the first message; --debug adds the stack', async () => {
    const preview = workspace();
    expect(runCli(preview).status).toBe(0);
    const port = await closedPort();
    const args = [
      '--out',
      preview.out,
      '--to',
      'ana@example.org',
      '--to',
      'desk@example.net',
      '--from',
      'news@example.org',
    ];
    const env = { SMTP_URL: `smtp://editor:secret@127.0.0.1:${port}` };
    const run = runTool('send-test', args, { cwd: preview.root, env });
    expectFatal(
      run,
      `error: cannot reach the SMTP server 127.0.0.1:${port}: connection refused (is the server running on that port?): check --smtp or SMTP_URL`,
    );
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toContain('secret');
    const debug = runTool('send-test', [...args, '--debug'], { cwd: preview.root, env });
    expect(debug.error).toBe(run.error);
    expect(debug.stderr).toContain(STACK_FRAME);
  });

  it('--version and --help', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(sendTestSync(['--version']).stdout).toBe(`newsfeed-generator ${pkg.version}\n`);
    const help = sendTestSync(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe(
      'Usage: npm run send-test -- --to ADDRESS [--to ADDRESS …] [--subscribers FILE] [options]',
    );
  });
});
