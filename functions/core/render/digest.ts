import { type Brand, DEFAULT_BRAND } from '../brand.js';
import type { Edition, SiteConfig, Story } from '../model.js';
import { type Locale, localeFor } from './locale.js';
import { imageUrl } from './page-meta.js';
import { type BuiltTemplates, compileTemplate, type Render } from './templates.js';

export interface DigestParts {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export interface DigestLinks {
  viewInBrowserUrl: string;
  /** Used verbatim: a placeholder such as `{{unsubscribe_url}}` survives into both parts for later replacement. */
  unsubscribeUrl: string;
}

/** An edition without stories: there is nothing to send, and sending an empty email would be a bug upstream. */
export class EmptyEditionError extends Error {
  override name = 'EmptyEditionError';
  constructor(editionId: string) {
    super(`digest edition "${editionId}" has no stories`);
  }
}

/** Longest subject; inbox lists show far less, and some gateways reject very long headers. */
export const MAX_SUBJECT_LENGTH = 150;
/** Longest preheader: clients show roughly 90–140 characters after the subject. */
export const MAX_PREHEADER_LENGTH = 140;
/** Longest summary in the email: keeps 20+ stories well under Gmail's 102 KB clipping limit. */
export const MAX_DIGEST_SUMMARY_LENGTH = 400;
const TEXT_WIDTH = 72;
/** The digest is 600 px wide with 28 px of padding each side. */
export const DIGEST_IMAGE_WIDTH = 544;

interface DigestStoryView {
  number: number;
  /** "Also: 3 related reports", when the story has related coverage. */
  related: string | null;
  title: string;
  url: string;
  date: string;
  summary: string;
  /** The lead image, absolute, at most DIGEST_IMAGE_WIDTH wide (email clients need an explicit width). */
  image: { url: string; alt: string; width: number; height: number | null } | null;
}

interface DigestContext {
  lang: string;
  subject: string;
  preheader: string;
  siteTitle: string;
  siteUrl: string;
  editionDate: string;
  storyCount: string;
  viewInBrowserUrl: string;
  unsubscribeUrl: string;
  copyright: string | null;
  /** The logo and accent colour (`brand` config, else the default colour and no logo). */
  brand: Brand;
  stories: DigestStoryView[];
}

/**
 * Renders one edition of the email digest as an HTML part (MJML compiled before, by `buildTemplates`:
 * at bundle time for the Lambda) and a plain-text part. Handlebars fills both per edition; MJML never
 * sees edition content.
 */
export class DigestRenderer {
  private constructor(
    private readonly html: Render<DigestContext>,
    private readonly text: Render<DigestContext>,
    private readonly config: SiteConfig,
    private readonly locale: Locale,
  ) {}

  /**
   * From the built templates: the MJML already compiled (at bundle time, or by `buildTemplates`).
   * `locale`: the composition root's, whose warnings reach its log; by default the config language's.
   */
  static create(
    templates: Pick<BuiltTemplates, 'digestHtml' | 'digestText'>,
    config: SiteConfig,
    locale: Locale = localeFor(config.language),
  ): DigestRenderer {
    return new DigestRenderer(
      compileTemplate('digestHtml', templates.digestHtml, { locale }),
      compileTemplate('digestText', templates.digestText, { noEscape: true, locale }),
      config,
      locale,
    );
  }

