import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildTemplates } from '../../functions/core/render/mjml.js';
import {
  type BuiltTemplates,
  TEMPLATE_FILES,
  type TemplateSources,
} from '../../functions/core/render/templates.js';

/** The repository's `templates/` directory, whatever the working directory of the test run. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

function read(file: string): string {
  return readFileSync(`${TEMPLATES_DIR}${file}`, 'utf8');
}

/** Loads the real template set from disk, as the local adapter does. */
export function loadTemplates(): TemplateSources {
  return {
    layout: read(TEMPLATE_FILES.layout),
    index: read(TEMPLATE_FILES.index),
    article: read(TEMPLATE_FILES.article),
    archive: read(TEMPLATE_FILES.archive),
    tag: read(TEMPLATE_FILES.tag),
    digests: read(TEMPLATE_FILES.digests),
    digestMjml: read(TEMPLATE_FILES.digestMjml),
    digestText: read(TEMPLATE_FILES.digestText),
    confirmMjml: read(TEMPLATE_FILES.confirmMjml),
    confirmText: read(TEMPLATE_FILES.confirmText),
  };
}

/** The real template set as the renderers take it: MJML compiled, as the bundling step and the CLI do. */
export function loadBuiltTemplates(): Promise<BuiltTemplates> {
  return buildTemplates(loadTemplates());
}
