import { decodeEntities } from './html-entities.js';

const RAW_TEXT_OPEN = /<(script|style)/gi;
const SCRIPT_CLOSE = /<\/script[^>]*>/gi;
const STYLE_CLOSE = /<\/style[^>]*>/gi;
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)[^<>]*>/g;
const DECLARATION = /<!(?!\[)[^<>]*>|<\?[^<>]*>/g;
const LEFTOVER_RAW_OPEN = /<(?=\/?(?:script|style))/gi;

/** Tags that end a line of text, so that `<p>a</p><p>b</p>` stays two paragraphs. */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

/**
 * Drops `<script>`/`<style>` elements with their content. Any `<script…` opens one (as in a browser, an
 * unclosed one runs to the end of the text): the output must never contain `<script`.
 */
function dropRawTextElements(text: string): string {
  RAW_TEXT_OPEN.lastIndex = 0;
  let out = '';
  let pos = 0;
  for (;;) {
    const open = RAW_TEXT_OPEN.exec(text);
    if (open === null) break;
    out += text.slice(pos, open.index);
    const close = open[1]!.toLowerCase() === 'script' ? SCRIPT_CLOSE : STYLE_CLOSE;
    close.lastIndex = RAW_TEXT_OPEN.lastIndex;
    if (close.exec(text) === null) {
      pos = text.length;
      break;
    }
    pos = close.lastIndex;
    RAW_TEXT_OPEN.lastIndex = pos;
  }
  return pos === 0 ? text : out + text.slice(pos);
}

/** Drops `<!-- … -->` comments; an unclosed one runs to the end, as in a browser. */
function dropComments(text: string): string {
  let start = text.indexOf('<!--');
  if (start === -1) return text;
  let out = '';
  let pos = 0;
  while (start !== -1) {
    out += text.slice(pos, start);
    const end = text.indexOf('-->', start + 4);
    if (end === -1) return out;
    pos = end + 3;
    start = text.indexOf('<!--', pos);
  }
  return out + text.slice(pos);
}

/**
 * Removing one tag can join `<` to a following `script` (`<<b>script`); that `<` is text, and plain
 * text must not read as a tag: it goes.
 */
export function dropLeftoverRawOpen(text: string): string {
  return text.indexOf('<') === -1 ? text : text.replace(LEFTOVER_RAW_OPEN, '');
}

/**
 * Turns HTML that found its way into a plain-text article into plain text. References are decoded
 * first, in one pass, so that markup written as `&lt;b&gt;` goes too and `&amp;lt;` stays `&lt;`.
 * A literal `]]>` is ordinary text here: the XML writers deal with it.
 */
export function htmlToText(text: string): { text: string; changed: boolean } {
  if (text.indexOf('<') === -1 && text.indexOf('&') === -1) return { text, changed: false };
  let out = decodeEntities(text);
  if (out.indexOf('<') !== -1) {
    out = dropComments(dropRawTextElements(out))
      .replace(DECLARATION, '')
      .replace(TAG, (_tag, name: string) => (BLOCK_TAGS.has(name.toLowerCase()) ? '\n' : ''));
    out = dropLeftoverRawOpen(out);
  }
  return { text: out, changed: out !== text };
}
