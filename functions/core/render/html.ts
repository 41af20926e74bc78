import type { Block } from '../model.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function blockToHtml(block: Block): string {
  if (block.kind === 'paragraph') return `<p>${escapeHtml(block.text)}</p>`;
  if (block.kind === 'heading') return `<h2>${escapeHtml(block.text)}</h2>`;
  return block.cite
    ? `<blockquote><p>${escapeHtml(block.text)}</p><footer>— ${escapeHtml(block.cite)}</footer></blockquote>`
    : `<blockquote><p>${escapeHtml(block.text)}</p></blockquote>`;
}

function blockToText(block: Block): string {
  if (block.kind === 'paragraph') return block.text;
  if (block.kind === 'heading') return block.text.toUpperCase();
  return block.cite ? `> ${block.text}\n> — ${block.cite}` : `> ${block.text}`;
}

/** Renders body blocks as an HTML fragment. Text is always escaped: articles are plain text. */
export function blocksToHtml(blocks: readonly Block[]): string {
  return blocks.map(blockToHtml).join('\n');
}

/** Renders body blocks as plain text paragraphs (for the text part of emails and summaries). */
export function blocksToText(blocks: readonly Block[]): string {
  return blocks.map(blockToText).join('\n\n');
}
