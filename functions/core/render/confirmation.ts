/**
 * The double opt-in email: an HTML part compiled from `templates/confirm.mjml` (MJML strict, once at
 * start-up, like the digest) and a plain-text part from `confirm.txt.hbs`, both filled per request by
 * Handlebars so an address or URL can never change the email's structure.
 */
import mjml2html from 'mjml';
import { CONFIRM_TOKEN_DAYS } from '../email/subscribe-links.js';
import type { SiteConfig } from '../model.js';
import { MAX_SUBJECT_LENGTH, singleLine, truncateAtWord } from './digest.js';
import {
  compileTemplate,
  type Render,
  TEMPLATE_FILES,
  TemplateError,
  type TemplateSources,
} from './templates.js';

export interface ConfirmationInput {
  /** The normalised address the link confirms (shown so the reader knows which mailbox was given). */
  address: string;
  confirmUrl: string;
}

export interface ConfirmationParts {
  subject: string;
  html: string;
  text: string;
}

export interface ConfirmationRender {
  render(input: ConfirmationInput): ConfirmationParts;
}

interface ConfirmationContext {
  lang: string;
  subject: string;
  preheader: string;
  siteTitle: string;
  siteUrl: string;
  address: string;
  confirmUrl: string;
  expiryDays: number;
  copyright: string | null;
}

export class ConfirmationRenderer implements ConfirmationRender {
  private constructor(
    private readonly html: Render<ConfirmationContext>,
    private readonly text: Render<ConfirmationContext>,
    private readonly config: SiteConfig,
  ) {}

  static async create(
    sources: Pick<TemplateSources, 'confirmMjml' | 'confirmText'>,
    config: SiteConfig,
  ): Promise<ConfirmationRenderer> {
    if (sources.confirmMjml === undefined) throw missing('confirmMjml');
    if (sources.confirmText === undefined) throw missing('confirmText');
    return new ConfirmationRenderer(
      compileTemplate('confirmMjml', await compileConfirmationMjml(sources.confirmMjml)),
      compileTemplate('confirmText', sources.confirmText, { noEscape: true }),
      config,
    );
  }

  render(input: ConfirmationInput): ConfirmationParts {
    const siteTitle = singleLine(this.config.title);
    const subject = truncateAtWord(`Confirm your subscription to ${siteTitle}`, MAX_SUBJECT_LENGTH);
    const context: ConfirmationContext = {
      lang: this.config.language,
      subject,
      preheader: 'One click and the digest starts with the next edition.',
      siteTitle,
      siteUrl: this.config.siteUrl,
      address: input.address,
      confirmUrl: input.confirmUrl,
      expiryDays: CONFIRM_TOKEN_DAYS,
      copyright: this.config.copyright ?? null,
    };
    return {
      subject,
      html: this.html(context),
      text: `${this.text(context)
        .replace(/\n{3,}/g, '\n\n')
        .trim()}\n`,
    };
  }
}

function missing(name: 'confirmMjml' | 'confirmText'): TemplateError {
  const file = TEMPLATE_FILES[name];
  return new TemplateError(`template ${file} is missing`, file);
}

/** Strict validation; includes and `.mjmlconfig` are ignored so the result depends on the source alone. */
async function compileConfirmationMjml(source: string): Promise<string> {
  const file = TEMPLATE_FILES.confirmMjml;
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
    throw new TemplateError(`template ${file} is not valid MJML: ${mjmlMessage(error)}`, file);
  }
  if (result.errors.length > 0) {
    const details = result.errors.map((e) => e.formattedMessage).join('; ');
    throw new TemplateError(`template ${file} is not valid MJML: ${details}`, file);
  }
  // The indentation is a third of MJML's output; the email has no <pre> for it to matter in.
  return result.html.replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n');
}

function mjmlMessage(error: unknown): string {
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
