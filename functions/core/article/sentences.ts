const TERMINALS = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', '”', '’', "'", ')', ']', '»']);
const LOWERCASE = /\p{Ll}/u;
/** A token made of single letters and dots: initials and `U.S`, `e.g`, `a.m`. */
const INITIALS = /^(?:\p{L}\.)*\p{L}$/u;
const OPENERS = /^[("“‘'[«]+/;
const ABBREVIATION_MAX = 12;
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'mt',
  'ft',
  'gen',
  'col',
  'lt',
  'maj',
  'sgt',
  'capt',
  'cmdr',
  'adm',
  'gov',
  'sen',
  'rep',
  'rev',
  'hon',
  'pres',
  'supt',
  'insp',
  'vs',
  'etc',
  'inc',
  'ltd',
  'co',
  'corp',
  'dept',
  'univ',
  'no',
  'nos',
  'vol',
  'fig',
  'approx',
  'est',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);

/** True when the `.` at `dot` ends an abbreviation or an initial rather than a sentence. */
function endsAbbreviation(text: string, dot: number): boolean {
  let start = dot;
  while (start > 0 && dot - start <= ABBREVIATION_MAX && text[start - 1] !== ' ') start--;
  if (dot - start > ABBREVIATION_MAX) return false;
  const token = text.slice(start, dot).replace(OPENERS, '');
  return token !== '' && (INITIALS.test(token) || ABBREVIATIONS.has(token.toLowerCase()));
}

/**
 * Index just after the first sentence of a one-line text (its terminal punctuation and closing
 * quotes), or `text.length` when the whole text is one sentence. A boundary needs a space and then
 * something that is not lower case; colons never end a sentence, so `Kabul: As…` is one sentence.
 */
export function firstSentenceEnd(text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (!TERMINALS.has(c)) continue;
    let j = i + 1;
    while (j < n && (TERMINALS.has(text[j]!) || CLOSERS.has(text[j]!))) j++;
    if (j >= n) return n;
    if (text[j] !== ' ' && text[j] !== '\u00a0') {
      i = j - 1;
      continue;
    }
    const next = text[j + 1];
    if (next === undefined) return j;
    if (LOWERCASE.test(next) || (c === '.' && j === i + 1 && endsAbbreviation(text, i))) {
      i = j;
      continue;
    }
    return j;
  }
  return n;
}

/** True when a one-line text holds a single sentence. */
export function isSingleSentence(text: string): boolean {
  return firstSentenceEnd(text) >= text.trimEnd().length;
}
