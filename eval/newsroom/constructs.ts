/**
 * Pages that carry other articles of the corpus: story pages (one article with pieces of others around
 * it), roundups of briefs, articles quoting a paragraph of another, articles reusing another's
 * background. Only the story page is a copy of its article; the others must stay separate stories.
 */
import type { Draft } from './draft.js';
import type { NewsEvent } from './events.js';
import { wordCount } from './grammar.js';
import type { Outlet } from './outlets.js';
import { chance, int, pick, type Rng, shuffled } from './random.js';
import { houseStyle } from './render.js';
import { type Content, contentWords, coverageArticle } from './stories.js';

/** The share of a story page's words that its article covers. */
export const STORY_PAGE_COVER: [number, number] = [0.2, 0.35];

const RELATED_LABELS = [
  'Related coverage',
  'Read more on this story',
  'Also on this topic',
  'More on this story',
  'Background',
];

/** The headline as a story page shows it: words added before or after, or another case. */
function headlineVariant(headline: string, rng: Rng): string {
  switch (int(rng, 0, 5)) {
    case 0:
      return `${pick(rng, ['WATCH:', 'Explained:', 'Analysis:', 'In pictures:', 'Latest:'])} ${headline}`;
    case 1:
      return `${headline} ${pick(rng, ['— what we know', '(video)', '| Full story', '- in depth', '— as it happened'])}`;
    case 2:
      return headline.toUpperCase();
    case 3:
      return headline.toLowerCase();
    default:
      return headline;
  }
}

/** A piece of another article: a related-coverage teaser or a run of its paragraphs. */
function pieceOf(other: Draft, rng: Rng, exclude: Set<string>): string[] {
  const paragraphs = other.content.paragraphs.filter((p) => !exclude.has(p));
  if (paragraphs.length === 0) return [];
  if (chance(rng, 0.45)) return [pick(rng, RELATED_LABELS), other.content.headline, paragraphs[0]!];
  const most = Math.max(1, Math.floor(other.content.paragraphs.length * 0.4));
  const take = Math.min(int(rng, 2, 4), most, paragraphs.length);
  const start = int(rng, 0, paragraphs.length - take);
  return [other.content.headline, ...paragraphs.slice(start, start + take)];
}

/**
 * A page with the whole of `original` under its headline (or a variant of it) and pieces of `others`
 * before, around or after it, so that the original covers 20–35 % of the page's words (template
 * included). Undefined when the others do not fit.
 */
export function storyPage(
  original: Draft,
  candidates: readonly Draft[],
  outlet: Outlet,
  rng: Rng,
): Draft | undefined {
  const own = original.content;
  const ownLines = [own.standfirst, ...own.paragraphs].filter((p): p is string => p !== undefined);
  const exclude = new Set(ownLines);
  const heading = headlineVariant(own.headline, rng);
  const covered = wordCount(ownLines.join('\n')) + (heading === own.headline ? wordCount(heading) : 0);
  const fixed = wordCount([heading, ...ownLines].join('\n')) + outlet.templateWords;
  const target = 0.22 + rng() * 0.11;
  for (let attempt = 0; attempt < 6; attempt++) {
    const pieces: { from: Draft; lines: string[] }[] = [];
    let words = fixed;
    // Related coverage first: the same event, then the same topic, then anything else.
    const related = (d: Draft) =>
      d.event === original.event ? 0 : d.source?.topic === original.source?.topic ? 1 : 2;
    const ordered = shuffled(rng, candidates).sort((a, b) => related(a) - related(b));
    for (const other of ordered) {
      if (covered / words <= target) break;
      const lines = pieceOf(other, rng, exclude);
      const added = wordCount(lines.join('\n'));
      if (lines.length === 0 || covered / (words + added) < STORY_PAGE_COVER[0] + 0.01) continue;
      pieces.push({ from: other, lines });
      words += added;
    }
    const share = covered / words;
    if (pieces.length < 2 || share < STORY_PAGE_COVER[0] + 0.01 || share > STORY_PAGE_COVER[1] - 0.01)
      continue;
    const split = pick(rng, ['before', 'after', 'around'] as const);
    const cut = split === 'before' ? pieces.length : split === 'after' ? 0 : int(rng, 1, pieces.length - 1);
    const before = pieces.slice(0, cut).flatMap((p) => p.lines);
    const after = pieces.slice(cut).flatMap((p) => p.lines);
    const lines = [...before, heading, ...ownLines, ...after];
    const content: Content = { headline: lines[0]!, paragraphs: lines.slice(1) };
    return {
      content,
      outlet,
      day: original.day + int(rng, 0, 2),
      showDate: chance(rng, 0.85),
      event: original.event,
      original,
      kind: 'story-page',
      includes: [...new Set(pieces.map((p) => p.from))],
    };
  }
  return undefined;
}

