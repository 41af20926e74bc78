import type { Diagnostic, ImageRef } from '../model.js';
import type { Draft } from './article-draft.js';
import { cleanBodyLine } from './boilerplate.js';
import { ArticleRejectedError, articleWarning } from './diagnostics.js';
import { type FrontMatter, FrontMatterError, readFrontMatter, splitFrontMatter } from './front-matter.js';
import { markdownInlineText, markdownToBlocks } from './markdown-blocks.js';
import type { TextCleaner } from './text-cleaner.js';

const SPACE_OR_CONTROL = /[\u0000-\u0020\u007F-\u009F]/;
const LEADING_SPACE = /^[ \t]*/;
const FENCE = /^[ \t]{0,3}(?:```|~~~)/;
const ABSOLUTE_HTTP = /^https?:\/\/[^\s]+$/i;
const RELATIVE_PATH = /^(?![a-z][a-z0-9+.-]*:)(?![/\\])[^\s?#]+$/i;

/** The front matter `link`, kept only when it is an absolute http(s) URL a reader can follow. */
function readLink(source: string, link: string, warnings: Diagnostic[]): string | undefined {
  const trimmed = link.trim();
  try {
    const url = new URL(trimmed);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !SPACE_OR_CONTROL.test(trimmed))
      return trimmed;
  } catch {
    // reported below
  }
  warnings.push(articleWarning(source, 'invalid-link', `link "${trimmed}" is not an http(s) URL; ignored`));
  return undefined;
}

/** The front matter, split off and parsed, or undefined when the file has none. */
export function readFrontMatterOf(
  source: string,
  text: string,
): { matter: FrontMatter; body: string } | undefined {
  try {
    const split = splitFrontMatter(text);
    return split === undefined ? undefined : { matter: readFrontMatter(split.yaml), body: split.body };
  } catch (error) {
    if (error instanceof FrontMatterError) {
      throw new ArticleRejectedError(source, 'bad-front-matter', `bad front matter: ${error.message}`);
    }
    throw error;
  }
}

/**
 * News boilerplate ("READ MORE: …" lines, "(with inputs from agencies)") out of a Markdown body, line by
 * line as in plain text, but keeping each line's indentation (it is Markdown syntax: code, nested lists)
 * and leaving fenced code alone.
 */
function cleanMarkdownBoilerplate(body: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const raw of body.split('\n')) {
    if (FENCE.test(raw)) inFence = !inFence;
    if (inFence || FENCE.test(raw)) {
      out.push(raw);
      continue;
    }
    const cleaned = cleanBodyLine(raw);
    if (cleaned === null) continue;
    out.push(
      cleaned === '' ? '' : `${LEADING_SPACE.exec(raw)![0]}${cleaned}${/ {2}$/.test(raw) ? '  ' : ''}`,
    );
  }
  return out.join('\n');
}

function leadImage(
  source: string,
  matter: FrontMatter,
  inline: (v: string) => string,
  warnings: Diagnostic[],
) {
  if (matter.image === undefined) return undefined;
  const src = matter.image.trim();
  if (!ABSOLUTE_HTTP.test(src) && !RELATIVE_PATH.test(src)) {
    warnings.push(
      articleWarning(
        source,
        'invalid-image',
        `image "${src}" is neither an http(s) URL nor a path relative to the article; ignored`,
      ),
    );
    return undefined;
  }
  const image: ImageRef = {
    src,
    alt: matter.image_alt === undefined ? '' : inline(matter.image_alt),
    fromFrontMatter: true,
  };
  const caption = matter.image_caption === undefined ? '' : inline(matter.image_caption);
  if (caption) image.caption = caption;
  if (!image.alt)
    warnings.push(
      articleWarning(
        source,
        'image-no-alt',
        `image "${src}" has no image_alt: add one for readers who cannot see it`,
      ),
    );
  return image;
}

/**
 * A Markdown article: front matter values cleaned like text, the title from the front matter or a
 * leading heading, the body as blocks of sanitised HTML with their text.
 */
export function readMarkdown(source: string, matter: FrontMatter, body: string, cleaner: TextCleaner): Draft {
  const inline = (value: string) => markdownInlineText(cleaner.inline(value));
  const parsed = markdownToBlocks(cleanMarkdownBoilerplate(body));
  const blocks = parsed.blocks;
  const draft: Draft = { tags: [], blocks: [], warnings: [] };
  for (const what of parsed.dropped) {
    draft.warnings.push(
      articleWarning(source, 'markup-dropped', `removed ${what}: not allowed in a published article`),
    );
  }
  const title = matter.title === undefined ? '' : inline(matter.title);
  if (title) draft.title = title;
  else if (blocks[0]?.kind === 'heading') draft.title = blocks.shift()!.text;
  draft.blocks = blocks;
  const seen = new Set<string>();
  for (const raw of matter.tags) {
    const tag = inline(raw);
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      draft.tags.push(tag);
    }
  }
  if (matter.summary !== undefined) draft.standfirst = inline(matter.summary);
  if (matter.author !== undefined) draft.author = inline(matter.author);
  if (matter.link !== undefined) {
    const link = readLink(source, matter.link, draft.warnings);
    if (link !== undefined) draft.link = link;
  }
  if (matter.date !== undefined) draft.date = matter.date;
  const image = leadImage(source, matter, inline, draft.warnings);
  const first = parsed.images[0];
  if (image) draft.image = image;
  else if (first) draft.image = { src: first.src, alt: first.alt, fromFrontMatter: false };
  return draft;
}
