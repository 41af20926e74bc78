/**
 * Outlets and their page templates: the byline, share row, advertisement marker, newsletter plug,
 * list of other headlines and copyright line that every article of an outlet carries, word for word.
 */
import { createEvent } from './events.js';
import { wordCount } from './grammar.js';
import { personName, slugify } from './lexicon.js';
import { chance, int, pick, type Rng, sample, subRng } from './random.js';
import { headline } from './sentences.js';
import {
  type AdPlace,
  type BylinePlace,
  HELDOUT,
  type NewsletterPlace,
  type SharePlace,
  type TemplatePools,
  TRAIN,
} from './template-pools.js';

export type Typography = 'curly' | 'straight' | 'plain';

export interface OutletPieces {
  byline?: string;
  share?: string;
  ad?: string;
  newsletter?: string;
  moreLabel?: string;
  more?: string[];
  copyright?: string;
}

export interface Outlet {
  name: string;
  /** Folder of its files in the corpus. */
  folder: string;
  pieces: OutletPieces;
  layout: { byline: BylinePlace; share: SharePlace; ad: AdPlace; newsletter: NewsletterPlace };
  /** Every line the template adds, in no particular order. */
  lines: string[];
  /** Words the template adds to every article. */
  templateWords: number;
  typography: Typography;
  titleCase: boolean;
  /** Blank lines between paragraphs (or single newlines). */
  blankLines: boolean;
  /** Body length of its full articles, in words. */
  length: [number, number];
  /** Publishes many short briefs, whose text is mostly the template. */
  briefs: boolean;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '').replace(/\bthe The /g, 'the ');
}

function byline(rng: Rng, pools: TemplatePools, outlet: string): string {
  const person = () => {
    if (chance(rng, 0.3)) return pick(rng, pools.desks);
    const p = personName(rng);
    return `${p.first} ${p.last}`;
  };
  return fill(pick(rng, pools.bylines), { name: person(), name2: person(), outlet });
}

function shareRow(rng: Rng, pools: TemplatePools): string {
  const lead = pick(rng, pools.shareLeads);
  const buttons = sample(rng, pools.buttons, int(rng, 3, 5)).join(pick(rng, pools.separators));
  return lead ? `${lead} ${buttons}` : buttons;
}

function otherHeadlines(rng: Rng, count: number, bullet: string): string[] {
  return Array.from({ length: count }, () => {
    // Headlines naming a place or a person, so that they do not coincide with an article's headline.
    for (;;) {
      const event = createEvent('', rng, int(rng, 0, 1500));
      const text = headline(event, rng);
      const names = ['city', 'defendant_last', 'firm'].map((slot) => event.scope.lookup(slot));
      if (names.some((name) => typeof name === 'string' && text.includes(name))) return `${bullet}${text}`;
    }
  });
}

function pieces(rng: Rng, pools: TemplatePools, name: string, all: boolean): OutletPieces {
  const use = () => all || chance(rng, 0.65);
  const out: OutletPieces = {};
  if (use()) out.byline = byline(rng, pools, name);
  if (use()) out.share = shareRow(rng, pools);
  if (use()) out.ad = pick(rng, pools.ads);
  const letter = pick(rng, pools.letterNames);
  if (use()) out.newsletter = fill(pick(rng, pools.newsletters), { letter, outlet: name });
  if (use()) {
    out.moreLabel = fill(pick(rng, pools.moreLabels), { outlet: name });
    out.more = otherHeadlines(rng, int(rng, 3, 6), pick(rng, pools.bullets));
  }
  if (use()) {
    const owner = `${name.replace(/^The /, '')} ${pick(rng, pools.owners)}`;
    out.copyright = fill(pick(rng, pools.copyrights), {
      year: String(int(rng, 2021, 2024)),
      outlet: name,
      owner,
    });
  }
  return out;
}

export function templateLines(p: OutletPieces): string[] {
  const lines: string[] = [];
  for (const line of [p.byline, p.share, p.ad, p.newsletter, p.moreLabel, ...(p.more ?? []), p.copyright]) {
    if (line !== undefined) lines.push(line);
  }
  return lines;
}

/** Template words of an outlet that publishes briefs: briefs of 30–80 words then make 50–75 % of the text template. */
const BRIEF_TEMPLATE_WORDS: [number, number] = [70, 105];

function createOutlet(rng: Rng, pools: TemplatePools, taken: Set<string>, briefs: boolean): Outlet {
  let base = '';
  while (!base || taken.has(base)) base = `${pick(rng, pools.prefixes)} ${pick(rng, pools.mastheads)}`;
  taken.add(base);
  const name = chance(rng, 0.4) ? `The ${base}` : base;
  let p = pieces(rng, pools, name, briefs);
  for (let tries = 0; briefs && tries < 50; tries++) {
    const words = wordCount(templateLines(p).join('\n'));
    if (words >= BRIEF_TEMPLATE_WORDS[0] && words <= BRIEF_TEMPLATE_WORDS[1]) break;
    p = pieces(rng, pools, name, true);
  }
  if (templateLines(p).length < 2) p = pieces(rng, pools, name, true);
  const lines = templateLines(p);
  const lengthStyle = pick(rng, [
    [220, 420],
    [350, 700],
    [350, 700],
    [550, 1100],
  ] as const);
  return {
    name,
    folder: slugify(name),
    pieces: p,
    layout: {
      byline: pick(rng, pools.layouts.byline),
      share: pick(rng, pools.layouts.share),
      ad: pick(rng, pools.layouts.ad),
      newsletter: pick(rng, pools.layouts.newsletter),
    },
    lines,
    templateWords: wordCount(lines.join('\n')),
    typography: pick(rng, ['curly', 'curly', 'straight', 'straight', 'plain'] as const),
    titleCase: chance(rng, 0.25),
    blankLines: chance(rng, 0.5),
    length: [lengthStyle[0], lengthStyle[1]],
    briefs,
  };
}

/** The outlets of a corpus: 8–20 of them, two to four publishing briefs. */
export function createOutlets(seed: number, templates: 'train' | 'heldout'): Outlet[] {
  const rng = subRng(seed, 7_151, templates === 'train' ? 1 : 2);
  const pools = templates === 'train' ? TRAIN : HELDOUT;
  const count = int(rng, 8, 20);
  const briefOutlets = int(rng, 2, Math.min(4, count - 4));
  const taken = new Set<string>();
  return Array.from({ length: count }, (_, i) => createOutlet(rng, pools, taken, i < briefOutlets));
}
