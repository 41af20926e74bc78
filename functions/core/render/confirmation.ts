/**
 * The double opt-in email: an HTML part compiled from `templates/confirm.mjml` (MJML strict, before
 * rendering, like the digest: `buildTemplates`) and a plain-text part from `confirm.txt.hbs`, both filled per request by
 * Handlebars so an address or URL can never change the email's structure.
 */
import { CONFIRM_TOKEN_DAYS } from '../email/subscribe-links.js';
import type { SiteConfig } from '../model.js';
import { MAX_SUBJECT_LENGTH, singleLine, truncateAtWord } from './digest.js';
import { type Locale, localeFor } from './locale.js';
import {
  type BuiltTemplates,
  compileTemplate,
  type Render,
  TEMPLATE_FILES,
  TemplateError,
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
    private readonly locale: Locale,
  ) {}

  /** From the built templates: the MJML already compiled (at bundle time, or by `buildTemplates`). */
  static create(
    templates: Pick<BuiltTemplates, 'confirmHtml' | 'confirmText'>,
    config: SiteConfig,
    locale: Locale = localeFor(config.language),
  ): ConfirmationRenderer {
    if (templates.confirmHtml === undefined) throw missing('confirmMjml');
    if (templates.confirmText === undefined) throw missing('confirmText');
    return new ConfirmationRenderer(
      compileTemplate('confirmHtml', templates.confirmHtml, { locale }),
      compileTemplate('confirmText', templates.confirmText, { noEscape: true, locale }),
      config,
      locale,
    );
  }

  render(input: ConfirmationInput): ConfirmationParts {
    const siteTitle = singleLine(this.config.title);
    const subject = truncateAtWord(this.locale.t('confirm.subject', { site: siteTitle }), MAX_SUBJECT_LENGTH);
    const context: ConfirmationContext = {
      lang: this.config.language,
      subject,
      preheader: this.locale.t('confirm.preheader'),
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
