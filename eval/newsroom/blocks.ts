/**
 * One block of a corpus: a few days of news — events and their coverage, briefs, live blogs, copies
 * and the pages that carry other articles. A block draws from a PRNG of its own and references only
 * its own articles, so blocks can be generated (and streamed) one at a time.
 */
import { roundup, sharedBackground, sharedQuote, storyPage } from './constructs.js';
import type { Draft } from './draft.js';
import { createEvent, followUp, type NewsEvent } from './events.js';
import { wordCount } from './grammar.js';
import type { Outlet } from './outlets.js';
import { COPY_KINDS, type CopyKind, type Profile } from './profiles.js';
import { chance, int, pick, type Rng, roundRandom, sample, weighted } from './random.js';
import { houseStyle } from './render.js';
import { brief, type Content, contentWords, coverageArticle, liveBlog } from './stories.js';
import { correction, lightEdit, newLead, reordered, reworded, truncated, typography } from './variants.js';

export interface BlockContext {
  rng: Rng;
  profile: Profile;
  outlets: readonly Outlet[];
  /** Articles to produce (approximately). */
  target: number;
  firstDay: number;
  /** Prefix of the block's event ids. */
  prefix: string;
}

/** Same-outlet short articles: the template is 50–75 % of their words. */
export const SHORT_TEMPLATE_SHARE: [number, number] = [0.5, 0.75];

function otherOutlet(outlets: readonly Outlet[], not: Outlet, rng: Rng): Outlet {
  let outlet = pick(rng, outlets);
  while (outlet === not && outlets.length > 1) outlet = pick(rng, outlets);
  return outlet;
}

function briefFor(event: NewsEvent, outlet: Outlet, rng: Rng): Content {
  // Brief words C such that the template T is 50–75 % of T + C (a margin inside the bounds).
  const t = outlet.templateWords;
  const low = Math.ceil(t / 2.9);
  const high = Math.floor(t * 0.96);
  let best: Content | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    const content = houseStyle(brief(event, rng, Math.max(30, low - 10), Math.min(80, high - 12)), outlet);
    const share = t / (t + contentWords(content));
    if (share > SHORT_TEMPLATE_SHARE[0] + 0.01 && share < SHORT_TEMPLATE_SHARE[1] - 0.01) return content;
    best ??= content;
  }
  return best!;
}

function copyOf(kind: CopyKind, original: Draft, ctx: BlockContext, events: Map<string, NewsEvent>): Draft {
  const { rng, outlets } = ctx;
  const c = original.content;
  const other = () => otherOutlet(outlets, original.outlet, rng);
  const draft: Draft = {
    content: c,
    outlet: other(),
    day: original.day + int(rng, 0, 2),
    showDate: chance(rng, 0.85),
    event: original.event,
    original,
    kind,
  };
  const event = events.get(original.event)!;
  switch (kind) {
    case 'copy-boilerplate':
      break;
    case 'copy-same-outlet':
      draft.outlet = original.outlet;
      draft.day = original.day + int(rng, 0, 1);
      break;
    case 'truncated':
      draft.content = truncated(c, rng);
      if (chance(rng, 0.3)) draft.outlet = original.outlet;
      break;
    case 'light-edit':
      draft.content = lightEdit(c, rng);
      break;
    case 'reworded':
      draft.content = reworded(c, rng);
      break;
    case 'typography':
      draft.content = typography(c, rng);
      break;
    case 'redated':
      if (chance(rng, 0.5)) draft.outlet = original.outlet;
      draft.day = original.day;
      if (original.showDate && chance(rng, 0.5)) draft.showDate = false;
      else {
        draft.showDate = true;
        draft.shownDay = original.day + pick(rng, [-1, 1, 2, 3, 7, 14]);
      }
      break;
    case 'new-lead':
      draft.content = newLead(c, event, rng);
      if (chance(rng, 0.7)) draft.outlet = original.outlet;
      break;
    case 'reordered':
      draft.content = reordered(c, rng);
      break;
    case 'correction':
      draft.content = correction(c, event, rng);
      if (chance(rng, 0.8)) draft.outlet = original.outlet;
      break;
  }
  return draft;
}

