import Handlebars from 'handlebars';
import { type Locale, localeFor, type MessageKey } from './locale.js';

/**
 * The template set, as source text: the core cannot read files, so adapters load `templates/` and pass
 * the sources in. `layout` is optional: without it each page template must produce a whole document.
 */
export interface TemplateSources {
  layout?: string;
  index: string;
  article: string;
  archive: string;
  /** A tag's page and the digest archive (`site-listings.ts`). */
  tag: string;
  digests: string;
  digestMjml: string;
  digestText: string;
  /** The confirmation email (double opt-in); optional so page-only callers need not load it. */
  confirmMjml?: string;
  confirmText?: string;
}

/** File name of each template inside `templates/`. */
export const TEMPLATE_FILES: Record<keyof TemplateSources, string> = {
  layout: 'layout.hbs',
  index: 'index.hbs',
  article: 'article.hbs',
  archive: 'archive.hbs',
  tag: 'tag.hbs',
  digests: 'digests.hbs',
  digestMjml: 'digest.mjml',
  digestText: 'digest.txt.hbs',
  confirmMjml: 'confirm.mjml',
  confirmText: 'confirm.txt.hbs',
};

/**
 * The templates as the renderers take them: the page and text templates as written, each MJML template
 * compiled to HTML that still holds its Handlebars slots (`buildTemplates` in `mjml.ts`). The Lambdas
 * read this set from the folder the bundler ships (`writeBuiltTemplates`), so none carries MJML; the
 * local CLI compiles the same set at start-up, through the same function.
 */
export interface BuiltTemplates extends Omit<TemplateSources, 'digestMjml' | 'confirmMjml'> {
  digestHtml: string;
  confirmHtml?: string;
}

/** File name of each built template inside a shipped templates folder. */
export const BUILT_TEMPLATE_FILES: Record<keyof BuiltTemplates, string> = {
  layout: TEMPLATE_FILES.layout,
  index: TEMPLATE_FILES.index,
  article: TEMPLATE_FILES.article,
  archive: TEMPLATE_FILES.archive,
  tag: TEMPLATE_FILES.tag,
  digests: TEMPLATE_FILES.digests,
  digestHtml: 'digest.html.hbs',
  digestText: TEMPLATE_FILES.digestText,
  confirmHtml: 'confirm.html.hbs',
  confirmText: TEMPLATE_FILES.confirmText,
};

/** The file an editor changes to fix a template: a compiled mail template names its MJML source. */
const SOURCE_FILE: Record<keyof TemplateSources | keyof BuiltTemplates, string> = {
  ...TEMPLATE_FILES,
  digestHtml: TEMPLATE_FILES.digestMjml,
  confirmHtml: TEMPLATE_FILES.confirmMjml,
};

/** A template failed to parse, compile or render; `template` names its file so editors know where to look. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    message: string,
    readonly template: string,
  ) {
    super(message);
  }
}

export type Render<T> = (context: T) => string;

/**
 * Compiles a Handlebars template in strict mode, so a misspelt field fails the build instead of
 * publishing an empty value. Parsing happens here, not on first use, so syntax errors surface at start-up.
 */
export function compileTemplate<T>(
  name: keyof TemplateSources | keyof BuiltTemplates,
  source: string,
  options: { noEscape?: boolean; locale?: Locale } = {},
): Render<T> {
  const file = SOURCE_FILE[name];
  const hb = Handlebars.create();
  const locale = options.locale ?? localeFor('en');
  // `{{t "key" name=value}}`: the interface text in the site's language (`templates/locales/`).
  hb.registerHelper('t', (key: unknown, helper: Handlebars.HelperOptions) =>
    locale.t(String(key) as MessageKey, helper.hash as Record<string, string | number>),
  );
  let delegate: Handlebars.TemplateDelegate<T>;
  try {
    hb.parse(source);
    delegate = hb.compile<T>(source, { strict: true, noEscape: options.noEscape === true });
  } catch (error) {
    throw new TemplateError(`template ${file} does not compile: ${messageOf(error)}`, file);
  }
  return (context) => {
    try {
      return delegate(context);
    } catch (error) {
      throw new TemplateError(`template ${file} failed to render: ${messageOf(error)}`, file);
    }
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "23 August 2021" in UTC, in English; pages use their locale's `date` (`locale.ts`). */
export function formatDisplayDate(iso: string): string {
  return localeFor('en').date(iso);
}

/** `YYYY-MM` of an ISO date, in UTC; undefined when the date does not parse. */
export function monthOf(iso: string): string | undefined {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 7);
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}
