/**
 * The precompile step of the Lambda bundles: compiles `templates/*.mjml` to HTML with its Handlebars
 * slots and writes the set the functions read (`BUILT_TEMPLATE_FILES`). The stack runs it after esbuild
 * for each function that renders (`infra/constructs/templates-bundle.ts`):
 *
 *   tsx scripts/build-templates.ts SOURCE_DIR OUT_DIR
 */
import { resolve } from 'node:path';
import { FolderError } from '../functions/adapters/local/folders.js';
import { writeBuiltTemplates } from '../functions/adapters/local/template-build.js';
import { TemplateError } from '../functions/core/render/templates.js';

const [sourceDir, outDir] = process.argv.slice(2);
if (!sourceDir || !outDir) {
  console.error('usage: tsx scripts/build-templates.ts SOURCE_DIR OUT_DIR');
  process.exit(2);
}
try {
  await writeBuiltTemplates(resolve(sourceDir), resolve(outDir));
} catch (error) {
  if (!(error instanceof TemplateError || error instanceof FolderError)) throw error;
  console.error(`build-templates: ${error.message}`);
  process.exit(1);
}
