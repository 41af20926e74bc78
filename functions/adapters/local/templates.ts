import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMPLATE_FILES, type TemplateSources } from '../../core/render/templates.js';

/** Reads every template the renderers need from a folder (`templates/` by default). */
export async function readTemplates(dir: string): Promise<TemplateSources> {
  const entries = await Promise.all(
    Object.entries(TEMPLATE_FILES).map(async ([name, file]) => {
      try {
        return [name, await readFile(join(dir, file), 'utf8')] as const;
      } catch (cause) {
        throw new Error(`template ${join(dir, file)} cannot be read: ${(cause as Error).message}`, { cause });
      }
    }),
  );
  return Object.fromEntries(entries) as unknown as TemplateSources;
}
