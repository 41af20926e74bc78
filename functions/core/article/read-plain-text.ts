import { splitDateLine } from './article-date.js';
import type { Draft } from './article-draft.js';
import { finishBlocks } from './body-blocks.js';
import { cleanBodyLines } from './boilerplate.js';
import { splitPlainText } from './plain-text-body.js';
import type { TextCleaner } from './text-cleaner.js';

/**
 * A byline standing first ("By Jane Doe, Reuters", "By News Desk | The Courier"): the author, not the
 * headline. Short, starting "By" and a capitalised word, not a sentence.
 */
const BYLINE = /^By\s+\p{Lu}[^.!?]{0,80}$/u;
const BYLINE_MAX_WORDS = 12;

/** A plain-text article: optional ` date YYYY-MM-DD ` prefix, optional byline, optional headline and standfirst, then the body. */
export function readPlainText(text: string, cleaner: TextCleaner): Draft {
  const { date, rest } = splitDateLine(text);
  const lines = cleanBodyLines(cleaner.stripHtml(rest));
  let author: string | undefined;
  const first = lines.findIndex((line) => line !== '');
  const firstLine = lines[first];
  if (
    firstLine !== undefined &&
    BYLINE.test(firstLine) &&
    firstLine.split(' ').length <= BYLINE_MAX_WORDS &&
    lines.slice(first + 1).some((line) => line !== '')
  ) {
    author = firstLine.replace(/^By\s+/u, '');
    lines.splice(first, 1);
  }
  const parts = splitPlainText(lines);
  const draft: Draft = {
    tags: [],
    blocks: finishBlocks(
      parts.paragraphs.map((text) => ({ kind: 'paragraph', text })),
      true,
    ),
    warnings: [],
  };
  if (parts.headline !== undefined) draft.title = parts.headline;
  if (parts.standfirst !== undefined) draft.standfirst = parts.standfirst;
  if (date !== undefined) draft.date = date;
  if (author !== undefined) draft.author = author;
  return draft;
}
