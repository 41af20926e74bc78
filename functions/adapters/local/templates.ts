import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILT_TEMPLATE_FILES,
  type BuiltTemplates,
  TEMPLATE_FILES,
  type TemplateSources,
} from '../../core/render/templates.js';
import { describeFsError, FolderError } from './folders.js';

/** Reads every template source the renderers need from a folder (`templates/` by default). */
export function readTemplates(dir: string): Promise<TemplateSources> {
  return readSet(dir, TEMPLATE_FILES, "copy it from this project's templates/ folder");
}

/**
 * Reads the built set a Lambda bundle ships (`writeBuiltTemplates`): the page templates and each mail
 * template as compiled HTML, so the function needs no MJML.
 */
export function readBuiltTemplates(dir: string): Promise<BuiltTemplates> {
  return readSet(dir, BUILT_TEMPLATE_FILES, 'build the folder with scripts/build-templates.ts');
}

async function readSet<T>(dir: string, files: Record<keyof T, string>, fix: string): Promise<T> {
  const entries = await Promise.all(
    Object.entries<string>(files).map(async ([name, file]) => {
      try {
        return [name, await readFile(join(dir, file), 'utf8')] as const;
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        const message =
          code === 'ENOENT'
            ? `templates folder ${dir} has no ${file}: ${fix}`
            : `template ${join(dir, file)} cannot be read: ${describeFsError(cause) ?? (cause as Error).message}`;
        throw new FolderError(message, join(dir, file), { cause });
      }
    }),
  );
  return Object.fromEntries(entries) as T;
}
