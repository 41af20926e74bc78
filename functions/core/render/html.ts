import MarkdownIt from 'markdown-it';
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

// markdown-it's URL finder (linkify-it), with its scheme-less guesses off: "example.com" stays text.
const linkify = new MarkdownIt().linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
const LINKABLE = /^(?:https?:\/\/|mailto:)/i;

/** Escaped plain text in which bare http(s) and mailto URLs become links (`rel="noopener"` on web links). */
export function linkifyText(text: string): string {
  const matches = text.includes(':') ? (linkify.match(text) ?? []) : [];
  let out = '';
  let at = 0;
  for (const match of matches) {
    if (!LINKABLE.test(match.url)) continue;
    out += escapeHtml(text.slice(at, match.index));
    const rel = match.url.toLowerCase().startsWith('mailto:') ? '' : ' rel="noopener"';
    out += `<a href="${escapeHtml(match.url)}"${rel}>${escapeHtml(match.text)}</a>`;
    at = match.lastIndex;
  }
  return out + escapeHtml(text.slice(at));
}

function blockToHtml(block: Block): string {
  // Markdown blocks were sanitised when the article was read.
  if (block.html !== undefined) return block.html;
  if (block.kind === 'paragraph') return `<p>${linkifyText(block.text)}</p>`;
  if (block.kind === 'heading') return `<h2>${escapeHtml(block.text)}</h2>`;
  const cite = block.kind === 'quote' ? block.cite : undefined;
  return cite
    ? `<blockquote><p>${linkifyText(block.text)}</p><footer>— ${escapeHtml(cite)}</footer></blockquote>`
    : `<blockquote><p>${linkifyText(block.text)}</p></blockquote>`;
}

function blockToText(block: Block): string {
  if (block.kind === 'paragraph' || block.kind === 'rich') return block.text;
  if (block.kind === 'heading') return block.text.toUpperCase();
  return block.cite ? `> ${block.text}\n> — ${block.cite}` : `> ${block.text}`;
}

/**
 * Renders body blocks as an HTML fragment: Markdown blocks as their sanitised HTML, plain-text blocks
 * escaped, with bare URLs made links. `mediaBase` prefixes the published images (`media/…`): `../` on an
 * article page, the site URL in feeds.
 */
export function blocksToHtml(blocks: readonly Block[], mediaBase = ''): string {
  const html = blocks.map(blockToHtml).join('\n');
  return mediaBase === '' ? html : html.replace(MEDIA_SRC, `$1${mediaBase}media/`);
}

/** A published image's `src`: sanitised HTML always writes attributes as `name="value"`. */
const MEDIA_SRC = /(<img\b[^>]*?\ssrc=")media\//g;

/** Renders body blocks as plain text paragraphs (for the text part of emails and summaries). */
export function blocksToText(blocks: readonly Block[]): string {
  return blocks
    .map(blockToText)
    .filter((text) => text !== '')
    .join('\n\n');
}
