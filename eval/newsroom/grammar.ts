/**
 * A small template language for sentences: `[a|b|c]` chooses one alternative (alternatives nest and
 * may be empty), `{slot}` inserts a value of the slot (a fixed string, one of a list, or a generator).
 * Templates are compiled once; expanding one is a walk over the compiled tree.
 */
import type { Rng } from './random.js';
import { VARIATION } from './variation.js';

const TEXT = 0;
const SLOT = 1;
const ALT = 2;

/** One node of a compiled template (a single shape, so that walking stays monomorphic and fast). */
class Node {
  constructor(
    readonly kind: typeof TEXT | typeof SLOT | typeof ALT,
    /** The text, or the slot's name. */
    readonly text: string,
    readonly alternatives: readonly (readonly Node[])[] | null,
  ) {}
}
export type Template = readonly Node[];

export type SlotValue = string | readonly string[] | ((rng: Rng) => string);

/** Slot values, looked up in `own` first and then in the parent scopes. */
export class Scope {
  constructor(
    private readonly own: Map<string, SlotValue>,
    private readonly parent?: Scope,
  ) {}

  static of(values: Record<string, SlotValue>, parent?: Scope): Scope {
    return new Scope(new Map(Object.entries(values)), parent);
  }

  set(name: string, value: SlotValue): void {
    this.own.set(name, value);
  }

  lookup(name: string): SlotValue | undefined {
    return this.own.get(name) ?? this.parent?.lookup(name);
  }

  /** The slot's value for one use. */
  value(name: string, rng: Rng): string {
    const value = this.lookup(name);
    if (value === undefined) throw new Error(`unknown slot {${name}}`);
    if (typeof value === 'string') return value;
    if (typeof value === 'function') return value(rng);
    return value[Math.floor(rng() * value.length)]!;
  }
}

/**
 * A text node as nodes in which the words of the variation table are choices (the word itself half
 * the time, an alternative otherwise).
 */
function varied(text: string): Node[] {
  const nodes: Node[] = [];
  let plain = '';
  for (const part of text.split(/(\p{L}+)/u)) {
    const alternatives = VARIATION.get(part.toLowerCase());
    if (!alternatives) {
      plain += part;
      continue;
    }
    if (plain) nodes.push(new Node(TEXT, plain, null));
    plain = '';
    const upper = part[0] !== part[0]!.toLowerCase();
    const options = [
      ...alternatives.map(() => part),
      ...alternatives.map((a) => (upper ? a[0]!.toUpperCase() + a.slice(1) : a)),
    ];
    nodes.push(
      new Node(
        ALT,
        '',
        options.map((option) => [new Node(TEXT, option, null)]),
      ),
    );
  }
  if (plain) nodes.push(new Node(TEXT, plain, null));
  return nodes;
}

export function compile(template: string): Template {
  // Sources may use typographic apostrophes for readability; the canonical text has straight ones.
  const source = template.replace(/’/g, "'");
  let i = 0;
  function sequence(inAlt: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push(...varied(text));
      text = '';
    };
    while (i < source.length) {
      const c = source[i]!;
      if (c === '[') {
        flush();
        i++;
        const options: Node[][] = [sequence(true)];
        while (source[i] === '|') {
          i++;
          options.push(sequence(true));
        }
        if (source[i] !== ']') throw new Error(`unclosed [ in template: ${source}`);
        i++;
        nodes.push(new Node(ALT, '', options));
      } else if (c === '{') {
        flush();
        const end = source.indexOf('}', i);
        if (end < 0) throw new Error(`unclosed { in template: ${source}`);
        nodes.push(new Node(SLOT, source.slice(i + 1, end), null));
        i = end + 1;
      } else if (inAlt && (c === '|' || c === ']')) {
        break;
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return nodes;
  }
  const nodes = sequence(false);
  if (i < source.length) throw new Error(`stray ${source[i]} in template: ${source}`);
  return nodes;
}

function walk(nodes: readonly Node[], rng: Rng, scope: Scope): string {
  let out = '';
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind === TEXT) out += node.text;
    else if (node.kind === SLOT) out += scope.value(node.text, rng);
    else {
      const alternatives = node.alternatives!;
      out += walk(alternatives[Math.floor(rng() * alternatives.length)]!, rng, scope);
    }
  }
  return out;
}

const VOWEL_SOUND = /^(?:[aeio]|u(?!ni|s[eu]|r[aeo])|hour|honou?r|heir|[AEIO]|U(?!ni|S)|8|1[18](?![0-9]))/;

const NOT_AN = /^(?:one|once|euro|European|Uk|U\.)/;

