/**
 * Copies of an article's content, the ways syndication and republishing change it: truncated teasers,
 * light edits, rewordings, other typography, a new lead on top, reordered paragraphs, corrections.
 * Each takes the original's content as published and returns the copy's.
 */
import type { NewsEvent } from './events.js';
import { CORRECTION_NOTES, UPDATE_LEADS } from './frames-general.js';
import { agreeArticles, Scope } from './grammar.js';
import { count } from './lexicon.js';
import { chance, int, pick, type Rng, shuffled } from './random.js';
import { curly, straight } from './render.js';
import { sentence } from './sentences.js';
import type { Content } from './stories.js';
import { alternative, FALLBACK, SYNONYMS } from './synonyms.js';

function mapParagraphs(content: Content, f: (text: string) => string, headline = true): Content {
  const out: Content = {
    headline: headline ? f(content.headline) : content.headline,
    paragraphs: content.paragraphs.map(f),
  };
  if (content.standfirst !== undefined) out.standfirst = f(content.standfirst);
  return out;
}

/** A teaser: the first one to three paragraphs, or the first third of the words, maybe with "…". */
export function truncated(content: Content, rng: Rng): Content {
  const ellipsis = chance(rng, 0.5) ? '…' : '';
  if (chance(rng, 0.5) || content.paragraphs.length <= 3) {
    const keep = Math.min(int(rng, 1, 3), Math.max(1, content.paragraphs.length - 1));
    const paragraphs = content.paragraphs.slice(0, keep);
    paragraphs[keep - 1] = `${paragraphs[keep - 1]}${ellipsis ? ` ${ellipsis}` : ''}`;
    return { ...content, paragraphs };
  }
  const total = content.paragraphs.reduce((n, p) => n + p.split(' ').length, 0);
  let budget = Math.ceil(total / 3);
  const paragraphs: string[] = [];
  for (const paragraph of content.paragraphs) {
    const words = paragraph.split(' ');
    if (words.length <= budget) {
      paragraphs.push(paragraph);
      budget -= words.length;
      continue;
    }
    if (budget > 3) paragraphs.push(`${words.slice(0, budget).join(' ')}${ellipsis || '…'}`);
    break;
  }
  return { ...content, paragraphs };
}

