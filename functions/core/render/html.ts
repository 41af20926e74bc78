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

/** Renders body blocks as an HTML fragment. Text is always escaped: articles are plain text. */
export function blocksToHtml(blocks: readonly Block[]): string {
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'paragraph':
          return `<p>${escapeHtml(block.text)}</p>`;
        case 'heading':
          return `<h2>${escapeHtml(block.text)}</h2>`;
        case 'quote':
          return block.cite
            ? `<blockquote><p>${escapeHtml(block.text)}</p><footer>— ${escapeHtml(block.cite)}</footer></blockquote>`
            : `<blockquote><p>${escapeHtml(block.text)}</p></blockquote>`;
      }
    })
    .join('\n');
}

/** Renders body blocks as plain text paragraphs (for the text part of emails and summaries). */
export function blocksToText(blocks: readonly Block[]): string {
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'paragraph':
          return block.text;
        case 'heading':
          return block.text.toUpperCase();
        case 'quote':
          return block.cite ? `> ${block.text}\n> — ${block.cite}` : `> ${block.text}`;
      }
    })
    .join('\n\n');
}
