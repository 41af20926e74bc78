import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Lambda unpacks the bundle here (`LAMBDA_TASK_ROOT`); the templates are copied next to the code. */
export const TEMPLATES_DIR = '/var/task/templates';

/**
 * Ships the repository's `templates/` folder inside a function bundle, for the functions that
 * render pages or mail: the deployed templates are then always the ones the code was built with.
 */
export const COPY_TEMPLATES: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `cp -R "${inputDir}/templates" "${outputDir}/templates"`,
  ],
};
