/** An article's file: its content in an outlet's typography, inside the outlet's page template. */
import type { Outlet, Typography } from './outlets.js';
import type { Content } from './stories.js';

/** Straight quotes made curly (per paragraph), apostrophes typographic. */
export function curly(text: string): string {
  let open = true;
  return text
    .replace(/"/g, () => {
      const q = open ? '“' : '”';
      open = !open;
      return q;
    })
    .replace(/(\p{L}|\p{N})'/gu, '$1’')
    .replace(/'(\p{L})/gu, '‘$1');
}

export function straight(text: string): string {
  return text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
}

/** Text in an outlet's typography (content is generated with straight quotes and spaced em dashes). */
export function typeset(text: string, style: Typography): string {
  if (style === 'curly') return curly(text);
  if (style === 'plain') return text.replace(/ — /g, ' -- ');
  return text;
}

const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
  'from',
  'over',
  'after',
]);

/** Headline Style: Major Words Capitalised. */
export function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word, i) =>
      i > 0 && SMALL_WORDS.has(word.toLowerCase()) ? word : word.charAt(0).toUpperCase() + word.slice(1),
    )
    .join(' ');
}

/** Content written in an outlet's house style. */
export function houseStyle(content: Content, outlet: Outlet): Content {
  const out: Content = {
    headline: typeset(outlet.titleCase ? titleCase(content.headline) : content.headline, outlet.typography),
    paragraphs: content.paragraphs.map((p) => typeset(p, outlet.typography)),
  };
  if (content.standfirst !== undefined) out.standfirst = typeset(content.standfirst, outlet.typography);
  if (content.background) out.background = content.background.map((p) => typeset(p, outlet.typography));
  return out;
}

/**
 * The file: an optional leading " date YYYY-MM-DD " glued to the first line, then the lines of the
 * page in the outlet's layout. The content is placed as given (house style is applied by the caller).
 */
export function renderArticle(content: Content, outlet: Outlet, date?: string): string {
  const p = outlet.pieces;
  const { layout } = outlet;
  const lines: string[] = [];
  const push = (line: string | undefined) => {
    if (line !== undefined) lines.push(line);
  };
  if (layout.share === 'top') push(p.share);
  if (layout.byline === 'top') push(p.byline);
  push(content.headline);
  if (layout.byline === 'after-headline') push(p.byline);
  push(content.standfirst);
  if (layout.byline === 'after-standfirst') push(p.byline);
  if (layout.share === 'after-byline') push(p.share);
  if (layout.newsletter === 'before-body') push(p.newsletter);
  const body = content.paragraphs;
  const adAt = layout.ad === 'after-first' ? 1 : Math.max(1, Math.floor(body.length / 2));
  const letterAt = layout.newsletter === 'middle' ? Math.max(1, Math.floor((body.length * 3) / 4)) : -1;
  for (let i = 0; i < body.length; i++) {
    if (i === adAt) push(p.ad);
    if (i === letterAt) push(p.newsletter);
    push(body[i]);
  }
  if (adAt >= body.length) push(p.ad);
  if (letterAt >= body.length) push(p.newsletter);
  if (layout.share === 'end-of-body') push(p.share);
  if (layout.byline === 'end') push(p.byline);
  if (layout.newsletter === 'end') push(p.newsletter);
  if (layout.share === 'before-more') push(p.share);
  push(p.moreLabel);
  for (const line of p.more ?? []) push(line);
  if (layout.newsletter === 'after-more') push(p.newsletter);
  push(p.copyright);
  const text = lines.join(outlet.blankLines ? '\n\n' : '\n');
  return `${date ? ` date ${date} ` : ''}${text}\n`;
}
