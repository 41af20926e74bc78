/**
 * What the three commands (`npm start`, `npm run send-test`, `npm run dev:cloud`) share, so they
 * behave alike: one options table per command that gives both the parser and `--help`;
 * `--help`, `--version` and `--debug` everywhere; "did you mean" for a mistyped option; and every
 * error as one line, `error: …`, exit status 2, with the stack trace only under `--debug`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFsError } from '../adapters/local/folders.js';

/** Exit statuses, the same in every command (README, "Options"). */
export const EXIT_OK = 0;
/** The run finished, but some input was refused (a rejected article, a bad address). */
export const EXIT_PARTIAL = 1;
/** Nothing or not everything was done: bad arguments, a missing folder, a bad config. */
export const EXIT_FATAL = 2;

export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** The value's placeholder in the help: DIR, FILE, N. */
  value?: string;
  /** Its help text; further lines (after \n) are indented under the first. */
  help: string;
}

export type CliOptions = Record<string, CliOption>;

export interface CliCommand<O extends CliOptions> {
  /** How it is typed, up to the options: "npm start --". */
  invocation: string;
  /** The usage line after "Usage: ". */
  synopsis: string;
  description: string;
  options: O;
  /** After the options: exit status, environment. */
  epilogue?: string;
  /** Operands after the options (none unless set). */
  positionals?: boolean;
  /** Errors written for the person at the keyboard: their message is printed as it is. */
  userErrors?: ReadonlyArray<abstract new (...args: never[]) => Error>;
}

/** Keeps the table's literal types, so each command's values come out typed. */
export function defineCommand<const O extends CliOptions>(command: CliCommand<O>): CliCommand<O> {
  return command;
}

const COMMON_OPTIONS = {
  debug: { type: 'boolean', default: false, help: 'on an error, print its stack trace too' },
  version: { type: 'boolean', default: false, help: 'print the version and exit' },
  help: { type: 'boolean', short: 'h', default: false, help: 'show this help' },
} as const satisfies CliOptions;

type AllOptions<O extends CliOptions> = O & typeof COMMON_OPTIONS;
export type CliValues<O extends CliOptions> = ReturnType<
  typeof parseArgs<{ options: AllOptions<O>; strict: true; allowPositionals: true }>
>['values'];

