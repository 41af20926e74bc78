import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  closestMatch,
  defineCommand,
  editDistance,
  errorLine,
  parseCommandLine,
  UsageError,
  UserError,
  usage,
  versionLine,
} from '../../functions/cli/support.js';
import { REPO } from '../helpers/cli.js';

const command = defineCommand({
  invocation: 'npm start --',
  synopsis: 'npm start -- [options]',
  description: 'Builds things.',
  options: {
    articles: { type: 'string', default: 'articles', value: 'DIR', help: 'articles folder' },
    out: { type: 'string', default: 'public', value: 'DIR', help: 'output folder' },
    config: { type: 'string', value: 'FILE', help: 'config file\nsecond line of help' },
    to: { type: 'string', multiple: true, value: 'ADDRESS', help: 'a recipient' },
    json: { type: 'boolean', default: false, help: 'JSON' },
  },
  epilogue: 'Exit status: 0, 1 or 2.',
});

const usageError = (argv: string[]): string => {
  try {
    parseCommandLine(command, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('articles', 'articles')).toBe(0);
    expect(editDistance('artcles', 'articles')).toBe(1);
    expect(editDistance('articless', 'articles')).toBe(1);
    expect(editDistance('arzicles', 'articles')).toBe(1);
    expect(editDistance('form', 'from')).toBe(1);
    expect(editDistance('', 'out')).toBe(3);
    expect(editDistance('quiet', 'json')).toBe(5);
    expect(editDistance('kitten', 'sitting')).toBe(editDistance('sitting', 'kitten'));
  });
});

describe('closestMatch', () => {
  const names = [
    'articles',
    'out',
    'state',
    'config',
    'templates',
    'workers',
    'json',
    'quiet',
    'debug',
    'version',
    'help',
  ];

  it('finds a misspelling, an abbreviation and a longer spelling', () => {
    expect(closestMatch('artciles', names)).toBe('articles');
    expect(closestMatch('template', names)).toBe('templates');
    expect(closestMatch('conf', names)).toBe('config');
    expect(closestMatch('output', names)).toBe('out');
    expect(closestMatch('Quiet', names)).toBe('quiet');
    expect(closestMatch('form', ['to', 'from', 'subscribers'])).toBe('from');
  });

  it('guesses nothing for a word unlike every option', () => {
    expect(closestMatch('verbose', names)).toBeUndefined();
    expect(closestMatch('x', names)).toBeUndefined();
    expect(closestMatch('dry-run', names)).toBeUndefined();
  });
});

describe('parseCommandLine', () => {
  it('gives defaults, repeated values and the common options', () => {
    const { values } = parseCommandLine(command, ['--to', 'a@example.org', '--to=b@example.org', '--json']);
    expect(values).toMatchObject({
      articles: 'articles',
      out: 'public',
      to: ['a@example.org', 'b@example.org'],
      json: true,
      debug: false,
      help: false,
      version: false,
    });
    expect(parseCommandLine(command, ['-h']).values.help).toBe(true);
  });

  it('names an unknown option and the one probably meant', () => {
    expect(usageError(['--artcles', 'x'])).toBe(
      'unknown option --artcles: did you mean --articles? (npm start -- --help lists the options)',
    );
    expect(usageError(['--verbose'])).toBe(
      'unknown option --verbose (npm start -- --help lists the options)',
    );
    expect(usageError(['-help'])).toBe(
      'unknown option -help: did you mean --help? (npm start -- --help lists the options)',
    );
    expect(usageError(['--jsn=1'])).toBe(
      'unknown option --jsn: did you mean --json? (npm start -- --help lists the options)',
    );
  });

  it('names a missing value, a value given to a switch and a stray argument', () => {
    expect(usageError(['--articles'])).toBe('--articles needs a value: --articles DIR');
    expect(usageError(['--articles', '--json'])).toBe(
      '--articles needs a value, not the option --json: --articles DIR (a value starting with - is written --articles=--json)',
    );
    expect(parseCommandLine(command, ['--articles=-odd']).values.articles).toBe('-odd');
    expect(usageError(['--json=yes'])).toBe('--json takes no value (got "yes")');
    expect(usageError(['articles'])).toBe(
      'unexpected argument "articles" (npm start -- --help lists the options)',
    );
  });

  it('takes operands only when the command says so', () => {
    const { positionals } = parseCommandLine({ ...command, positionals: true }, ['a.txt', '--json', 'b.txt']);
    expect(positionals).toEqual(['a.txt', 'b.txt']);
  });
});

describe('usage', () => {
  it('lists every option with its placeholder, help lines aligned, then the epilogue', () => {
    expect(usage(command)).toBe(
      [
        'Usage: npm start -- [options]',
        '',
        'Builds things.',
        '',
        'Options:',
        '  --articles DIR  articles folder',
        '  --out DIR       output folder',
        '  --config FILE   config file',
        '                  second line of help',
        '  --to ADDRESS    a recipient',
        '  --json          JSON',
        '  --debug         on an error, print its stack trace too',
        '  --version       print the version and exit',
        '  -h, --help      show this help',
        '',
        'Exit status: 0, 1 or 2.',
      ].join('\n'),
    );
  });
});

describe('versionLine', () => {
  it("is the package's name and version", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    expect(versionLine()).toBe(`${pkg.name} ${pkg.version}`);
  });
});

describe('errorLine', () => {
  it("shows a user error's message as it is", () => {
    expect(errorLine(command, new UserError('articles folder x does not exist: pass --articles DIR'))).toBe(
      'articles folder x does not exist: pass --articles DIR',
    );
    class BadKeyError extends Error {}
    expect(
      errorLine({ ...command, userErrors: [BadKeyError] }, new BadKeyError('config key "ttl" is bad')),
    ).toBe('config key "ttl" is bad');
  });

  it('turns a file-system error into what failed on which path, in words', () => {
    const error = Object.assign(new Error("EACCES: permission denied, mkdir '/srv/site'"), {
      code: 'EACCES',
      syscall: 'mkdir',
      path: '/srv/site',
    });
    expect(errorLine(command, error)).toBe('cannot create the folder /srv/site: permission denied');
    const full = Object.assign(new Error('ENOSPC'), {
      code: 'ENOSPC',
      syscall: 'write',
      path: '/srv/site/a.html',
    });
    expect(errorLine(command, full)).toBe('cannot write /srv/site/a.html: no space left on the disk');
  });

  it('says an unexpected error is one, and where to see more', () => {
    expect(errorLine(command, new TypeError('x is undefined\nmore'))).toBe(
      'x is undefined (unexpected: run again with --debug to see where it happened)',
    );
  });
});
