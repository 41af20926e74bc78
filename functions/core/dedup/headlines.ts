/**
 * Headlines on story pages: where a page holds another text's headline, and whether it carries that
 * text among other stories' text. Used by the story-page and truncation rules (`similarity.ts`) and
 * by clustering (which copy represents a story).
 */
import { type DedupFeatures, DUPLICATE_THRESHOLDS } from './thresholds.js';

/** Where `needle` starts as a contiguous run in `line`, or -1. */
function runAt(line: Uint32Array, needle: Uint32Array): number {
  outer: for (let start = 0; start + needle.length <= line.length; start++) {
    for (let i = 0; i < needle.length; i++) if (line[start + i] !== needle[i]) continue outer;
    return start;
  }
  return -1;
}

/**
 * Where `page` holds `article`'s headline (see `headedBy`): its line and the word it starts at, or
 * undefined. A line of its own (with at most `headlineExtraWords` words around it) is looked for
 * first; a long headline may also stand inside a longer line, where a page run together lines (a
 * headline in lower case reads as the rest of the paragraph before it).
 */
export function headlineAt(
  page: DedupFeatures,
  article: DedupFeatures,
): { line: number; word: number } | undefined {
  for (const headline of [article.headline, article.writtenHeadline]) {
    const found = headline && findHeadline(page, headline);
    if (found) return found;
  }
  return undefined;
}

function findHeadline(
  page: DedupFeatures,
  headline: Uint32Array,
): { line: number; word: number } | undefined {
  const t = DUPLICATE_THRESHOLDS;
  if (headline.length < t.headlineMinWords || !page.lines) return undefined;
  const own = page.lines.findIndex(
    (line) => line.length <= headline.length + t.headlineExtraWords && runAt(line, headline) >= 0,
  );
  if (own >= 0) return { line: own, word: runAt(page.lines[own]!, headline) };
  if (headline.length < t.headlineInlineMinWords) return undefined;
  for (let line = 0; line < page.lines.length; line++) {
    const word = runAt(page.lines[line]!, headline);
    if (word >= 0) return { line, word };
  }
  return undefined;
}

/** Index of the line of `page` holding `article`'s headline, or -1. */
export function headlineLine(page: DedupFeatures, article: DedupFeatures): number {
  return headlineAt(page, article)?.line ?? -1;
}

/**
 * Whether `page` carries `article` under its headline: a line of the page holds the headline, with at
 * most `headlineExtraWords` words around it ("LIVE:", "— what we know"), in any case. The line may
 * stand anywhere: a story page may open with pieces of other stories.
 */
export function headedBy(page: DedupFeatures, article: DedupFeatures): boolean {
  return headlineLine(page, article) >= 0;
}

/** Lines of fewer words are not another story's text (a label, a byline, a button row). */
const PIECE_MIN_WORDS = 6;

const sameLine = (a: Uint32Array, b: Uint32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Whether `page` carries `article` among other stories' text: other prose stands above the article's
 * headline, or after its last line. Such a page is not the story's best representative, however
 * long: the article is (a live blog's newest version, headed by the headline and ending as the older
 * versions end, is not such a page). Says where the other text stands: only above, or also after
 * (which a fuller copy, the story updated with paragraphs at its end, looks like too).
 */
export function carriesAmongOthers(page: DedupFeatures, article: DedupFeatures): 'above' | 'after' | false {
  const found = headlineAt(page, article);
  if (!found || !page.lines || !article.lines?.length) return false;
  const at = found.line;
  const prose = (line: Uint32Array) => line.length >= PIECE_MIN_WORDS;
  if (found.word >= PIECE_MIN_WORDS || page.lines.slice(0, at).some(prose)) return 'above';
  const last = article.lines[article.lines.length - 1]!;
  const end = page.lines.findIndex((line, i) => i > at && sameLine(line, last));
  return end >= 0 && page.lines.slice(end + 1).filter(prose).length >= 1 ? 'after' : false;
}
