/**
 * Named entities, cheaply: runs of capitalised words (people, places, organisations, groups). They
 * tell which different articles report one event (related coverage), where shared 5-word runs do
 * not: two reports of one battle share "Panjshir", "Baghlan" and "Ahmad Massoud", rarely a sentence.
 *
 * A heuristic, not a tagger: a capitalised word that only ever starts a sentence ("Fighters", "Last")
 * is not an entity; function words, weekdays and months never are.
 */
import { fmix32, fnv1a } from './hash.js';
import { normalizeForComparison } from './normalize-text.js';
import { sortedUnique } from './sorted-sets.js';

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu;
const CAPITALISED = /^\p{Lu}/u;
/** Joins two capitalised words into one name: "Bank of England", "Amir al Momineen". */
const CONNECTORS = new Set(['of', 'al', 'el', 'bin', 'de', 'da', 'van', 'von', 'la', 'le', 'du', 'del']);
const NOT_NAMES = new Set(
  (
    'a an the this that these those there here it its he she his her they them their we our you your i ' +
    'in on at by to of for from with as and or but if when while after before since until during about ' +
    'over under into onto than then so yet not no nor also mr mrs ms dr prof sir more most some many all ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july ' +
    'august september october november december today yesterday tomorrow according however meanwhile ' +
    'update updated read share listen save advertisement sponsored correction live breaking'
  ).split(' '),
);

interface Word {
  text: string;
  capital: boolean;
  sentenceStart: boolean;
  /** Only spaces separate it from the word before: a name runs on only across spaces. */
  joined: boolean;
  /** "Afghanistan's": a name ends here. */
  possessive: boolean;
}

/** A line with most words capitalised (a headline in title case) says nothing about which words are names. */
const TITLE_CASE_SHARE = 0.6;

const SPACE = /\s/u;
const isSpace = (code: number) =>
  code === 32 || (code >= 9 && code <= 13) || (code > 127 && SPACE.test(String.fromCharCode(code)));
const ENDS_SENTENCE = new Set(['.', '!', '?', '…', ':', '"', '“', '”']);

/** Character tests instead of a regular expression on a slice per word: this runs on every word read. */
function wordsOf(line: string): Word[] {
  const words: Word[] = [];
  let last = 0;
  for (const match of line.matchAll(WORD)) {
    const found = match[0];
    const end = found.length > 1 ? found.charCodeAt(found.length - 2) : 0;
    const possessive = found.endsWith('s') && (end === 39 || end === 0x2019);
    const text = possessive ? found.slice(0, -2) : found;
    // What stands between the previous word and this one: spaces only (`joined`), or a sentence end
    // followed by spaces (`SENTENCE_END` as it was: /[.!?…:"“”]\s*$/ on that stretch).
    let at = match.index - 1;
    while (at >= last && isSpace(line.charCodeAt(at))) at--;
    const first = text.charCodeAt(0);
    words.push({
      text,
      capital: first >= 65 && first <= 90 ? true : first < 128 ? false : CAPITALISED.test(text),
      sentenceStart: words.length === 0 || (at >= last && ENDS_SENTENCE.has(line[at]!)),
      joined: words.length > 0 && at < last && match.index > last,
      possessive,
    });
    last = match.index + found.length;
  }
  const capitals = words.filter((word) => word.capital).length;
  return words.length >= 4 && capitals >= words.length * TITLE_CASE_SHARE ? [] : words;
}

const normalKey = (text: string) => normalizeForComparison(text).replace(/’/g, "'");

/** The entity names of some lines, normalised (lower case, NFKC), each once, in order of appearance. */
export function entityNames(lines: readonly string[]): string[] {
  return [...new Set(entityNamesByLine(lines).map(([name]) => name))];
}

/**
 * The last answers, by the lines array: preparing an article asks twice for the same lines (its
 * entity hashes and its particulars), and this function was measured as most of the reading workers'
 * time. Arrays are not changed once made here, so identity is enough.
 */
const byLines = new WeakMap<readonly string[], readonly [string, number][]>();

