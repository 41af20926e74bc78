/**
 * Writes the built template set (`BuiltTemplates`) into a folder: what the stack ships beside each
 * function that renders pages or mail. Apart from `templates.ts` because it loads MJML, which no
 * function bundle may carry; only the bundling step (`scripts/build-templates.ts`, the bundle test and
 * benchmark, `dev:cloud`) imports it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTemplates } from '../../core/render/mjml.js';
import { BUILT_TEMPLATE_FILES, type BuiltTemplates } from '../../core/render/templates.js';
import { readTemplates } from './templates.js';

/** Compiles the sources in `sourceDir` and writes the built set into `outDir`; returns the files written. */
export async function writeBuiltTemplates(sourceDir: string, outDir: string): Promise<string[]> {
  const built = await buildTemplates(await readTemplates(sourceDir));
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, file] of Object.entries(BUILT_TEMPLATE_FILES)) {
    const text = built[name as keyof BuiltTemplates];
    if (text === undefined) continue;
    await writeFile(join(outDir, file), text);
    written.push(file);
  }
  return written;
}
