/**
 * `npm start` as a new user meets it: each mistake they can make is one line on stderr, naming the
 * thing and the fix, exit status 2, and no stack trace unless `--debug` is given. The real CLI
 * runs in a child process with pipes (no TTY). Permission cases run as `nobody` when the tests
 * run as root, since root ignores file permissions.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canRunAs,
  REPO,
  runTool,
  SEEDS_DIR,
  STACK_FRAME,
  TSX_LOADER,
  unprivilegedUser,
  type Workspace,
  workspace,
} from '../helpers/cli.js';

const TEMPLATES = join(REPO, 'templates');

/** `npm start` in the workspace with its folders given, plus `args`. */
function start(ws: Workspace, args: string[], user?: { uid: number; gid: number }) {
  return runTool(
    'build',
    ['--articles', ws.articles, '--out', ws.out, '--state', ws.state, '--templates', TEMPLATES, ...args],
    { cwd: ws.root, ...(user ? { user } : {}) },
  );
}

/** A fatal mistake: exactly this first line, exit status 2, nothing on stdout, no stack. */
function expectFatal(run: ReturnType<typeof runTool>, line: string): void {
  expect(run.error).toBe(line);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toContain(STACK_FRAME);
}

describe('npm start: a mistake is one line naming the thing and the fix', () => {
  const ws = workspace();

  it('a missing articles folder', () => {
    const missing = join(ws.root, 'artciles');
    const run = start(ws, ['--articles', missing]);
    expectFatal(
      run,
      `error: articles folder ${missing} does not exist: create it and put articles in it, or pass --articles DIR`,
    );
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('the same with --debug: the line, then the stack', () => {
    const missing = join(ws.root, 'artciles');
    const run = start(ws, ['--articles', missing, '--debug']);
    expect(run.status).toBe(2);
    expect(run.error).toBe(
      `error: articles folder ${missing} does not exist: create it and put articles in it, or pass --articles DIR`,
    );
    expect(run.stderr).toContain(STACK_FRAME);
    expect(run.stderr).toContain('FolderError');
  });

  it('an articles "folder" that is a file', () => {
    const file = join(ws.articles, '000_8e65d67321044a22.txt');
    expectFatal(
      start(ws, ['--articles', file]),
      `error: articles folder ${file} is a file, not a folder: pass --articles DIR`,
    );
  });

  it('an unknown option, with the one probably meant', () => {
    expectFatal(
      start(ws, ['--artciles', 'x']),
      'error: unknown option --artciles: did you mean --articles? (npm start -- --help lists the options)',
    );
    expectFatal(
      start(ws, ['--output', 'x']),
      'error: unknown option --output: did you mean --out? (npm start -- --help lists the options)',
    );
    expectFatal(
      start(ws, ['--verbose']),
      'error: unknown option --verbose (npm start -- --help lists the options)',
    );
  });

  it('a bad --workers', () => {
    expectFatal(
      start(ws, ['--workers', 'two']),
      'error: --workers takes a whole number of at least 1, not "two"',
    );
    expectFatal(start(ws, ['--workers']), 'error: --workers needs a value: --workers N');
  });

  it('a config file that is missing, not JSON, empty or a folder', () => {
    const missing = join(ws.root, 'site.confg.json');
    expectFatal(
      start(ws, ['--config', missing]),
      `error: config file ${missing} does not exist: check the path given to --config`,
    );
    const bad = join(ws.root, 'bad.json');
    writeFileSync(bad, '{\n  "title": "Harbour Wire"\n  "feedSize": 10\n}\n');
    expectFatal(
      start(ws, ['--config', bad]),
      `error: config file ${bad} is not valid JSON: Expected ',' or '}' after property value at line 3, column 3`,
    );
    const empty = join(ws.root, 'empty.json');
    writeFileSync(empty, '\n');
    expectFatal(
      start(ws, ['--config', empty]),
      `error: config file ${empty} is empty: write a JSON object in it, {} at the least`,
    );
    expectFatal(
      start(ws, ['--config', ws.articles]),
      `error: config file ${ws.articles} cannot be read: is a folder, not a file: pass --config FILE`,
    );
  });

  it('a config key with a bad value (already named before this work: still one line)', () => {
    const config = join(ws.root, 'ttl.json');
    writeFileSync(config, JSON.stringify({ ttl: 'soon' }));
    const run = start(ws, ['--config', config]);
    expect(run.status).toBe(2);
    expect(run.error).toMatch(new RegExp(`^error: ${config}: config key "ttl" `));
    expect(run.stderr).not.toContain(STACK_FRAME);
  });

  it('a templates folder that is missing, or lacks a template', () => {
    const missing = join(ws.root, 'tempaltes');
    expectFatal(
      start(ws, ['--templates', missing]),
      `error: templates folder ${missing} does not exist: pass --templates DIR (this project's templates/ folder has every template)`,
    );
    const partial = join(ws.root, 'my-templates');
    cpSync(TEMPLATES, partial, { recursive: true });
    rmSync(join(partial, 'digest.mjml'));
    expectFatal(
      start(ws, ['--templates', partial]),
      `error: templates folder ${partial} has no digest.mjml: copy it from this project's templates/ folder`,
    );
  });

  it('a template that does not compile names its path', () => {
    const broken = join(ws.root, 'broken-templates');
    cpSync(TEMPLATES, broken, { recursive: true });
    writeFileSync(join(broken, 'index.hbs'), '{{#if}}\n');
    const run = start(ws, ['--templates', broken]);
    expect(run.status).toBe(2);
    expect(run.error).toBe(
      `error: template ${join(broken, 'index.hbs')} does not compile: Parse error on line 2:`,
    );
    expect(run.stderr).not.toContain(STACK_FRAME);
  });

  it('an output folder under a file, or under a link to nothing', () => {
    const file = join(ws.articles, '001_c49de1067c077a2e.txt');
    expectFatal(
      start(ws, ['--out', join(file, 'public')]),
      `error: output folder ${join(file, 'public')} cannot be created: ${file} is a file, not a folder: pass --out DIR`,
    );
    // Node's recursive mkdir spins for ever under a dangling link: the check must catch it first.
    const link = join(ws.root, 'unmounted');
    symlinkSync(join(ws.root, 'no-such-disk'), link);
    expectFatal(
      start(ws, ['--out', join(link, 'public')]),
      `error: output folder ${join(link, 'public')} cannot be created: ${link} is a symbolic link to ${join(ws.root, 'no-such-disk')}, which does not exist: pass --out DIR`,
    );
  });

  it('--version and --help', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const version = start(ws, ['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`newsfeed-generator ${pkg.version}\n`);
    const help = start(ws, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('Usage: npm start -- [options]');
    for (const option of ['--articles DIR', '--workers N', '--debug', '--version', '-h, --help'])
      expect(help.stdout).toContain(`  ${option} `);
  });
});

describe('npm start: permissions', () => {
  const ws = workspace();
  const user = unprivilegedUser(ws);
  // Skipped, with a line saying why, when the unprivileged user cannot read this checkout at all.
  const usable = canRunAs(user);
  if (!usable)
    console.warn(
      'permission tests skipped: user nobody cannot read this checkout (clone it where others may read)',
    );
  const writable = join(ws.root, 'writable');
  mkdirSync(writable);
  chmodSync(writable, 0o777);
  const locked = join(ws.root, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o555);
  const inWritable = (args: string[]) =>
    start(ws, ['--out', join(writable, 'public'), '--state', join(writable, '.state'), ...args], user);

  it.skipIf(!usable)('an output folder that cannot be created', () => {
    const out = join(locked, 'public');
    expectFatal(
      start(ws, ['--out', out, '--state', join(writable, '.state')], user),
      `error: output folder ${out} cannot be created in ${locked}: permission denied: pass --out DIR, or fix the permissions of ${locked}`,
    );
  });

  it.skipIf(!usable)('a state folder that is not writable', () => {
    expectFatal(
      start(ws, ['--out', join(writable, 'public'), '--state', locked], user),
      `error: state folder ${locked} is not writable: permission denied: fix its permissions, or pass --state DIR`,
    );
  });

  it.skipIf(!usable)('a config file that cannot be read', () => {
    const secret = join(ws.root, 'secret.json');
    writeFileSync(secret, '{}');
    chmodSync(secret, 0o000);
    expectFatal(
      inWritable(['--config', secret]),
      `error: config file ${secret} cannot be read: permission denied: fix its permissions, or pass --config FILE`,
    );
  });

  it.skipIf(!usable)('and with every folder usable, the same user builds', () => {
    const run = inWritable([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('npm start: what a successful run says', () => {
  it('warns, naming the folder, when the articles folder holds no articles', () => {
    const ws = workspace(false);
    writeFileSync(join(ws.articles, 'notes.pdf'), 'not an article');
    const run = start(ws, []);
    expect(run.status).toBe(0);
    expect(run.error).toBe(
      `warning: articles folder ${ws.articles} has no articles (.txt, .text, .md, .markdown files): ` +
        'nothing to publish; put articles in it, or pass --articles DIR',
    );
    expect(run.stdout).toMatch(/^0 files read/);
    // Said under --quiet and --json too: an empty folder is most likely the wrong one.
    expect(start(ws, ['--quiet']).error).toBe(run.error);
    const json = start(ws, ['--json']);
    expect(json.error).toBe(run.error);
    expect(JSON.parse(json.stdout).counts.files).toBe(0);
  });

  it('lists the first 20 merges and says how many more there are', () => {
    const ws = workspace(false);
    const original = readFileSync(join(SEEDS_DIR, '001_c49de1067c077a2e.txt'));
    for (let i = 1; i <= 25; i++)
      writeFileSync(join(ws.articles, `copy-${String(i).padStart(2, '0')}.txt`), original);
    const run = start(ws, []);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('  merged '))).toHaveLength(20);
    expect(lines).toContain('  … and 4 more merges (--json lists them all)');
    expect(JSON.parse(start(ws, ['--json']).stdout).merges).toHaveLength(24);
  });
});

describe('npm start | head: a reader that leaves early', () => {
  it('is no error: the build finishes, says nothing of the closed pipe, and exits 0', async () => {
    const ws = workspace();
    const child = spawn(
      process.execPath,
      [
        '--import',
        TSX_LOADER,
        join(REPO, 'functions/cli/main.ts'),
        ...['--articles', ws.articles, '--out', ws.out, '--state', ws.state, '--templates', TEMPLATES],
      ],
      { cwd: ws.root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // The reader is gone before the build writes its summary.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const status = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toContain(STACK_FRAME);
    expect(status).toBe(0);
    expect(readFileSync(join(ws.out, 'feed.xml'), 'utf8')).toContain('<rss');
    rmSync(ws.root, { recursive: true, force: true });
  });
});
