/**
 * The local build's compiled templates, kept between runs: compiling the digest and confirmation MJML
 * loads MJML, juice, cheerio and parse5 (about 0.8 s of a 5 s incremental build at 10,000 articles)
 * and gives the same HTML for the same sources. An entry is keyed by the template sources and the
 * installed MJML's version, carries a SHA-256 of what it holds (an entry that does not match is
 * compiled again), and is written under a temporary name then renamed. Only a compile that passed
 * MJML's strict validation is stored: a bad template fails on every run. The cache is best-effort:
 * a folder that cannot be written costs a compile, never the build.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BuiltTemplates, TemplateSources } from '../../core/render/templates.js';

/** `node_modules/.cache/newsfeed-generator/`: two levels up from `functions/compose/` and `functions/.build/` alike. */
export const TEMPLATE_CACHE_DIR = new URL('../../node_modules/.cache/newsfeed-generator/', import.meta.url);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function mjmlVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return String(JSON.parse(readFileSync(require.resolve('mjml/package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

export type TemplateCompiler = (sources: TemplateSources) => Promise<BuiltTemplates>;

/** MJML is imported only here, on a miss. */
const compileWithMjml: TemplateCompiler = async (sources) =>
  (await import('../../core/render/mjml.js')).buildTemplates(sources);

/** The built templates of `sources`: from the cache in `cacheDir` when it holds them, else compiled and stored. */
export async function cachedTemplates(
  sources: TemplateSources,
  cacheDir: string,
  compile: TemplateCompiler = compileWithMjml,
): Promise<BuiltTemplates> {
  const key = sha256(JSON.stringify({ sources, mjml: mjmlVersion(), format: 1 }));
  const file = join(cacheDir, `templates-${key.slice(0, 32)}.json`);
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { sha256: string; built: BuiltTemplates };
    if (entry.sha256 === sha256(JSON.stringify(entry.built))) return entry.built;
  } catch {
    // Missing or unreadable: compiled below.
  }
  const built = await compile(sources);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${file}.${randomUUID()}.tmp`;
    writeFileSync(temporary, JSON.stringify({ sha256: sha256(JSON.stringify(built)), built }));
    renameSync(temporary, file);
  } catch {
    // A read-only install: compile on every run.
  }
  return built;
}
