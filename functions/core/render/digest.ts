import type { Edition, SiteConfig, Story } from '../model.js';
import { compileStrictMjml } from './mjml.js';
import { imageUrl } from './page-meta.js';
import {
  compileTemplate,
  countStories,
  formatDisplayDate,
  type Render,
  TEMPLATE_FILES,
  type TemplateSources,
} from './templates.js';

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
  stories: DigestStoryView[];
}

/**
 * Renders one edition of the email digest as an HTML part (MJML, compiled once at start-up) and a
 * plain-text part. Handlebars fills both per edition; MJML never sees edition content.
 */
export class DigestRenderer {
  private constructor(
    private readonly html: Render<DigestContext>,
    private readonly text: Render<DigestContext>,
    private readonly config: SiteConfig,
  ) {}

  static async create(sources: TemplateSources, config: SiteConfig): Promise<DigestRenderer> {
    const compiledMjml = await compileStrictMjml(sources.digestMjml, TEMPLATE_FILES.digestMjml);
    return new DigestRenderer(
      compileTemplate('digestMjml', compiledMjml),
      compileTemplate('digestText', sources.digestText, { noEscape: true }),
      config,
    );
  }

  render(edition: Edition, links: DigestLinks): DigestParts {
    if (edition.stories.length === 0) throw new EmptyEditionError(edition.id);
    const { config } = this;
    const subject = digestSubject(config.digest.subjectPrefix, edition.stories);
    const preheader = digestPreheader(edition.stories);
    const context = (stories: DigestStoryView[]): DigestContext => ({
      lang: config.language,
      subject,
      preheader,
      siteTitle: config.title,
      siteUrl: config.siteUrl,
      editionDate: formatDisplayDate(edition.date),
      storyCount: countStories(edition.stories.length),
      viewInBrowserUrl: links.viewInBrowserUrl,
      unsubscribeUrl: links.unsubscribeUrl,
      copyright: config.copyright ?? null,
      stories,
    });
    const views = edition.stories.map((story, index) => this.storyView(story, index));
    const textViews = views.map((view) => ({
      ...view,
      title: wrapText(view.title, TEXT_WIDTH),
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
          ? `Also: ${story.relatedIds.length} related ${story.relatedIds.length === 1 ? 'report' : 'reports'}`
          : null,
      title: singleLine(story.title),
      url: `${this.config.siteUrl}articles/${story.slug}.html`,
      date: formatDisplayDate(story.date),
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
export function digestSubject(prefix: string, stories: readonly Pick<Story, 'title'>[]): string {
  const first = stories[0];
  const head = [singleLine(prefix), first ? singleLine(first.title) : '']
    .filter((part) => part !== '')
    .join(': ');
  const more = stories.length - 1;
  const suffix = more > 0 ? ` (+${more} more)` : '';
  return `${truncateAtWord(head, MAX_SUBJECT_LENGTH - suffix.length)}${suffix}`;
}

/**
 * The inbox preview line. The subject already names the first story, so the preheader lists the next
 * ones; a single-story edition previews its summary instead.
 */
export function digestPreheader(stories: readonly Pick<Story, 'title' | 'summary'>[]): string {
  const [first, ...rest] = stories;
  if (!first) return '';
  if (rest.length === 0) return truncateAtWord(singleLine(first.summary), MAX_PREHEADER_LENGTH);
  const titles = rest.map((story) => singleLine(story.title)).join(' · ');
  return truncateAtWord(`Also: ${titles}`, MAX_PREHEADER_LENGTH);
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
