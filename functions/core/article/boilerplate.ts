import { collapseSpaces } from './whitespace.js';

const READ_MORE_LINE = /^read more\s*[:\-–—|]/i;
const WITH_INPUTS_LINE = /^[([]?\s*with inputs? from\b/i;
const WITH_INPUTS_LINE_MAX = 120;
const PHOTO_CAPTION_LINE = /^[\u{1F4F7}\u{1F4F8}]/u;
// Capitalised on purpose: "the sign also read: …" is prose, "Also Read - …" is a link to another story.
const ALSO_READ = /(?:Also|ALSO) (?:Read|READ)\s*[-–—:|]/;
const WITH_INPUTS_NOTE = /\s?\(\s*with inputs? from [^()]{0,120}\)/gi;
const PHOTO_MARKER = /[\u{1F4F7}\u{1F4F8}]\uFE0F?/gu;

/**
 * Cleans one line of an article body. Returns `''` for a line that was blank and `null` for a line
 * that was all boilerplate: the caller drops those without leaving a blank line, so removing a
 * "READ MORE" line never changes how the remaining lines group into paragraphs.
 *
 * Photo captions (lines starting with 📸 or 📷) are dropped whole: the photo is not published with the text.
 */
export function cleanBodyLine(raw: string): string | null {
  const line = collapseSpaces(raw);
  if (line === '') return '';
  if (READ_MORE_LINE.test(line) || PHOTO_CAPTION_LINE.test(line)) return null;
  if (line.length <= WITH_INPUTS_LINE_MAX && WITH_INPUTS_LINE.test(line)) return null;
  let out = line;
  const alsoRead = out.search(ALSO_READ);
  if (alsoRead !== -1) out = out.slice(0, alsoRead);
  if (out.indexOf('(') !== -1) out = out.replace(WITH_INPUTS_NOTE, '');
  out = collapseSpaces(out.replace(PHOTO_MARKER, ''));
  return out === '' ? null : out;
}

/** Splits a body into cleaned lines (`''` for blank lines) with boilerplate lines left out. */
export function cleanBodyLines(body: string): string[] {
  const lines: string[] = [];
  for (const raw of body.split('\n')) {
    const line = cleanBodyLine(raw);
    if (line !== null) lines.push(line);
  }
  return lines;
}