/** A mistake the user can fix; its message says what and how. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Bad arguments: the message is followed by where the options are listed. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** Restricted Damerau–Levenshtein (optimal string alignment): a swapped pair of letters is one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = Array.from({ length: rows * cols }, (_, i) =>
    i < cols ? i : i % cols === 0 ? i / cols : 0,
  );
  const at = (i: number, j: number) => d[i * cols + j]!;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate a mistyped word most likely meant: the only one it abbreviates or extends
 * (`--conf`, `--output`), else the nearest within a third of its length (at least one edit).
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const affixed = candidates.filter(
    (c) => (lower.length >= 2 && c.startsWith(lower)) || (c.length >= 3 && lower.startsWith(c)),
  );
  if (affixed.length === 1) return affixed[0];
  const limit = Math.max(1, Math.floor(lower.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

const allOptions = <O extends CliOptions>(command: CliCommand<O>): AllOptions<O> => ({
  ...command.options,
  ...COMMON_OPTIONS,
});

/** Parses `argv` against the command's table; a mistake is a `UsageError` naming it. */
export function parseCommandLine<O extends CliOptions>(
  command: CliCommand<O>,
  argv: string[],
): { values: CliValues<O>; positionals: string[] } {
  const options: CliOptions = allOptions(command);
  const names = Object.keys(options);
  const parserOptions = Object.fromEntries(
    Object.entries(options).map(([name, { type, short, multiple, default: fallback }]) => [
      name,
      {
        type,
        ...(short ? { short } : {}),
        ...(multiple ? { multiple } : {}),
        ...(fallback !== undefined ? { default: fallback } : {}),
      },
    ]),
  );
  const listed = `${command.invocation} --help lists the options`;
  // A lenient pass first, to name the mistake better than the strict parser's own messages.
  const { tokens } = parseArgs({
    args: argv,
    options: parserOptions,
    strict: false,
    tokens: true,
    allowPositionals: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!command.positionals) throw new UsageError(`unexpected argument "${token.value}" (${listed})`);
      continue;
    }
    if (token.kind !== 'option') continue;
    // A known short option comes back under its long name.
    const name = token.name;
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!option) {
      const raw = argv[token.index] ?? token.rawName;
      // `-help` is read as -h -e -l -p: the whole word is what was meant.
      const word = raw.startsWith('--') ? token.name : raw.replace(/^-+/, '').split('=')[0]!;
      const guess = closestMatch(word, names);
      const shown = raw.startsWith('--') ? token.rawName : raw;
      throw new UsageError(`unknown option ${shown}${guess ? `: did you mean --${guess}?` : ''} (${listed})`);
    }
    const placeholder = `--${name} ${option.value ?? 'VALUE'}`;
    if (option.type === 'string' && token.value === undefined)
      throw new UsageError(`${token.rawName} needs a value: ${placeholder}`);
    if (option.type === 'string' && !token.inlineValue && token.value?.startsWith('-'))
      throw new UsageError(
        `${token.rawName} needs a value, not the option ${token.value}: ${placeholder} ` +
          `(a value starting with - is written --${name}=${token.value})`,
      );
    if (option.type === 'boolean' && token.value !== undefined)
      throw new UsageError(`${token.rawName} takes no value (got "${token.value}")`);
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: parserOptions,
      strict: true,
      allowPositionals: true,
    });
    return { values: values as CliValues<O>, positionals };
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (${listed})`);
  }
}

/** `--help`: the options table in two columns. */
export function usage<O extends CliOptions>(command: CliCommand<O>): string {
  const options: CliOptions = allOptions(command);
  const rows = Object.entries(options).map(([name, option]) => [
    `${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`,
    option.help,
  ]);
  const width = Math.max(...rows.map(([left]) => left!.length)) + 2;
  const lines = rows.map(([left, help]) =>
    `  ${left!.padEnd(width)}${help!.split('\n').join(`\n  ${' '.repeat(width)}`)}`.trimEnd(),
  );
  return [
    `Usage: ${command.synopsis}`,
    '',
    command.description,
    '',
    'Options:',
    ...lines,
    ...(command.epilogue ? ['', command.epilogue] : []),
  ].join('\n');
}

/** `name version`, from the project's package.json. */
export function versionLine(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return `${pkg.name} ${pkg.version}`;
}

const FS_VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  scandir: 'list the folder',
  mkdir: 'create the folder',
  write: 'write',
  rename: 'write',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  stat: 'read',
  lstat: 'read',
};

/** The one line an error is shown as, without `error: `. */
export function errorLine<O extends CliOptions>(command: CliCommand<O>, error: unknown): string {
  const user = error instanceof UserError || command.userErrors?.some((type) => error instanceof type);
  if (user) return (error as Error).message;
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  const problem = describeFsError(error);
  if (path && problem) {
    const syscall = (error as NodeJS.ErrnoException).syscall ?? '';
    return `cannot ${FS_VERBS[syscall] ?? 'use'} ${path}: ${problem}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${message.split('\n')[0]} (unexpected: run again with --debug to see where it happened)`;
}

/** The stack of an error and of each error that caused it. */
function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; depth++) {
    lines.push(`${depth ? 'caused by: ' : ''}${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    e = e instanceof Error ? e.cause : undefined;
  }
  return lines.join('\n');
}

/** Writes an error as one line (and its stack under `--debug`); returns `EXIT_FATAL`. */
export function reportError<O extends CliOptions>(
  command: CliCommand<O>,
  error: unknown,
  debug: boolean,
): number {
  process.stderr.write(`error: ${errorLine(command, error)}\n`);
  if (debug) process.stderr.write(`${stackOf(error)}\n`);
  return EXIT_FATAL;
}

/**
 * Parses the arguments, answers `--help` and `--version`, and runs the command; any error it
 * throws becomes one line and exit status 2. Returns the exit status.
 */
export async function runCommand<O extends CliOptions>(
  command: CliCommand<O>,
  argv: string[],
  run: (values: CliValues<O>, positionals: string[]) => Promise<number>,
): Promise<number> {
  // Known before parsing, so that a parse error obeys it too.
  let debug = argv.includes('--debug');
  try {
    const { values, positionals } = parseCommandLine(command, argv);
    const common = values as { debug?: boolean; help?: boolean; version?: boolean };
    debug = common.debug === true;
    if (common.help) {
      process.stdout.write(`${usage(command)}\n`);
      return EXIT_OK;
    }
    if (common.version) {
      process.stdout.write(`${versionLine()}\n`);
      return EXIT_OK;
    }
    return await run(values, positionals);
  } catch (error) {
    return reportError(command, error, debug);
  }
}
