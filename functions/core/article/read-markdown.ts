import type { Diagnostic } from '../model.js';
import type { Draft } from './article-draft.js';
import { finishBlocks } from './body-blocks.js';
import { cleanBodyLines } from './boilerplate.js';
import { ArticleRejectedError, articleWarning } from './diagnostics.js';
import { type FrontMatter, FrontMatterError, readFrontMatter, splitFrontMatter } from './front-matter.js';
import { markdownToBlocks, unwrapAutolinks } from './markdown-body.js';
import { stripInlineMarkdown } from './markdown-inline.js';
import type { TextCleaner } from './text-cleaner.js';

const SPACE_OR_CONTROL = /[\u0000-\u0020\u007F-\u009F]/;

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
 * A Markdown article: front matter values cleaned like text, the title from the front matter or a
 * leading heading, the body as blocks.
 */
export function readMarkdown(source: string, matter: FrontMatter, body: string, cleaner: TextCleaner): Draft {
  const inline = (value: string) => stripInlineMarkdown(cleaner.inline(value));
  const blocks = markdownToBlocks(cleanBodyLines(cleaner.stripHtml(unwrapAutolinks(body))));
  const draft: Draft = { tags: [], blocks: [], warnings: [] };
  const title = matter.title === undefined ? '' : inline(matter.title);
  if (title) draft.title = title;
  else if (blocks[0]?.kind === 'heading') draft.title = blocks.shift()!.text;
  draft.blocks = finishBlocks(blocks, false);
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
  return draft;
}
