import { splitDateLine } from './article-date.js';
import type { Draft } from './article-draft.js';
import { finishBlocks } from './body-blocks.js';
import { cleanBodyLines } from './boilerplate.js';
import { splitPlainText } from './plain-text-body.js';
import type { TextCleaner } from './text-cleaner.js';

/** A plain-text article: optional ` date YYYY-MM-DD ` prefix, optional headline and standfirst, then the body. */
export function readPlainText(text: string, cleaner: TextCleaner): Draft {
  const { date, rest } = splitDateLine(text);
  const parts = splitPlainText(cleanBodyLines(cleaner.stripHtml(rest)));
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
  return draft;
}
