import { normalizeLineBreaks, removeControlChars } from './control-chars.js';
import { htmlToText } from './html-text.js';
import { collapseSpaces } from './whitespace.js';

const LINE_FEEDS = /\n+/g;

/**
 * The character-level cleaning of one article, remembering what it removed so that the parser can
 * warn once per file however many places (body, front matter values) needed it.
 */
export class TextCleaner {
  controlChars = 0;
  htmlStripped = false;

  /** Line breaks to `\n`, control characters out, NFC. */
  normalize(text: string): string {
    const { text: cleaned, removed } = removeControlChars(normalizeLineBreaks(text));
    this.controlChars += removed;
    return cleaned.normalize('NFC');
  }

  /** HTML tags out (keeping their text, except scripts and styles), character references decoded. */
  stripHtml(text: string): string {
    const result = htmlToText(text);
    if (result.changed) this.htmlStripped = true;
    return result.text;
  }

  /** A front matter value: all of the above, on one line. */
  inline(text: string): string {
    return collapseSpaces(this.stripHtml(this.normalize(text)).replace(LINE_FEEDS, ' '));
  }
}
