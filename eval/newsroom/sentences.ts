/**
 * Sentences and paragraphs of news copy for one event: facts with attributions, quotes with their
 * speakers, background, what happens next. Sentences are kept within 8–40 words.
 */
import {
  ATTRIBUTED,
  CRISIS_QUOTES,
  OFFICIAL_QUOTES,
  PLACE_BACKGROUND,
  PROCEDURAL,
} from './frames-general.js';
import { capitalise, Deck, type Frames, type Scope, wordCount } from './grammar.js';
import { chance, pick, type Rng } from './random.js';
import { type QuoteGroup, quoteGroup, type Role, type Topic, type TopicFrames } from './topic.js';

export const MIN_WORDS = 8;
export const MAX_WORDS = 40;

/** What writes about one event: its topic, its slots, and decks so that it does not repeat itself. */
export interface Writer {
  topic: Topic;
  frames: TopicFrames;
  scope: Scope;
  facts: Deck;
  claims: Deck;
  background: Deck;
  place: Deck;
  quotes: Record<QuoteGroup, Deck>;
}

export function createWriter(topic: Topic, variant: string, scope: Scope, shuffle: Rng): Writer {
  const frames = topic.frames(variant);
  const quotes = {} as Record<QuoteGroup, Deck>;
  for (const group of Object.keys(frames.quotes) as QuoteGroup[]) {
    quotes[group] = new Deck(frames.quotes[group], shuffle);
  }
  const claims = new Deck(frames.claims, shuffle);
  scope.set('claim', (r) => claims.drawRaw(r, scope));
  return {
    topic,
    frames,
    scope,
    facts: new Deck(frames.facts, shuffle),
    claims,
    background: new Deck(frames.background, shuffle),
    place: new Deck(PLACE_BACKGROUND, shuffle),
    quotes,
  };
}

function finish(text: string): string {
  const t = capitalise(text.trim());
  const last = t[t.length - 1];
  return last === '.' || last === '?' || last === '!' || last === '"' ? t : `${t}.`;
}

/** A sentence from `draw`, redrawn (a few times) until its length is within bounds; ends with a full stop. */
function bounded(draw: () => string, min = MIN_WORDS, max = MAX_WORDS): string {
  let best = '';
  let bestMiss = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 6; attempt++) {
    const text = finish(draw());
    const words = wordCount(text);
    const miss = words < min ? min - words : words > max ? words - max : 0;
    if (miss === 0) return text;
    if (miss < bestMiss) [best, bestMiss] = [text, miss];
  }
  return best;
}

export function sentence(
  frames: Frames | Deck,
  rng: Rng,
  scope: Scope,
  min = MIN_WORDS,
  max = MAX_WORDS,
): string {
  return bounded(() => frames.draw(rng, scope), min, max);
}

/** Headlines: 6–14 words, no final full stop. */
export function headline(w: Writer, rng: Rng): string {
  let text = '';
  for (let attempt = 0; attempt < 8; attempt++) {
    text = capitalise(w.frames.headlines.draw(rng, w.scope).replace(/[.]$/, ''));
    const words = wordCount(text);
    if (words >= 6 && words <= 14) return text;
  }
  return text;
}

/** One fact sentence: the topic's own facts most of the time, an attributed claim or a procedural line otherwise. */
export function factSentence(w: Writer, rng: Rng): string {
  const x = rng();
  if (x < 0.62) return sentence(w.facts, rng, w.scope);
  if (x < 0.95) return sentence(ATTRIBUTED, rng, w.scope);
  return sentence(PROCEDURAL, rng, w.scope);
}

/** A lead: the topic's lead frames, sometimes followed by a fact. */
export function leadParagraph(w: Writer, rng: Rng): string {
  const lead = sentence(w.frames.leads, rng, w.scope, 14, 42);
  return chance(rng, 0.35) ? `${lead} ${factSentence(w, rng)}` : lead;
}

/** Sentences in a paragraph: mostly one or two, as in news copy. */
export function sentencesPerParagraph(rng: Rng): number {
  const x = rng();
  return x < 0.42 ? 1 : x < 0.84 ? 2 : 3;
}

