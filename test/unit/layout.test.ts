/**
 * The house rules of the layout (README, "Layout"): no import cycles in `functions/`, no source file
 * over 350 lines in `functions/` or `infra/`, and the pure core free of storage, triggers and CDK.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// A plain ESM script (typed by its .d.mts), also run by hand: `node scripts/import-cycles.mjs`.
import { findCycles, importGraph } from '../../scripts/import-cycles.mjs';

const REPO = join(import.meta.dirname, '..', '..');
const MAX_LINES = 350;
/** Over the limit, each with why (an entry that has come under the limit fails the test, so the list only shrinks). */
const OVER_LIMIT = new Set<string>();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('layout', () => {
  it('has no import cycle in functions/', () => {
    const cycles = findCycles(importGraph([join(REPO, 'functions')])) as string[][];
    expect(cycles.map((cycle) => cycle.map((file) => relative(REPO, file)).join(' → '))).toEqual([]);
  });

  it(`keeps every file of functions/ and infra/ at ${MAX_LINES} lines or fewer`, () => {
    const long = [...sourceFiles(join(REPO, 'functions')), ...sourceFiles(join(REPO, 'infra'))]
      .map((file) => ({
        file: relative(REPO, file),
        lines: readFileSync(file, 'utf8').split('\n').length - 1,
      }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long.filter(({ file }) => !OVER_LIMIT.has(file))).toEqual([]);
    expect(long.map(({ file }) => file).sort()).toEqual([...OVER_LIMIT].sort());
  });

  it('keeps the core free of the AWS SDK, node:fs and CDK', () => {
    const impure = sourceFiles(join(REPO, 'functions', 'core')).filter((file) =>
      /from '(@aws-sdk\/|aws-cdk-lib|node:fs)/.test(readFileSync(file, 'utf8')),
    );
    expect(impure.map((file) => relative(REPO, file))).toEqual([]);
  });
});
