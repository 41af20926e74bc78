import type { Block } from '../model.js';
import { stripInlineMarkdown } from './markdown-inline.js';
import { collapseSpaces } from './whitespace.js';

const ATX_HEADING = /^#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const QUOTE_LINE = /^>\s?(.*)$/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])\s+(.*)$/;
const THEMATIC_BREAK = /^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$/;
const SETEXT_UNDERLINE = /^(?:=+|-+)$/;
const FENCE = /^(?:```|~~~)/;
const QUOTE_CITE = /^(?:—|―|--)\s*(.+)$/;
/** `<https://…>` autolinks, which the HTML cleaning would otherwise take for tags. */
const AUTOLINK = /<((?:https?|mailto):[^<>\s]+)>/g;

/** Turns autolinks into bare URLs; run before the HTML cleaning. */
export function unwrapAutolinks(markdown: string): string {
  return markdown.indexOf('<') === -1 ? markdown : markdown.replace(AUTOLINK, '$1');
}

function inline(text: string): string {
  return collapseSpaces(stripInlineMarkdown(text));
}

/**
 * The blocks of a Markdown body (already split into cleaned, trimmed lines): paragraphs separated by
 * blank lines, `#` and underlined headings, `>` quotes (a last line starting with "—" is the quote's
 * cite), list items as paragraphs. Code is kept as text; thematic breaks are dropped.
 */
export function markdownToBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let kind: 'paragraph' | 'quote' | undefined;
  let buffer: string[] = [];

  const flush = () => {
    if (kind === 'paragraph') {
      const text = inline(buffer.join(' '));
      if (text) blocks.push({ kind: 'paragraph', text });
    } else if (kind === 'quote') {
      const last = buffer.length > 1 ? QUOTE_CITE.exec(buffer[buffer.length - 1]!) : null;
      const text = inline((last ? buffer.slice(0, -1) : buffer).join(' '));
      const cite = last ? inline(last[1]!) : '';
      if (text) blocks.push(cite ? { kind: 'quote', text, cite } : { kind: 'quote', text });
    }
    kind = undefined;
    buffer = [];
  };

  for (const line of lines) {
    if (line === '' || FENCE.test(line)) {
      flush();
      continue;
    }
    if (kind === 'paragraph' && buffer.length === 1 && SETEXT_UNDERLINE.test(line)) {
      const text = inline(buffer[0]!);
      buffer = [];
      kind = undefined;
      if (text) blocks.push({ kind: 'heading', text });
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading !== null) {
      flush();
      const text = inline(heading[1] ?? '');
      if (text) blocks.push({ kind: 'heading', text });
      continue;
    }
    const quote = QUOTE_LINE.exec(line);
    if (quote !== null) {
      if (kind !== 'quote') flush();
      kind = 'quote';
      const content = quote[1]!.trim();
      if (content) buffer.push(content);
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item !== null) {
      flush();
      kind = 'paragraph';
      buffer.push(item[1]!);
      continue;
    }
    if (kind !== 'paragraph') flush();
    kind = 'paragraph';
    buffer.push(line);
  }
  flush();
  return blocks;
}
