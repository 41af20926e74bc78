/**
 * The compiled digest template, kept between runs: compiling MJML (and loading MJML, juice and cheerio
 * to do it) was about a second of every local build, also of one with nothing to do. The cache is
 * keyed by the template's bytes, its file name and the installed MJML version, and each entry carries
 * a SHA-256 of the HTML it holds: a damaged or half-written entry is compiled again, never used. Only
 * a strict compile that passed is stored, so a template that fails validation fails on every run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MjmlCompiler } from '../../core/render/mjml.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The installed MJML's version, or a placeholder (the key then changes when it becomes known). */
function mjmlVersion(nodeModules: string): string {
  try {
    return (
      JSON.parse(readFileSync(join(nodeModules, 'mjml', 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'unknown';
  }
}

/** `compile` behind a cache in `dir` (created when missing; a folder that cannot be written only costs the cache). */
export function cachedMjmlCompiler(dir: string, nodeModules: string, compile: MjmlCompiler): MjmlCompiler {
  return async (source, file) => {
    const key = sha256(`${mjmlVersion(nodeModules)}\0${file}\0${source}`);
    const path = join(dir, `mjml-${key}.html`);
    try {
      const text = readFileSync(path, 'utf8');
      const newline = text.indexOf('\n');
      const html = text.slice(newline + 1);
      if (newline > 0 && text.slice(0, newline) === sha256(html)) return html;
    } catch {
      // Not cached yet.
    }
    const html = await compile(source, file);
    try {
      mkdirSync(dir, { recursive: true });
      const partial = `${path}.${process.pid}.tmp`;
      writeFileSync(partial, `${sha256(html)}\n${html}`);
      renameSync(partial, path);
    } catch {
      // A read-only checkout: every run compiles, as before.
    }
    return html;
  };
}
