import type { Block, Diagnostic, ParsedArticle } from '../model.js';
import { readDate } from './article-date.js';
import type { Draft } from './article-draft.js';
import { decodeArticleBytes } from './decode-bytes.js';
import { deriveTitle } from './derive-title.js';
import { ArticleRejectedError, articleWarning } from './diagnostics.js';
import { readFrontMatterOf, readMarkdown } from './read-markdown.js';
import { readPlainText } from './read-plain-text.js';
import { TextCleaner } from './text-cleaner.js';
import { finalizeText } from './whitespace.js';

export { ArticleRejectedError } from './diagnostics.js';

export interface ParseOptions {
  maxBytes: number;
  /** the build's "now", to report dates implausibly far ahead */
  now: Date;
}

export interface ParseResult {
  article: ParsedArticle;
  warnings: Diagnostic[];
}

/** More control characters than this share of the text means the file is not text at all. */
const BINARY_CONTROL_SHARE = 0.1;
/** A date this far ahead is held like any embargo, and also reported as a probable typo. */
const FAR_FUTURE_MS = 366 * 86_400_000;
const MARKDOWN_SOURCE = /\.(?:md|markdown)$/i;

function resolveDate(source: string, value: unknown, now: Date, warnings: Diagnostic[]): string | undefined {
  if (value === undefined) return undefined;
  const date = readDate(value);
  if (!date.ok) {
    warnings.push(
      articleWarning(
        source,
        'invalid-date',
        `invalid date "${date.text}" ignored; the first-seen time is used instead`,
      ),
    );
    return undefined;
  }
  if (Date.parse(date.iso) > now.getTime() + FAR_FUTURE_MS) {
    warnings.push(
      articleWarning(
        source,
        'far-future-date',
        `date ${date.iso} is more than a year after the build (${now.toISOString()}): a typo? The article is held until then`,
      ),
    );
  }
  // A future date is kept: the pipeline holds the article until then (an embargo).
  return date.iso;
}

function finalizeBlocks(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    const text = finalizeText(block.text);
    // A Markdown block may be an image alone: no text, but something to show.
    if (block.html !== undefined) {
      out.push({ ...block, text });
      continue;
    }
    if (!text) continue;
    if (block.kind === 'quote' && block.cite) {
      const cite = finalizeText(block.cite);
      out.push(cite ? { kind: 'quote', text, cite } : { kind: 'quote', text });
    } else {
      out.push({ ...block, text });
    }
  }
  return out;
}

/** Throws ArticleRejectedError (code + message naming the file) when the file cannot be published. */
/** A letter or a digit in any script. */
const HAS_WORD = /[\p{L}\p{N}]/u;

export function parseArticle(source: string, bytes: Uint8Array, options: ParseOptions): ParseResult {
  const decoded = decodeArticleBytes(source, bytes, options.maxBytes);
  const cleaner = new TextCleaner();
  const text = cleaner.normalize(decoded);
  if (cleaner.controlChars > decoded.length * BINARY_CONTROL_SHARE) {
    const share = Math.round((cleaner.controlChars / decoded.length) * 100);
    throw new ArticleRejectedError(
      source,
      'binary',
      `file looks binary (${share}% control characters), not text`,
    );
  }
  if (text.trim() === '') throw new ArticleRejectedError(source, 'empty', 'file is empty (only whitespace)');

  const front = readFrontMatterOf(source, text);
  let draft: Draft;
  if (front !== undefined) draft = readMarkdown(source, front.matter, front.body, cleaner);
  else if (MARKDOWN_SOURCE.test(source)) draft = readMarkdown(source, { tags: [] }, text, cleaner);
  else draft = readPlainText(text, cleaner);

  const blocks = finalizeBlocks(draft.blocks);
  const standfirst = draft.standfirst === undefined ? '' : finalizeText(draft.standfirst);
  if (blocks.length === 0 && !standfirst) {
    throw new ArticleRejectedError(
      source,
      'no-text',
      'no text left after cleaning (markup and boilerplate only)',
    );
  }
  const headline = draft.title === undefined ? '' : finalizeText(draft.title);
  // A file of punctuation or symbols alone (".", "***") has nothing to publish or to title.
  const wordy = [...blocks.map((block) => block.text), standfirst].find((text) => HAS_WORD.test(text));
  if (!wordy && !HAS_WORD.test(headline)) {
    throw new ArticleRejectedError(
      source,
      'no-text',
      'no words left after cleaning (only punctuation or symbols)',
    );
  }
  const title = headline || finalizeText(deriveTitle(wordy ?? headline));
  if (!title) throw new ArticleRejectedError(source, 'no-text', 'no title could be derived from the text');
  const article: ParsedArticle = {
    source,
    title,
    titleDerived: !headline,
    tags: draft.tags.map(finalizeText).filter((tag) => tag !== ''),
    blocks,
  };
  if (standfirst) article.standfirst = standfirst;
  const author = draft.author === undefined ? '' : finalizeText(draft.author);
  if (author) article.author = author;
  if (draft.link !== undefined) article.link = draft.link;
  if (draft.image !== undefined) article.image = draft.image;

  const warnings: Diagnostic[] = [];
  if (cleaner.controlChars > 0) {
    warnings.push(
      articleWarning(source, 'control-chars', `removed ${cleaner.controlChars} control character(s)`),
    );
  }
  if (cleaner.htmlStripped) {
    warnings.push(
      articleWarning(source, 'html-stripped', 'removed HTML markup; the article is published as plain text'),
    );
  }
  warnings.push(...draft.warnings);
  const date = resolveDate(source, draft.date, options.now, warnings);
  if (date !== undefined) article.date = date;
  return { article, warnings };
}