  render(edition: Edition, links: DigestLinks): DigestParts {
    if (edition.stories.length === 0) throw new EmptyEditionError(edition.id);
    const { config, locale } = this;
    const subject = digestSubject(config.digest.subjectPrefix, edition.stories, locale);
    const preheader = digestPreheader(edition.stories, locale);
    const context = (stories: DigestStoryView[]): DigestContext => ({
      lang: config.language,
      subject,
      preheader,
      siteTitle: config.title,
      siteUrl: config.siteUrl,
      editionDate: locale.date(edition.date),
      storyCount: locale.t('site.storyCount', { count: edition.stories.length }),
      viewInBrowserUrl: links.viewInBrowserUrl,
      unsubscribeUrl: links.unsubscribeUrl,
      copyright: config.copyright ?? null,
      brand: config.brand ?? DEFAULT_BRAND,
      stories,
    });
    const views = edition.stories.map((story, index) => this.storyView(story, index));
    // The plain-text part keeps each link's URL, after its text as "Title <https://…>" (RFC 3986 app. C).
    const textViews = views.map((view) => ({
      ...view,
      title: wrapText(`${view.title} <${view.url}>`, TEXT_WIDTH),
      summary: wrapText(view.summary, TEXT_WIDTH),
    }));
    return {
      subject,
      preheader,
      html: this.html(context(views)),
      text: tidyText(this.text(context(textViews))),
    };
  }

  private storyView(story: Story, index: number): DigestStoryView {
    return {
      number: index + 1,
      related:
        story.relatedIds.length > 0
          ? this.locale.t('digest.related', { count: story.relatedIds.length })
          : null,
      title: singleLine(story.title),
      url: `${this.config.siteUrl}articles/${story.slug}.html`,
      date: this.locale.date(story.date),
      summary: truncateAtWord(singleLine(story.summary), MAX_DIGEST_SUMMARY_LENGTH),
      image: digestImage(story, this.config),
    };
  }
}

function digestImage(story: Story, config: SiteConfig): DigestStoryView['image'] {
  const image = story.image;
  if (!image) return null;
  const width = Math.min(image.width ?? DIGEST_IMAGE_WIDTH, DIGEST_IMAGE_WIDTH);
  const height = image.width && image.height ? Math.round((image.height * width) / image.width) : null;
  return { url: imageUrl(image.url, config.siteUrl), alt: image.alt, width, height };
}

/** `Prefix: first title (+N more)`, one line, at most MAX_SUBJECT_LENGTH characters, cut between words. */
export function digestSubject(
  prefix: string,
  stories: readonly Pick<Story, 'title'>[],
  locale: Locale = localeFor('en'),
): string {
  const first = stories[0];
  const head = [singleLine(prefix), first ? singleLine(first.title) : '']
    .filter((part) => part !== '')
    .join(': ');
  const more = stories.length - 1;
  const suffix = more > 0 ? ` ${locale.t('digest.subjectMore', { count: more })}` : '';
  return `${truncateAtWord(head, MAX_SUBJECT_LENGTH - suffix.length)}${suffix}`;
}

/**
 * The inbox preview line. The subject already names the first story, so the preheader lists the next
 * ones; a single-story edition previews its summary instead.
 */
export function digestPreheader(
  stories: readonly Pick<Story, 'title' | 'summary'>[],
  locale: Locale = localeFor('en'),
): string {
  const [first, ...rest] = stories;
  if (!first) return '';
  if (rest.length === 0) return truncateAtWord(singleLine(first.summary), MAX_PREHEADER_LENGTH);
  const titles = rest.map((story) => singleLine(story.title)).join(' · ');
  return truncateAtWord(locale.t('digest.preheaderAlso', { titles }), MAX_PREHEADER_LENGTH);
}

/**
 * Control characters (CR and LF above all: they would allow header injection in the subject) and runs
 * of whitespace become single spaces.
 */
export function singleLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * At most `max` characters (code points, so an emoji is never split), cut at the last space when one
 * is reasonably close to the end, with an ellipsis when anything was cut.
 */
export function truncateAtWord(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, Math.max(max, 0)).join('');
  const cut = chars.slice(0, max - 1).join('');
  const lastSpace = cut.lastIndexOf(' ');
  const atWord = lastSpace >= cut.length / 2 ? cut.slice(0, lastSpace) : cut;
  return `${atWord.trimEnd().replace(/[\s,;:.·–—-]+$/, '')}…`;
}

/** Template blocks leave runs of blank lines behind; a plain-text email reads best with single blank lines. */
function tidyText(text: string): string {
  return `${text.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** Greedy word wrap for the plain-text part; a word longer than the width (a URL) keeps its own line. */
function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
