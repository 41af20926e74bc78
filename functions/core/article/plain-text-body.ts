import { isSingleSentence } from './sentences.js';

export interface PlainTextParts {
  headline?: string;
  standfirst?: string;
  paragraphs: string[];
}

const HEADLINE_MAX_CHARS = 140;
const STANDFIRST_MAX_CHARS = 300;
const STANDFIRST_MIN_WORDS = 3;
/** Endings that mean the line is a sentence (or runs on), so not a headline. "?" and "!" headlines exist. */
const RUN_ON_ENDINGS = new Set(['.', ',', ';', ':']);
const CLOSING_QUOTES = /["”’')»]+$/;
const SENTENCE_END = /[.!?…]["”’')»]*$/;
const STARTS_LOWERCASE = /^\p{Ll}/u;
const HAS_LETTER = /\p{L}/u;

function looksLikeHeadline(line: string): boolean {
  if (line.length > HEADLINE_MAX_CHARS || !HAS_LETTER.test(line) || STARTS_LOWERCASE.test(line)) return false;
  const bare = line.replace(CLOSING_QUOTES, '');
  return bare === '' || !RUN_ON_ENDINGS.has(bare[bare.length - 1]!);
}

function looksLikeStandfirst(paragraph: string): boolean {
  return (
    paragraph.length < STANDFIRST_MAX_CHARS &&
    paragraph.split(' ').length >= STANDFIRST_MIN_WORDS &&
    paragraph.indexOf('(@') === -1 &&
    isSingleSentence(paragraph)
  );
}

/** True when a blank line separates two text lines: paragraphs are then separated by blank lines. */
function usesBlankLines(lines: readonly string[]): boolean {
  let seenText = false;
  let blankAfterText = false;
  for (const line of lines) {
    if (line === '') {
      blankAfterText = seenText;
    } else {
      if (blankAfterText) return true;
      seenText = true;
    }
  }
  return false;
}

/**
 * With blank-line paragraphs, the lines of one paragraph are joined (hard-wrapped text), except after a
 * line that ends a sentence and before one that starts like a new one. Without blank lines, every line
 * is a paragraph.
 */
function groupParagraphs(lines: readonly string[], blankLines: boolean): string[] {
  if (!blankLines) return lines.filter((line) => line !== '');
  const paragraphs: string[] = [];
  let current = '';
  for (const line of lines) {
    if (line === '') {
      if (current) paragraphs.push(current);
      current = '';
    } else if (current === '') {
      current = line;
    } else if (SENTENCE_END.test(current) && !STARTS_LOWERCASE.test(line)) {
      paragraphs.push(current);
      current = line;
    } else {
      current = `${current} ${line}`;
    }
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

/**
 * Finds the headline, standfirst and paragraphs of a plain-text article (cleaned lines, `''` for blank).
 * Headline: a first line that is short, has no final full stop and is followed by more text that does not
 * start in lower case (which would make it the first line of a wrapped paragraph). Standfirst: after a
 * headline, a first paragraph that is one short sentence with more body after it.
 */
export function splitPlainText(lines: readonly string[]): PlainTextParts {
  const blankLines = usesBlankLines(lines);
  const first = lines.findIndex((line) => line !== '');
  if (first === -1) return { paragraphs: [] };
  const candidate = lines[first]!;
  let next = first + 1;
  while (next < lines.length && lines[next] === '') next++;
  const following = lines[next];
  const hasHeadline =
    following !== undefined && looksLikeHeadline(candidate) && !STARTS_LOWERCASE.test(following);
  const paragraphs = groupParagraphs(hasHeadline ? lines.slice(first + 1) : lines.slice(first), blankLines);
  if (!hasHeadline) return { paragraphs };
  const parts: PlainTextParts = { headline: candidate, paragraphs };
  if (paragraphs.length >= 2 && looksLikeStandfirst(paragraphs[0]!)) parts.standfirst = paragraphs.shift()!;
  return parts;
}