function quoteSentence(w: Writer, rng: Rng, role: Role): string {
  const group = quoteGroup(role);
  if (group === 'O' && w.topic.disaster && chance(rng, 0.3)) {
    return capitalise((chance(rng, 0.5) ? CRISIS_QUOTES : OFFICIAL_QUOTES).draw(rng, w.scope));
  }
  const deck = w.quotes[group].frames.size > 0 ? w.quotes[group] : w.quotes.O;
  return capitalise(deck.draw(rng, w.scope));
}

/**
 * A quote paragraph: one or two quoted sentences and the speaker, in one of the ways copy attributes
 * quotes (`"…," said X.` / `X said: "…"` / `"…," X told the agency.`). Quotes are written with straight
 * double quotes; an outlet's typography may turn them curly.
 */
export function quoteParagraph(w: Writer, rng: Rng, role: Role = speakerRole(rng)): string {
  const { scope } = w;
  const q1 = quoteSentence(w, rng, role);
  let q2 = chance(rng, 0.4) ? quoteSentence(w, rng, role) : '';
  if (q2.split(' ', 2).join(' ') === q1.split(' ', 2).join(' ')) q2 = '';
  const full = scope.value(role, rng);
  const name = scope.value(`${role}.name`, rng);
  const last = scope.value(`${role}.last`, rng);
  const he = scope.value(`${role}.he`, rng);
  const tail = q2 ? ` "${q2}."` : '';
  switch (Math.floor(rng() * 7)) {
    case 0:
      return `"${q1}," said ${full}.${tail}`;
    case 1:
      return `"${q1}," ${full}, said.${tail}`;
    case 2:
      return `${capitalise(full)}, said: "${q1}.${q2 ? ` ${q2}.` : ''}"`;
    case 3:
      return `"${q1}," ${last} told ${scope.value('agency', rng)}.${tail}`;
    case 4:
      return `"${q1}," ${name} said ${scope.value('when', rng)}.${q2 ? ` "${q2}," ${he} added.` : ''}`;
    case 5:
      return `"${q1}." — ${capitalise(full)}`;
    default: {
      if (role === 'witness' || role === 'rival') return `"${q1}," said ${full}.${tail}`;
      const verb = pick(rng, ['said', 'told reporters', 'said that', 'warned that']);
      return `${capitalise(full)}, ${verb} ${scope.value('claim', rng)}. "${q1}," ${he} said.`;
    }
  }
}

/** A speaker for a quote: officials and responders most often, then experts, witnesses and rivals. */
export function speakerRole(rng: Rng): Role {
  return pick(rng, [
    'official',
    'official',
    'spokes',
    'responder',
    'expert',
    'witness',
    'witness',
    'rival',
  ] as const);
}

/** A background paragraph: the topic's background or a note on the place, sometimes two sentences. */
export function backgroundParagraph(w: Writer, rng: Rng): string {
  const draw = () =>
    chance(rng, 0.25) ? sentence(w.place, rng, w.scope, 8, 45) : sentence(w.background, rng, w.scope, 8, 60);
  const first = draw();
  if (!chance(rng, 0.3)) return first;
  const second = draw();
  return second.slice(0, 16) === first.slice(0, 16) ? first : `${first} ${second}`;
}

export function nextParagraph(w: Writer, rng: Rng): string {
  return sentence(w.frames.next, rng, w.scope);
}

const ATTRIBUTION_TAILS = [
  'officials said',
  '{authority} said',
  'according to {authority}',
  '{spokes.last} said',
];

/** A standfirst: one sentence summing up, a lead or a claim with its source. */
export function standfirst(w: Writer, rng: Rng): string {
  if (chance(rng, 0.5)) return sentence(w.frames.leads, rng, w.scope, 12, 34);
  const claim = capitalise(w.claims.draw(rng, w.scope));
  const tail = pick(rng, ATTRIBUTION_TAILS).replace(/\{([^}]+)\}/g, (_, slot: string) =>
    w.scope.value(slot, rng),
  );
  return `${claim}, ${tail}.`;
}

/** A short subheading inside the body. */
export function subhead(w: Writer, rng: Rng): string {
  return w.frames.subheads.draw(rng, w.scope);
}
