import type { Block } from '../model.js';

const SUBHEADING_MAX_CHARS = 80;
const SUBHEADING_MAX_WORDS = 12;
/** A line ending in one of these is a sentence or a quotation, not a subheading. */
const TERMINAL = new Set(['.', '!', '?', '…', ':', ';', ',', '"', '”', '’', "'", '»']);
const OPENING_QUOTES = new Set(['"', '“', '‘', "'", '«', '„', '‚']);
const CAPITALISED = /^[\p{Lu}\p{N}]/u;

/** A short, capitalised, unpunctuated line that is not a quotation. */
export function looksLikeSubheading(text: string): boolean {
  if (text.length === 0 || text.length > SUBHEADING_MAX_CHARS) return false;
  if (OPENING_QUOTES.has(text[0]!) || TERMINAL.has(text[text.length - 1]!)) return false;
  if (!CAPITALISED.test(text)) return false;
  return text.split(' ').length <= SUBHEADING_MAX_WORDS;
}

/**
 * Turns subheading-like paragraphs into heading blocks. The first and last blocks stay paragraphs:
 * a heading needs a section under it, and a short last line is usually an unpunctuated sentence.
 */
export function markSubheadings(blocks: Block[]): Block[] {
  const last = blocks.length - 1;
  return blocks.map((block, i) =>
    i > 0 && i < last && block.kind === 'paragraph' && looksLikeSubheading(block.text)
      ? { kind: 'heading', text: block.text }
      : block,
  );
}
