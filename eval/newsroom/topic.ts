/** What a topic of news supplies: the cast's titles, its fixed facts and the frames of its sentences. */
import { type Frames, frames, type Scope, type SlotValue } from './grammar.js';
import type { Rng } from './random.js';

export const ROLES = ['official', 'spokes', 'expert', 'witness', 'rival', 'responder'] as const;
export type Role = (typeof ROLES)[number];

export type QuoteGroup = 'O' | 'E' | 'W' | 'R';

/** Whose kind of quote a role speaks. */
export function quoteGroup(role: Role): QuoteGroup {
  if (role === 'expert') return 'E';
  if (role === 'witness') return 'W';
  if (role === 'rival') return 'R';
  return 'O';
}

export interface TopicSource {
  name: string;
  /** Slots fixed for one event (names, numbers), drawn once; `base` has the place, dates and institutions. */
  setup(rng: Rng, base: Scope): Record<string, SlotValue>;
  /** Title templates of each role (the appositive after a name: "the mayor of {city}"). */
  roles: Record<Role, readonly string[]>;
  /** Templates drawn anew at each use: {crisis}, {affected}, {context}, {accusation}, {demand}, {priority}. */
  vary: Record<string, readonly string[]>;
  headlines: readonly string[];
  leads: readonly string[];
  facts: readonly string[];
  /** Lower-case clauses that follow "said that", "according to X,". */
  claims: readonly string[];
  /**
   * First-person sentences without the final full stop, each marked with who says such things:
   * `O:` officials, spokespeople and responders, `E:` experts, `W:` witnesses, `R:` rivals and critics.
   */
  quotes: readonly string[];
  /** Whether officials speak of it as a disaster ("our thoughts are with the families"). */
  disaster?: boolean;
  /** Ways the story can go (see `Topic.variants`). */
  variants?: readonly string[];
  /** Whole background paragraphs (one to three sentences). */
  background: readonly string[];
  next: readonly string[];
  subheads: readonly string[];
}

/** The frames of one variant of a topic's story (a verdict of guilty, or an acquittal). */
export interface TopicFrames {
  headlines: Frames;
  leads: Frames;
  facts: Frames;
  claims: Frames;
  quotes: Record<QuoteGroup, Frames>;
  background: Frames;
  next: Frames;
  subheads: Frames;
}

export interface Topic {
  name: string;
  setup: TopicSource['setup'];
  roles: Record<Role, Frames>;
  vary: Record<string, Frames>;
  disaster: boolean;
  /** The ways its story can go; an event follows one, and frames tagged `@variant ` belong to it only. */
  variants: readonly string[];
  frames(variant: string): TopicFrames;
}

const CATEGORIES = ['headlines', 'leads', 'facts', 'claims', 'background', 'next', 'subheads'] as const;

/** The templates of `list` that belong to `variant`: untagged ones and those tagged with it. */
function forVariant(list: readonly string[], variant: string): string[] {
  const out: string[] = [];
  for (const source of list) {
    const m = /^@([\w,]+) (.*)$/.exec(source);
    if (!m) out.push(source);
    else if (m[1]!.split(',').includes(variant)) out.push(m[2]!);
  }
  return out;
}

export function defineTopic(source: TopicSource): Topic {
  const roles = {} as Record<Role, Frames>;
  for (const role of Object.keys(source.roles) as Role[]) roles[role] = frames(source.roles[role]);
  const vary: Record<string, Frames> = {};
  for (const [name, list] of Object.entries(source.vary)) vary[name] = frames(list);
  const cache = new Map<string, TopicFrames>();
  return {
    name: source.name,
    setup: source.setup,
    roles,
    vary,
    disaster: source.disaster ?? false,
    variants: source.variants ?? [''],
    frames(variant: string): TopicFrames {
      let cached = cache.get(variant);
      if (!cached) {
        const quotes = { O: [], E: [], W: [], R: [] } as Record<QuoteGroup, string[]>;
        for (const quote of forVariant(source.quotes, variant)) {
          const m = /^([OEWR]):(.*)$/.exec(quote);
          if (!m) throw new Error(`quote without a speaker group in topic ${source.name}: ${quote}`);
          quotes[m[1] as QuoteGroup].push(m[2]!);
        }
        const built = { quotes: {} } as TopicFrames;
        for (const group of Object.keys(quotes) as QuoteGroup[]) built.quotes[group] = frames(quotes[group]);
        for (const category of CATEGORIES) {
          const list = forVariant(source[category], variant);
          if (list.length === 0) throw new Error(`topic ${source.name}, variant ${variant}: no ${category}`);
          built[category] = frames(list);
        }
        cache.set(variant, built);
        cached = built;
      }
      return cached;
    },
  };
}
