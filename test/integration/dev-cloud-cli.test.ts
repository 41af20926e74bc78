/**
 * `npm run dev:cloud` as a command: what it says when it cannot start. The real script runs in a
 * child process with pipes (no TTY), with its own temporary data folder (`--data`), so it never
 * touches a developer's `.dev-cloud/` or their running instance.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runTool, STACK_FRAME } from '../helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'dev-cloud-cli-'));
/** Free ports unless a test says otherwise. The AWS SDK warns on Node < 22 (a line before ours): not what is tested. */
const ENV = {
  S3_PORT: '0',
  SITE_PORT: '0',
  SES_PORT: '0',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const devCloud = (args: string[], env: Record<string, string> = {}) =>
  runTool('dev-cloud', ['--data', dataDir, ...args], { cwd: REPO, env: { ...ENV, ...env } });

function expectFatal(run: ReturnType<typeof runTool>, line: string): void {
  expect(run.error).toBe(line);
  expect(run.status).toBe(2);
  expect(run.stderr).not.toContain(STACK_FRAME);
}

describe('npm run dev:cloud: a reason it cannot start is one line naming the thing and the fix', () => {
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('an unknown option, with the one probably meant', () => {
    expectFatal(
      devCloud(['--sed']),
      'error: unknown option --sed: did you mean --seed? (npm run dev:cloud -- --help lists the options)',
    );
  });

  it('a port variable that is not a port', () => {
    expectFatal(
      devCloud([], { SITE_PORT: 'eighty' }),
      'error: SITE_PORT must be a port number from 0 to 65535 (0 picks a free one), not "eighty"',
    );
  });

  it('a port another program has (s3rver would die of it with a stack trace); --debug adds the stack', () => {
    const line = `error: dev:cloud could not start: port ${busyPort} (S3_PORT) is in use by another program: set S3_PORT to another port, or 0 for any free port`;
    const run = devCloud([], { S3_PORT: String(busyPort) });
    expectFatal(run, line);
    const debug = devCloud(['--debug'], { S3_PORT: String(busyPort) });
    expect(debug.error).toBe(line);
    expect(debug.stderr).toContain(STACK_FRAME);
  });

  it('a data folder another dev:cloud is using', () => {
    // This test process stands in for the other instance: its pid is alive.
    writeFileSync(join(dataDir, 'dev-cloud.pid'), `${process.pid}\n`);
    expectFatal(
      devCloud([]),
      `error: the data folder ${dataDir} is in use by another dev:cloud (process ${process.pid}): stop it, or pass --data DIR`,
    );
    // A pid file left by a process that is gone does not stop the next start (checked up to the ports).
    writeFileSync(join(dataDir, 'dev-cloud.pid'), '999999999\n');
    expect(devCloud([], { SES_PORT: String(busyPort) }).error).toMatch(
      /^error: dev:cloud could not start: port /,
    );
  });

  it('a data folder that cannot be created', () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, '');
    expectFatal(
      runTool('dev-cloud', ['--data', join(file, 'data')], { cwd: REPO, env: ENV }),
      `error: data folder ${join(file, 'data')} cannot be created: ${file} is a file, not a folder: pass --data DIR`,
    );
  });

  it('--version and --help', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(devCloud(['--version']).stdout).toBe(`newsfeed-generator ${pkg.version}\n`);
    const help = devCloud(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('Usage: npm run dev:cloud -- [options]');
    expect(help.stdout).toContain('  --data DIR ');
    expect(help.stdout).toContain('SITE_PORT (default 8081)');
  });
});
