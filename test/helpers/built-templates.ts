import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBuiltTemplates } from '../../functions/adapters/local/template-build.js';
import { TEMPLATES_DIR } from './templates.js';

const root = mkdtempSync(join(tmpdir(), 'built-templates-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

/**
 * The repository's templates built as the stack ships them beside the functions (MJML compiled by
 * `writeBuiltTemplates`, the bundling step): the TEMPLATES_DIR of every test that runs a real handler.
 * Written once per test process.
 */
export const BUILT_TEMPLATES_DIR = join(root, 'templates');
await writeBuiltTemplates(TEMPLATES_DIR, BUILT_TEMPLATES_DIR);
