import { collapseSpaces } from './whitespace.js';

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
/** `— Name (@handle) August 24, 2021` at the very end of a paragraph: what a pasted tweet embed leaves. */
const ATTRIBUTION = new RegExp(
  `\\s[—–-]{1,2}\\s*([^—–()]{1,80}?)\\s*\\(@(\\w{1,15})\\)\\s+(?:${MONTH}\\.? \\d{1,2}, \\d{4}|\\d{1,2} ${MONTH}\\.? \\d{4})$`,
);
// The attribution is short: only the end of a paragraph is searched, so this stays linear in the paragraph.
const ATTRIBUTION_WINDOW = 200;
const NAME_SEPARATOR = /\s[—–-]{1,2}\s/;
const TWITTER_LINK = /(?<![\w.])(?:https?:\/\/)?(?:pic\.twitter\.com|t\.co)\/\w*/g;

export interface TweetQuote {
  /** The tweet's text without its links; empty when the paragraph was only the attribution. */
  text: string;
  /** `Name (@handle)` */
  cite: string;
}

/** Removes `pic.twitter.com/…` and `t.co/…` links, which mean nothing once the embed is gone. */
export function removeTwitterLinks(text: string): string {
  if (text.indexOf('pic.twitter.com') === -1 && text.indexOf('t.co/') === -1) return text;
  return collapseSpaces(text.replace(TWITTER_LINK, ''));
}

/** Recognises a pasted tweet embed (text, link, `— Name (@handle) Date`) and returns it as a quote. */
export function parseTweetEmbed(paragraph: string): TweetQuote | undefined {
  if (paragraph.indexOf('(@') === -1) return undefined;
  const start = Math.max(0, paragraph.length - ATTRIBUTION_WINDOW);
  // A leading space lets an attribution that is the whole paragraph match the `\s` before its dash.
  const window = start === 0 ? ` ${paragraph}` : paragraph.slice(start);
  const match = ATTRIBUTION.exec(window);
  if (match === null) return undefined;
  const name = collapseSpaces(match[1]!.split(NAME_SEPARATOR).pop()!);
  if (!/\p{L}/u.test(name)) return undefined;
  const head = start === 0 ? window.slice(0, match.index) : paragraph.slice(0, start + match.index);
  return { text: removeTwitterLinks(collapseSpaces(head)), cite: `${name} (@${match[2]!})` };
}