/** Each entity name with the index of the line it first stands in. */
export function entityNamesByLine(lines: readonly string[]): readonly [string, number][] {
  let names = byLines.get(lines);
  if (!names) {
    names = findEntityNames(lines);
    byLines.set(lines, names);
  }
  return names;
}

function findEntityNames(lines: readonly string[]): [string, number][] {
  const parsed = lines.map(wordsOf);
  // Each word's key once per article: a word recurs, and normalising is most of this function's cost.
  const keys = new Map<string, string>();
  const key = (text: string) => {
    let found = keys.get(text);
    if (found === undefined) {
      found = normalKey(text);
      keys.set(text, found);
    }
    return found;
  };
  // Words seen capitalised away from a sentence start are names wherever they stand.
  const named = new Set<string>();
  for (const words of parsed) {
    for (const word of words) if (word.capital && !word.sentenceStart) named.add(key(word.text));
  }
  const out = new Map<string, number>();
  parsed.forEach((words, lineIndex) => {
    let run: Word[] = [];
    const flush = () => {
      while (run.length && !run[run.length - 1]!.capital) run.pop();
      const names = run.filter((word) => word.capital && !NOT_NAMES.has(key(word.text)));
      if (names.length > 0) {
        const single = run.length === 1;
        const text = key(run.map((word) => word.text).join(' '));
        if (!single || !run[0]!.sentenceStart || named.has(text)) {
          if (!(single && NOT_NAMES.has(text)) && !out.has(text)) out.set(text, lineIndex);
        }
      }
      run = [];
    };
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const lower = key(word.text);
      if (run.length && (!word.joined || run[run.length - 1]!.possessive)) flush();
      if (word.capital && !(run.length === 0 && NOT_NAMES.has(lower))) {
        if (word.sentenceStart && run.length) flush();
        run.push(word);
      } else if (run.length && CONNECTORS.has(lower) && words[i + 1]?.capital && words[i + 1]?.joined) {
        run.push(word);
      } else {
        flush();
      }
    }
    flush();
  });
  return [...out];
}

/** Sorted unique 32-bit hashes of `entityNames(lines)`. */
export function entityHashes(lines: readonly string[]): Uint32Array {
  return sortedUnique(entityNames(lines).map((name) => fmix32(fnv1a(name))));
}

const NUMBER = /\d+(?:[.,]\d+)*/gu;

/**
 * The particulars of a text: its names and its numbers, each with the line it first stands in, as
 * (hash, line) pairs sorted by hash, and the words of its longer names (see `particularHash`). Two formulaic briefs ("X staff vote by 68 per cent to strike")
 * share their frames and differ in exactly these; a reworded copy keeps them all.
 */
export function particulars(lines: readonly string[]): Uint32Array {
  const found = new Map<number, number>();
  const words: [string, number][] = [];
  for (const [name, line] of entityNamesByLine(lines)) {
    const hash = particularHash(name);
    if (!found.has(hash)) found.set(hash, line);
    const parts = name.split(' ').filter((word) => !CONNECTORS.has(word));
    if (parts.length > 1) for (const word of parts) words.push([word, line]);
  }
  lines.forEach((text, line) => {
    for (const match of text.matchAll(NUMBER)) {
      const hash = particularHash(`#${match[0].replace(/,/g, '')}`);
      if (!found.has(hash)) found.set(hash, line);
    }
  });
  for (const [word, line] of words) {
    const hash = (particularHash(word) | 1) >>> 0;
    if (!found.has(hash)) found.set(hash, line);
  }
  const hashes = Uint32Array.from(found.keys()).sort();
  const out = new Uint32Array(hashes.length * 2);
  hashes.forEach((hash, i) => {
    out[2 * i] = hash;
    out[2 * i + 1] = found.get(hash)!;
  });
  return out;
}

/**
 * A particular's hash: even for a whole name or number; a word of a longer name has the odd hash
 * next to that word's own (`hash | 1`), so a copy that rewords one word of "Northern Rail Workers
 * Union" keeps names that are still found, while "Northfield City Council" is not found in
 * "Southfield City Council".
 */
export function particularHash(text: string): number {
  return (fmix32(fnv1a(text)) & ~1) >>> 0;
}
