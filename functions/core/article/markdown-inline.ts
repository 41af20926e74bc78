const IMAGE = /!\[[^\]]*\]\([^()\s]*(?:\s+"[^"]*")?\)/g;
const LINK = /\[([^\]]+)\]\([^()\s]*(?:\s+"[^"]*")?\)/g;
const REFERENCE_LINK = /\[([^\]]+)\]\[[^\]]*\]/g;
const CODE = /`([^`]+)`/g;
const STRONG = /(\*\*|__)(?=\S)([^*_]+?)(?<=\S)\1/g;
const EMPHASIS_STAR = /(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g;
// Underscores inside words (snake_case) are not emphasis.
const EMPHASIS_UNDERSCORE = /(^|[^\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])/g;
const STRIKETHROUGH = /~~(?=\S)([^~]+?)(?<=\S)~~/g;
const ESCAPE = /\\([\\`*_{}[\]()#+\-.!>~|])/g;
const MARKUP_CHARS = /[[`*_~\\]/;

/** Reduces inline Markdown to its plain text: `[text](url)` → text, emphasis and code marks removed, images dropped. */
export function stripInlineMarkdown(text: string): string {
  if (!MARKUP_CHARS.test(text)) return text;
  return text
    .replace(IMAGE, '')
    .replace(LINK, '$1')
    .replace(REFERENCE_LINK, '$1')
    .replace(CODE, '$1')
    .replace(STRONG, '$2')
    .replace(EMPHASIS_STAR, '$1$2')
    .replace(EMPHASIS_UNDERSCORE, '$1$2')
    .replace(STRIKETHROUGH, '$1')
    .replace(ESCAPE, '$1');
}
