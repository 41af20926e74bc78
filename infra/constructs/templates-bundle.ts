import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Lambda unpacks the bundle here (`LAMBDA_TASK_ROOT`); the templates are written next to the code. */
export const TEMPLATES_DIR = '/var/task/templates';

/**
 * Ships the built templates inside a function bundle, for the functions that render pages or mail:
 * after esbuild, `scripts/build-templates.ts` compiles the repository's MJML templates to HTML (with
 * their Handlebars slots) and writes them with the page templates into the bundle's `templates/`. The
 * deployed templates are then always the ones the code was built with, and no function carries MJML.
 * The hook runs in the repository root (local bundling, never Docker: see `ProjectFunction`).
 */
export const BUILD_TEMPLATES: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `"${inputDir}/node_modules/.bin/tsx" "${inputDir}/scripts/build-templates.ts" "${inputDir}/templates" "${outputDir}/templates"`,
  ],
};