const WORD = /^([^\p{L}\p{N}]*)([\p{L}][\p{L}'’-]*)([^\p{L}\p{N}]*)$/u;

/** Indexes of the words of `words` that `table` can replace, in random order. */
function candidates(words: readonly string[], table: ReadonlyMap<string, unknown>, rng: Rng): number[] {
  const out: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const m = WORD.exec(words[i]!);
    if (m && table.has(m[2]!.toLowerCase())) out.push(i);
  }
  return shuffled(rng, out);
}

/**
 * Replaces up to `n` words of `words` (in place) by synonyms, from the fallback table only when the
 * main one runs out.
 */
function replaceWords(words: string[], n: number, rng: Rng): void {
  let done = 0;
  for (const fallback of [false, true]) {
    for (const i of candidates(words, fallback ? FALLBACK : SYNONYMS, rng)) {
      if (done >= n) return;
      const m = WORD.exec(words[i]!)!;
      const replacement = alternative(m[2]!, rng, fallback);
      if (!replacement) continue;
      words[i] = `${m[1]}${replacement}${m[3]}`;
      done++;
    }
  }
}

function rewrite(text: string, n: number, rng: Rng): string {
  const words = text.split(' ');
  replaceWords(words, n, rng);
  return agreeArticles(words.join(' '));
}

/** A copy-editor's pass: two words changed in every paragraph. */
export function lightEdit(content: Content, rng: Rng): Content {
  return mapParagraphs(content, (p) => rewrite(p, 2, rng), false);
}

/** A rewrite: 15–20 % of the words of the whole text replaced by synonyms. */
export function reworded(content: Content, rng: Rng): Content {
  const texts = [content.headline, content.standfirst ?? '', ...content.paragraphs].map((t) =>
    t.replace(/ per cent/g, () => (chance(rng, 0.5) ? ' percent' : ' per cent')),
  );
  const total = texts.reduce((n, t) => n + (t ? t.split(' ').length : 0), 0);
  let owed = Math.round(total * (0.15 + rng() * 0.05));
  // "per cent" → "percent" counts as one change; it is the commonest rewrite of all.
  for (const t of texts) owed -= t.match(/ percent/g)?.length ?? 0;
  const words = texts.map((t) => (t ? t.split(' ') : []));
  const flat = words.flatMap((w, p) => w.map((_, i) => [p, i] as const));
  for (const fallback of [false, true]) {
    for (const [p, i] of shuffled(rng, flat)) {
      if (owed <= 0) break;
      const m = WORD.exec(words[p]![i]!);
      if (!m || !(fallback ? FALLBACK : SYNONYMS).has(m[2]!.toLowerCase())) continue;
      const replacement = alternative(m[2]!, rng, fallback);
      if (!replacement) continue;
      words[p]![i] = `${m[1]}${replacement}${m[3]}`;
      owed--;
    }
  }
  const [headline, standfirst, ...paragraphs] = words.map((w) => agreeArticles(w.join(' ')));
  const out: Content = { headline: headline!, paragraphs };
  if (content.standfirst !== undefined) out.standfirst = standfirst!;
  return out;
}

const ENTITIES: [RegExp, string][] = [
  [/&/g, '&amp;'],
  [/’/g, '&#8217;'],
  [/‘/g, '&#8216;'],
  [/“/g, '&ldquo;'],
  [/”/g, '&rdquo;'],
  [/—/g, '&mdash;'],
  [/"/g, '&quot;'],
];

function entities(text: string): string {
  let out = text;
  for (const [pattern, entity] of ENTITIES) out = out.replace(pattern, entity);
  return out;
}

/** The same words in other typography: quotes flipped, dashes changed, HTML entities, NFD. */
export function typography(content: Content, rng: Rng): Content {
  const steps: ((t: string) => string)[] = [];
  const isCurly = /[“”’]/.test(content.paragraphs.join(' '));
  steps.push(isCurly ? straight : curly);
  if (chance(rng, 0.5))
    steps.push((t) => t.replace(/ — /g, pick(rng, [' - ', ' – ', '—'])).replace(/ -- /g, ' — '));
  if (chance(rng, 0.4)) steps.push((t) => entities(isCurly ? t : curly(t)));
  if (chance(rng, 0.4)) steps.push((t) => t.normalize('NFD'));
  return mapParagraphs(content, (t) => steps.reduce((acc, f) => f(acc), t));
}

/** An update paragraph on top of the body. */
export function newLead(content: Content, event: NewsEvent, rng: Rng): Content {
  const lead = sentence(UPDATE_LEADS, rng, event.scope, 10, 45);
  return { ...content, paragraphs: [lead, ...content.paragraphs] };
}

/** The body paragraphs in another order (the headline and standfirst stay on top). */
export function reordered(content: Content, rng: Rng): Content {
  let order = shuffled(rng, content.paragraphs);
  if (order.every((p, i) => p === content.paragraphs[i])) {
    order = [...content.paragraphs.slice(1), ...content.paragraphs.slice(0, 1)];
  }
  return { ...content, paragraphs: order };
}

/** A correction note at the top or bottom, and maybe the figure it corrects changed in the text. */
export function correction(content: Content, event: NewsEvent, rng: Rng): Content {
  const figures = [...content.paragraphs.join('\n').matchAll(/\b\d{1,3}(?:,\d{3})+\b|\b\d{2,3}\b/g)].map(
    (m) => m[0],
  );
  const wrong = figures.length ? pick(rng, figures) : count(int(rng, 12, 900));
  const value = Number(wrong.replace(/,/g, ''));
  const right = count(Math.max(2, Math.round(value * (0.8 + rng() * 0.15))));
  const scope = Scope.of({ wrong, right }, event.scope);
  const note = sentence(CORRECTION_NOTES, rng, scope, 8, 60);
  let paragraphs = content.paragraphs;
  if (figures.length && chance(rng, 0.6)) {
    let changed = false;
    paragraphs = paragraphs.map((p) => {
      if (changed || !p.includes(wrong)) return p;
      changed = true;
      return p.replace(wrong, right);
    });
  }
  return { ...content, paragraphs: chance(rng, 0.5) ? [note, ...paragraphs] : [...paragraphs, note] };
}
