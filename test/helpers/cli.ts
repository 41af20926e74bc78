import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildReport } from '../../functions/core/local/report.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const SEEDS_DIR = join(REPO, 'articles');
/** 2025-11-24T12:00:00Z: every test build runs at this instant unless it says otherwise. */
export const FIXED_EPOCH = 1_764_000_000;
/** tsx's loader by absolute URL: the CLI runs with its working folder in a temporary workspace. */
export const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface Workspace {
  root: string;
  articles: string;
  out: string;
  state: string;
}

/**
 * A temporary folder with `articles/`, `public/` and `.state/`: `articles/` holds a copy of the seeds
 * (`true`), nothing (`false`), or a copy of the folder given (file times kept).
 */
export function workspace(articlesFrom: boolean | string = true): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'newsfeed-'));
  const ws = {
    root,
    articles: join(root, 'articles'),
    out: join(root, 'public'),
    state: join(root, '.state'),
  };
  mkdirSync(ws.articles);
  if (articlesFrom === true) cpSync(SEEDS_DIR, ws.articles, { recursive: true });
  else if (typeof articlesFrom === 'string') {
    cpSync(articlesFrom, ws.articles, { recursive: true, preserveTimestamps: true });
  }
  return ws;
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  report: BuildReport;
}

/** Runs the real CLI in a child process, as `npm start` does, with `--json`. */
export function runCli(ws: Workspace, extra: string[] = [], env: Record<string, string> = {}): CliRun {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      TSX_LOADER,
      join(REPO, 'functions/cli/main.ts'),
      '--articles',
      ws.articles,
      '--out',
      ws.out,
      '--state',
      ws.state,
      '--templates',
      join(REPO, 'templates'),
      '--json',
      ...extra,
    ],
    {
      cwd: ws.root,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: String(FIXED_EPOCH), ...env },
      timeout: 120_000,
    },
  );
  if (result.error) throw result.error;
  let report: BuildReport;
  try {
    report = JSON.parse(result.stdout) as BuildReport;
  } catch {
    throw new Error(`CLI printed no JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, report };
}

export interface ToolRun {
  status: number;
  stdout: string;
  stderr: string;
  /** The first line of stderr: where every command puts its one-line error. */
  error: string;
}

/** What an error must never show without `--debug`: a stack frame. */
export const STACK_FRAME = '    at ';

/**
 * Runs one of the commands (`build`, `send-test`, `dev-cloud`) through `functions/cli/main.ts` in a
 * child process with pipes, so no TTY, exactly as the user's arguments are given (no `--json` added).
 */
export function runTool(
  command: 'build' | 'send-test' | 'dev-cloud',
  args: string[],
  options: { cwd: string; env?: Record<string, string>; user?: { uid: number; gid: number } },
): ToolRun {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      TSX_LOADER,
      join(REPO, 'functions/cli/main.ts'),
      // The build is the default command: `npm start -- [options]` names none.
      ...(command === 'build' ? [] : [command]),
      ...args,
    ],
    {
      cwd: options.cwd,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: String(FIXED_EPOCH), ...options.env },
      timeout: 120_000,
      ...options.user,
    },
  );
  if (result.error) throw result.error;
  return {
    status: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    error: result.stderr.split('\n')[0] ?? '',
  };
}

/**
 * A user for whom file permissions apply. Root ignores them, so when the tests run as root the
 * command runs as `nobody`, and the workspace is opened to it (mkdtemp makes it private).
 */
/**
 * Whether `user` can run the CLI from this checkout: a clone inside a folder only root may enter (a
 * `mktemp -d`, root's home) cannot be read by `nobody`, and the permission tests then say so and skip.
 */
export function canRunAs(user: { uid: number; gid: number } | undefined): boolean {
  if (!user) return true;
  const probe = spawnSync(
    process.execPath,
    ['-e', `require('node:fs').accessSync(${JSON.stringify(join(REPO, 'package.json'))})`],
    {
      ...user,
      stdio: 'ignore',
    },
  );
  return probe.status === 0;
}

export function unprivilegedUser(ws: Workspace): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  chmodSync(ws.root, 0o755);
  return { uid: 65534, gid: 65534 };
}

/** Every file under `dir` with its bytes and mtime, keyed by relative path. */
export function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number }> {
  const files = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        files.set(relative(dir, path), {
          bytes: readFileSync(path, 'latin1'),
          mtimeMs: statSync(path).mtimeMs,
        });
    }
  };
  walk(dir);
  return files;
}
