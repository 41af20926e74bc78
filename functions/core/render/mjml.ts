/**
 * MJML, compiled with strict validation before any mail is rendered: at bundle time for the Lambdas
 * (`writeBuiltTemplates`, so no function carries MJML and its megabytes), at start-up for the local CLI.
 * Content is filled in afterwards by Handlebars, so a hostile title or address can never change an
 * email's structure. Includes and `.mjmlconfig` are ignored so the result depends on the source alone.
 */
import mjml2html from 'mjml';
import { type BuiltTemplates, TEMPLATE_FILES, TemplateError, type TemplateSources } from './templates.js';

/** The template set with each MJML template compiled to HTML (its Handlebars slots kept). */
export async function buildTemplates(sources: TemplateSources): Promise<BuiltTemplates> {
  const { digestMjml, confirmMjml, ...rest } = sources;
  const built: BuiltTemplates = {
    ...rest,
    digestHtml: await compileStrictMjml(digestMjml, TEMPLATE_FILES.digestMjml),
  };
  if (confirmMjml !== undefined)
    built.confirmHtml = await compileStrictMjml(confirmMjml, TEMPLATE_FILES.confirmMjml);
  return built;
}

export async function compileStrictMjml(source: string, file: string): Promise<string> {
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(source, {
      validationLevel: 'strict',
      fonts: {},
      keepComments: false,
      ignoreIncludes: true,
      useMjmlConfigOptions: false,
    });
  } catch (error) {
    throw new TemplateError(`template ${file} is not valid MJML: ${mjmlErrorDetails(error)}`, file);
  }
  if (result.errors.length > 0) {
    const details = result.errors.map((e) => e.formattedMessage).join('; ');
    throw new TemplateError(`template ${file} is not valid MJML: ${details}`, file);
  }
  return stripIndentation(result.html);
}

function mjmlErrorDetails(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors)) {
    const messages = error.errors
      .map((e: unknown) =>
        typeof e === 'object' && e !== null && 'formattedMessage' in e
          ? String(e.formattedMessage)
          : String(e),
      )
      .filter((message: string) => message !== '');
    if (messages.length > 0) return messages.join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * MJML's output is indented for reading; the indentation is about a third of the bytes. Dropping it is
 * safe because the emails have no <pre>, and a newline still separates what whitespace separated.
 */
function stripIndentation(html: string): string {
  return html.replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n');
}