const ROUNDUP_HEADLINES = [
  'News in brief: the stories you need to know today',
  'The day in brief',
  'Morning briefing: what happened overnight',
  'Around the region: today’s top stories in brief',
  'Evening round-up: the news in five minutes',
  'Catch up: the main stories of the day',
];

/** A roundup carrying `briefs` whole under a headline of its own. */
export function roundup(
  briefs: readonly Draft[],
  outlet: Outlet,
  day: number,
  rng: Rng,
  event: string,
): Draft {
  const lines: string[] = [];
  if (chance(rng, 0.5))
    lines.push(
      `Here are ${['three', 'four', 'five'][briefs.length - 3] ?? 'the'} stories making the news today.`,
    );
  for (const b of briefs) {
    lines.push(b.content.headline, ...b.content.paragraphs);
    if (chance(rng, 0.3)) lines.push('Read more');
  }
  return {
    content: { headline: pick(rng, ROUNDUP_HEADLINES), paragraphs: lines },
    outlet,
    day,
    showDate: chance(rng, 0.85),
    event,
    kind: 'roundup',
    includes: [...briefs],
  };
}

/** Quote paragraphs of a full article first, other paragraphs after: what another article would quote. */
function quotable(source: Draft): string[] {
  const body = source.content.paragraphs.slice(1).filter((p) => wordCount(p) >= 15);
  return [...body.filter((p) => /["“”]/.test(p)), ...body.filter((p) => !/["“”]/.test(p))];
}

/** A different article on the same event that quotes one paragraph of `source`. */
export function sharedQuote(source: Draft, event: NewsEvent, outlet: Outlet, rng: Rng): Draft | undefined {
  const candidates = quotable(source);
  if (candidates.length === 0) return undefined;
  const quoted = candidates[Math.floor(rng() * Math.min(3, candidates.length))]!;
  const own = houseStyle(
    coverageArticle(event, rng, { words: int(rng, ...outlet.length), share: 0.1 }),
    outlet,
  );
  const at = int(rng, 2, Math.max(2, own.paragraphs.length - 2));
  const line = chance(rng, 0.5) ? quoted : `As ${source.outlet.name} reported: ${quoted}`;
  own.paragraphs.splice(at, 0, line);
  return {
    content: own,
    outlet,
    day: source.day + int(rng, 0, 2),
    showDate: chance(rng, 0.85),
    event: event.id,
    kind: 'shared-quote',
    includes: [source],
  };
}

/** An article on a later event that reuses one or two of `source`'s background paragraphs at its end. */
export function sharedBackground(
  source: Draft,
  followUp: NewsEvent,
  outlet: Outlet,
  rng: Rng,
): Draft | undefined {
  const background = source.content.background ?? [];
  if (background.length === 0) return undefined;
  const reused = background.slice(0, int(rng, 1, Math.min(2, background.length)));
  const own = houseStyle(
    coverageArticle(followUp, rng, { words: int(rng, ...outlet.length), share: 0.3 }),
    outlet,
  );
  own.paragraphs.push(...reused);
  return {
    content: own,
    outlet,
    day: followUp.day,
    showDate: chance(rng, 0.85),
    event: followUp.id,
    follows: source.event,
    kind: 'shared-background',
    includes: [source],
  };
}

export function draftWords(draft: Draft): number {
  return contentWords(draft.content);
}
