import MarkdownIt, { type Token } from 'markdown-it';
import type { Block } from '../model.js';
import { dropLeftoverRawOpen } from './html-text.js';
import { type BodyImage, htmlText, sanitizeBody } from './sanitize-body.js';

/**
 * Markdown bodies are read by markdown-it (CommonMark, plus GFM tables and strikethrough and bare-URL
 * links), one top-level construct at a time, so each becomes one body block that carries both its
 * sanitised HTML (what pages, feeds and emails show) and its plain text (what deduplication and
 * summaries read). Raw HTML is allowed in and then sanitised like everything else.
 */
const md = new MarkdownIt('default', { html: true, linkify: true, typographer: false });
// Bare URLs only when they carry a scheme: "example.com" in running text stays text.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });

export interface MarkdownBody {
  blocks: Block[];
  images: BodyImage[];
  /** Constructs the sanitiser removed, each described once ("<script> element"). */
  dropped: string[];
}

function inlineText(token: Token): string {
  let text = '';
  for (const child of token.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.type === 'html_inline') text += '';
  }
  // Dropping inline HTML can join a `<` of the text to a `script` after it, as htmlToText guards.
  return dropLeftoverRawOpen(text);
}

/** The plain text of a run of tokens: inline text, code, and the text of raw HTML. */
function tokensText(tokens: readonly Token[]): string {
  const parts: string[] = [];
  for (const token of tokens) {
    if (token.type === 'inline') parts.push(inlineText(token));
    else if (token.type === 'fence' || token.type === 'code_block') parts.push(token.content);
    else if (token.type === 'html_block') parts.push(htmlText(token.content));
  }
  return parts.filter((part) => part.trim() !== '').join('\n');
}

const escapeAttr = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `![alt](src "caption")` alone in a paragraph is a figure with a caption (the title). */
function figureHtml(image: Token): string | undefined {
  const title = String(image.attrGet('title') ?? '');
  if (!title) return undefined;
  const src = String(image.attrGet('src') ?? '');
  const alt = inlineText(image);
  return `<figure><img src="${escapeAttr(src)}" alt="${escapeAttr(alt)}"><figcaption>${escapeAttr(title)}</figcaption></figure>`;
}

/** The index of the token that closes the top-level construct opened at `start`. */
function closingIndex(tokens: readonly Token[], start: number): number {
  const open = tokens[start]!;
  if (open.nesting !== 1) return start;
  for (let i = start + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.level === open.level && token.nesting === -1) return i;
  }
  return tokens.length - 1;
}

function kindOf(open: Token): 'paragraph' | 'heading' | 'quote' | 'rich' {
  if (open.type === 'paragraph_open') return 'paragraph';
  if (open.type === 'heading_open') return 'heading';
  if (open.type === 'blockquote_open') return 'quote';
  return 'rich';
}

const QUOTE_CITE = /^(?:—|―|--)\s*(.+)$/;

/**
 * A quote whose last line starts with a dash ("— A customer") names who said it: that line is taken
 * out of the quote (the tokens are changed in place) and returned as the cite.
 */
function takeCite(run: readonly Token[]): string | undefined {
  const inline = [...run].reverse().find((token) => token.type === 'inline');
  const children = inline?.children;
  if (!inline || !children) return undefined;
  const breakAt = children.map((child) => child.type).lastIndexOf('softbreak');
  if (breakAt <= 0) return undefined;
  const tail = children.slice(breakAt + 1);
  if (!tail.every((child) => child.type === 'text')) return undefined;
  const match = QUOTE_CITE.exec(
    tail
      .map((child) => child.content)
      .join('')
      .trim(),
  );
  if (!match) return undefined;
  inline.children = children.slice(0, breakAt);
  return match[1]!;
}

export function markdownToBlocks(markdown: string): MarkdownBody {
  const env = {};
  const tokens = md.parse(markdown, env);
  const blocks: Block[] = [];
  const images: BodyImage[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const end = closingIndex(tokens, i);
    const run = tokens.slice(i, end + 1);
    const open = tokens[i]!;
    i = end;
    let kind = kindOf(open);
    let rendered: string | undefined;
    if (kind === 'paragraph') {
      const children = (run[1]?.children ?? []).filter((child) => child.type !== 'softbreak');
      if (children.length === 1 && children[0]!.type === 'image') {
        rendered = figureHtml(children[0]!);
        kind = 'rich';
      }
    }
    const cite = kind === 'quote' ? takeCite(run) : undefined;
    const clean = sanitizeBody(rendered ?? md.renderer.render(run, md.options, env));
    for (const what of clean.dropped) if (!dropped.includes(what)) dropped.push(what);
    images.push(...clean.images);
    if (clean.html === '') continue;
    const text = tokensText(run);
    if (cite !== undefined) {
      const html = clean.html.replace(
        /<\/blockquote>$/,
        `<footer>— ${escapeAttr(cite)}</footer></blockquote>`,
      );
      blocks.push({ kind: 'quote', text, cite, html });
    } else blocks.push({ kind, text, html: clean.html });
  }
  return { blocks, images, dropped };
}

/** The plain text of one line of inline Markdown (a front matter value): marks, links and images reduced to text. */
export function markdownInlineText(text: string): string {
  const tokens = md.parseInline(text, {});
  let out = '';
  for (const token of tokens) {
    for (const child of token.children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline') out += child.content;
      else if (child.type === 'softbreak' || child.type === 'hardbreak') out += ' ';
    }
  }
  return dropLeftoverRawOpen(out);
}
