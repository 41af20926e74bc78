import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMPLATE_FILES, type TemplateSources } from '../../core/render/templates.js';
import { describeFsError, FolderError } from './folders.js';

/** Reads every template the renderers need from a folder (`templates/` by default). */
export async function readTemplates(dir: string): Promise<TemplateSources> {
  const entries = await Promise.all(
    Object.entries(TEMPLATE_FILES).map(async ([name, file]) => {
      try {
        return [name, await readFile(join(dir, file), 'utf8')] as const;
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        const message =
          code === 'ENOENT'
            ? `templates folder ${dir} has no ${file}: copy it from this project's templates/ folder`
            : `template ${join(dir, file)} cannot be read: ${describeFsError(cause) ?? (cause as Error).message}`;
        throw new FolderError(message, join(dir, file), { cause });
      }
    }),
  );
  return Object.fromEntries(entries) as unknown as TemplateSources;
}
