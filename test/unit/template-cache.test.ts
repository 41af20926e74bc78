/**
 * The local build's compiled-template cache: a hit gives the bytes a fresh MJML compile gives without
 * compiling; an entry that does not match its SHA-256, another template, or a bad template each
 * compile (and a bad one is never stored).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedTemplates, type TemplateCompiler } from '../../functions/adapters/local/template-cache.js';
import { readTemplates } from '../../functions/adapters/local/templates.js';
import { buildTemplates } from '../../functions/core/render/mjml.js';
import type { BuiltTemplates, TemplateSources } from '../../functions/core/render/templates.js';
import { TEMPLATES_DIR } from '../helpers/templates.js';

let sources: TemplateSources;
let fresh: BuiltTemplates;
beforeAll(async () => {
  sources = await readTemplates(TEMPLATES_DIR);
  fresh = await buildTemplates(sources);
});

/** The MJML compile, counting its calls. */
function counting(): { compile: TemplateCompiler; calls: () => number } {
  let calls = 0;
  return {
    compile: (input) => {
      calls++;
      return buildTemplates(input);
    },
    calls: () => calls,
  };
}

describe('compiled-template cache', () => {
  it('compiles once; the next run reads the same built set without compiling', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'template-cache-'));
    const { compile, calls } = counting();
    expect(await cachedTemplates(sources, dir, compile)).toEqual(fresh);
    expect(await cachedTemplates(sources, dir, compile)).toEqual(fresh);
    expect(calls()).toBe(1);
    expect(readdirSync(dir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('compiles again when the entry was altered, and when a template changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'template-cache-'));
    const { compile, calls } = counting();
    await cachedTemplates(sources, dir, compile);
    const [entry] = readdirSync(dir);
    const path = join(dir, entry!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('<html', '<html data-altered'));
    expect(await cachedTemplates(sources, dir, compile)).toEqual(fresh);
    expect(calls()).toBe(2);
    const changed = {
      ...sources,
      digestMjml: sources.digestMjml.replace('</mj-body>', '<mj-raw><!-- v2 --></mj-raw></mj-body>'),
    };
    expect((await cachedTemplates(changed, dir, compile)).digestHtml).toContain('<!-- v2 -->');
    expect(calls()).toBe(3);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('stores nothing for a template MJML refuses, so it fails on every run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'template-cache-'));
    const bad = {
      ...sources,
      digestMjml: sources.digestMjml.replace('<mj-body', '<mj-body><mj-nonsense/></mj-body><mj-body'),
    };
    await expect(cachedTemplates(bad, dir)).rejects.toThrow();
    await expect(cachedTemplates(bad, dir)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('still builds when the cache folder cannot be written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'template-cache-')), 'a-file');
    writeFileSync(file, '');
    expect(await cachedTemplates(sources, join(file, 'under-a-file'))).toEqual(fresh);
  });
});