/** "a" before a vowel sound becomes "an" (good enough for the words the templates produce). */
export function agreeArticles(text: string): string {
  let out = text;
  for (let at = out.indexOf('a '); at >= 0; at = out.indexOf('a ', at + 2)) {
    if (at > 0 && out[at - 1] !== ' ' && out[at - 1] !== '"') continue;
    const next = out.slice(at + 2, at + 12);
    if (VOWEL_SOUND.test(next) && !NOT_AN.test(next)) out = `${out.slice(0, at + 1)}n${out.slice(at + 1)}`;
  }
  for (let at = out.indexOf('an '); at >= 0; at = out.indexOf('an ', at + 3)) {
    if (at > 0 && out[at - 1] !== ' ' && out[at - 1] !== '"') continue;
    const next = out.slice(at + 3, at + 13);
    if (/^[a-z]/.test(next) && (!VOWEL_SOUND.test(next) || NOT_AN.test(next)))
      out = `${out.slice(0, at + 1)}${out.slice(at + 2)}`;
  }
  if (out.startsWith('A ') && VOWEL_SOUND.test(out.slice(2, 12)) && !NOT_AN.test(out.slice(2, 12))) {
    out = `An${out.slice(1)}`;
  }
  return out;
}

/** Spacing and punctuation tidied after empty alternatives; "a"/"an" agreed. */
export function tidy(text: string): string {
  let out = text;
  if (out.includes('  ')) out = out.replace(/ {2,}/g, ' ');
  if (/ [,.;:?!]/.test(out)) out = out.replace(/ ([,.;:?!])/g, '$1');
  if (out.includes(',,') || out.includes(',.')) out = out.replace(/,([,.])/g, '$1');
  if (out.includes('..')) out = out.replace(/\.\./g, '.');
  return agreeArticles(out.trim());
}

/** The first letter (after any opening quote or bracket) in upper case. */
export function capitalise(text: string): string {
  const first = text.charCodeAt(0);
  if (first >= 0x61 && first <= 0x7a) return String.fromCharCode(first - 32) + text.slice(1);
  if (first >= 0x41 && first <= 0x5a) return text;
  const m = /^([^\p{L}\p{N}]*)(\p{L})/u.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2]!.toUpperCase()}${text.slice(m[0].length)}`;
}

/** The template's text, untidied: for slot values inside a sentence that is tidied as a whole. */
export function expandRaw(template: Template, rng: Rng, scope: Scope): string {
  return walk(template, rng, scope);
}

export function expand(template: Template, rng: Rng, scope: Scope): string {
  return tidy(expandRaw(template, rng, scope));
}

/** A compiled list of templates, with one drawn at random per use. */
export class Frames {
  readonly templates: readonly Template[];
  constructor(readonly sources: readonly string[]) {
    this.templates = sources.map(compile);
  }
  get size(): number {
    return this.templates.length;
  }
  draw(rng: Rng, scope: Scope): string {
    return expand(this.templates[Math.floor(rng() * this.templates.length)]!, rng, scope);
  }
  /** A random template's index, for callers that must not use one template twice. */
  index(rng: Rng): number {
    return Math.floor(rng() * this.templates.length);
  }
  at(index: number, rng: Rng, scope: Scope): string {
    return expand(this.templates[index % this.templates.length]!, rng, scope);
  }
  /** A random template's text, untidied (for slot values). */
  drawRaw(rng: Rng, scope: Scope): string {
    return expandRaw(this.templates[Math.floor(rng() * this.templates.length)]!, rng, scope);
  }
}

export function frames(sources: readonly string[]): Frames {
  return new Frames(sources);
}

/**
 * Draws the templates of `frames` in a shuffled order, each once before any is used again, so that
 * the sentences of one event do not repeat themselves.
 */
export class Deck {
  private order: number[] = [];
  private next = 0;
  constructor(
    readonly frames: Frames,
    private readonly shuffle: Rng,
  ) {}
  nextIndex(): number {
    if (this.next >= this.order.length) {
      this.order = Array.from({ length: this.frames.size }, (_, i) => i);
      for (let i = this.order.length - 1; i > 0; i--) {
        const j = Math.floor(this.shuffle() * (i + 1));
        [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
      }
      this.next = 0;
    }
    return this.order[this.next++]!;
  }
  draw(rng: Rng, scope: Scope): string {
    return this.frames.at(this.nextIndex(), rng, scope);
  }
  drawRaw(rng: Rng, scope: Scope): string {
    return expandRaw(this.frames.templates[this.nextIndex()]!, rng, scope);
  }
}

/** Punctuation above ASCII that the corpus uses; every other non-ASCII character counts as a letter. */
const NON_ASCII_PUNCTUATION = new Set([
  ...'‘’“”—–…•›»«·©®°€£¥\u00a0\u0301\u0300\u0308\u0327\u030c\u0328\u0303\u0306\u030a\u0307',
]);

function isWordUnit(code: number): boolean {
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
  return !NON_ASCII_PUNCTUATION.has(String.fromCharCode(code));
}

/**
 * Words: runs of letters and digits, an apostrophe between two letters joining them ("don't").
 * Combining marks (NFD text) stay inside their word.
 */
export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isWordUnit(code)) {
      if (!inWord) count++;
      inWord = true;
    } else if (code >= 0x300 && code <= 0x36f && inWord) {
      // a combining mark continues the word
    } else if (
      (code === 0x27 || code === 0x2019) &&
      inWord &&
      i + 1 < text.length &&
      isWordUnit(text.charCodeAt(i + 1))
    ) {
      // an apostrophe inside a word
    } else inWord = false;
  }
  return count;
}