/** The drafts of one block, in the order they were written (originals before what refers to them). */
export function buildBlock(ctx: BlockContext): Draft[] {
  const { rng, profile, outlets, target, firstDay, prefix } = ctx;
  const count = (rate: number) => roundRandom(rng, rate * target);
  const nBriefs = count(profile.briefs);
  const copies = COPY_KINDS.map((kind) => [kind, count(profile.copies[kind])] as const);
  const nLive = count(profile.liveBlogs);
  const liveVersions = Array.from({ length: nLive }, () => int(rng, ...profile.liveVersions));
  const nPages = count(profile.storyPages);
  const nRoundups = count(profile.roundups);
  const nQuotes = count(profile.sharedQuotes);
  const nBackground = count(profile.sharedBackgrounds);
  const reserved =
    nBriefs +
    copies.reduce((n, [, c]) => n + c, 0) +
    liveVersions.reduce((n, v) => n + v, 0) +
    nPages +
    nRoundups +
    nQuotes +
    nBackground;
  const nOriginals = Math.max(3, target - reserved);

  const full = outlets.filter((o) => !o.briefs);
  const briefOutlets = outlets.filter((o) => o.briefs);
  const events = new Map<string, NewsEvent>();
  const newEvent = (day: number) => {
    const event = createEvent(`${prefix}-${events.size}`, rng, day);
    events.set(event.id, event);
    return event;
  };
  const day = () => firstDay + int(rng, 0, profile.daysPerBlock - 1);

  const drafts: Draft[] = [];
  const coverage: Draft[] = [];
  while (coverage.length < nOriginals) {
    const size = Math.min(1 + weighted(rng, profile.eventSizes), nOriginals - coverage.length);
    const event = newEvent(day());
    const share = 0.1 + rng() * 0.3;
    for (let j = 0; j < size; j++) {
      const outlet = pick(rng, full);
      const content = coverageArticle(event, rng, { words: int(rng, ...outlet.length), share });
      const draft: Draft = {
        content: houseStyle(content, outlet),
        outlet,
        day: event.day + (j === 0 ? 0 : int(rng, 0, 2)),
        showDate: chance(rng, 0.85),
        event: event.id,
        kind: 'original',
        source: event,
      };
      coverage.push(draft);
      drafts.push(draft);
    }
  }

  const briefs: Draft[] = [];
  for (let i = 0; i < nBriefs && briefOutlets.length > 0; i++) {
    const outlet = pick(rng, briefOutlets);
    const attached = chance(rng, 0.2) ? pick(rng, coverage).event : undefined;
    const event = attached ? events.get(attached)! : newEvent(day());
    const draft: Draft = {
      content: briefFor(event, outlet, rng),
      outlet,
      day: attached ? event.day + int(rng, 0, 1) : event.day,
      showDate: chance(rng, 0.85),
      event: event.id,
      kind: 'same-outlet-short',
      short: true,
      source: event,
    };
    briefs.push(draft);
    drafts.push(draft);
  }

  for (const versions of liveVersions) {
    const event = chance(rng, 0.5) ? events.get(pick(rng, coverage).event)! : newEvent(day());
    const outlet = pick(rng, full);
    const contents = liveBlog(event, rng, versions).map((c) => houseStyle(c, outlet));
    const first: Draft = {
      content: contents[0]!,
      outlet,
      day: event.day,
      showDate: true,
      event: event.id,
      kind: 'original',
      source: event,
    };
    drafts.push(first);
    for (const content of contents.slice(1)) {
      drafts.push({
        content,
        outlet,
        day: event.day + int(rng, 0, 1),
        showDate: true,
        event: event.id,
        original: first,
        kind: 'live-blog',
      });
    }
  }

  for (const [kind, n] of copies) {
    for (let i = 0; i < n; i++) {
      const fromBrief =
        briefs.length > 0 && chance(rng, 0.15) && kind !== 'reordered' && kind !== 'truncated';
      const original = fromBrief ? pick(rng, briefs) : pick(rng, coverage);
      drafts.push(copyOf(kind, original, ctx, events));
    }
  }

  for (let i = 0; i < nPages; i++) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const original = pick(rng, coverage);
      if (wordCount(original.content.paragraphs.join(' ')) > 650) continue;
      const others = coverage.filter((d) => d !== original);
      const page = storyPage(original, others, pick(rng, outlets), rng);
      if (page) {
        drafts.push(page);
        break;
      }
    }
  }

  for (let i = 0; i < nRoundups && briefs.length >= 3; i++) {
    const carried = sample(rng, briefs, int(rng, 3, Math.min(5, briefs.length)));
    const outlet = chance(rng, 0.5) ? carried[0]!.outlet : pick(rng, full);
    drafts.push(roundup(carried, outlet, Math.max(...carried.map((b) => b.day)), rng, `${prefix}-r${i}`));
  }

  for (let i = 0; i < nQuotes; i++) {
    const source = pick(rng, coverage);
    const quoting = sharedQuote(source, source.source!, otherOutlet(full, source.outlet, rng), rng);
    if (quoting) drafts.push(quoting);
  }

  for (let i = 0; i < nBackground; i++) {
    const source = pick(rng, coverage);
    const later = followUp(source.source!, `${prefix}-f${i}`, rng, source.day + int(rng, 2, 10));
    events.set(later.id, later);
    const reusing = sharedBackground(source, later, pick(rng, full), rng);
    if (reusing) drafts.push(reusing);
  }
  return drafts;
}
