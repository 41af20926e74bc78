/**
 * Articles written from an event: full coverage (a lead, facts, quotes, background, what next; part
 * of it drawn verbatim from the event's shared pool), short briefs, and live blogs that grow at the top.
 */
import type { NewsEvent } from './events.js';
import { wordCount } from './grammar.js';
import { chance, int, pick, type Rng } from './random.js';
import {
  backgroundParagraph,
  factSentence,
  headline,
  leadParagraph,
  nextParagraph,
  quoteParagraph,
  sentence,
  sentencesPerParagraph,
  standfirst,
  subhead,
} from './sentences.js';
import { ROLES } from './topic.js';

/** What an article says, before an outlet's page is put around it. */
export interface Content {
  headline: string;
  standfirst?: string;
  paragraphs: string[];
  /** The background paragraphs among `paragraphs` (full articles only). */
  background?: string[];
}

export function contentWords(content: Content): number {
  let n = wordCount(content.headline) + (content.standfirst ? wordCount(content.standfirst) : 0);
  for (const p of content.paragraphs) n += wordCount(p);
  return n;
}

/** Takes items of `pool` not yet used (by index), or undefined when all are. */
function takeFrom(pool: readonly string[], used: Set<number>, rng: Rng): string | undefined {
  if (used.size >= pool.length) return undefined;
  let i = Math.floor(rng() * pool.length);
  while (used.has(i)) i = (i + 1) % pool.length;
  used.add(i);
  return pool[i];
}

const LETTER = /[\p{L}'’]/u;

/** Where `name` first occurs in `text` as a whole word, or -1. */
function findName(text: string, name: string): number {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text[at - 1]! : ' ';
    const after = text[at + name.length] ?? ' ';
    if (!LETTER.test(before) && !LETTER.test(after)) return at;
  }
  return -1;
}

/**
 * The first mention of each person names them in full with their title, as copy does; later
 * mentions use the surname. Sentences taken from the shared pool may mention a surname first.
 */
export function introducePeople(event: NewsEvent, content: Content, rng: Rng): void {
  const texts = [content.standfirst ?? '', ...content.paragraphs];
  for (const role of ROLES) {
    const first = event.scope.value(`${role}.first`, rng);
    const last = event.scope.value(`${role}.last`, rng);
    const full = event.scope.value(role, rng);
    for (let t = 0; t < texts.length; t++) {
      const text = texts[t]!;
      const at = findName(text, last);
      if (at < 0) continue;
      if (text.slice(0, at).endsWith(`${first} `)) break;
      const after = text[at + last.length] ?? '';
      const replacement = /[.,;:!?"]/.test(after) ? full : `${full},`;
      texts[t] = `${text.slice(0, at)}${replacement}${text.slice(at + last.length)}`;
      break;
    }
  }
  if (content.standfirst !== undefined) content.standfirst = texts[0];
  content.paragraphs = texts.slice(1);
}

/** What makes two sentences "the same thing said twice": the first words of the quote, or of the sentence. */
function gist(text: string): string {
  const quote = text.indexOf('"');
  const start = quote >= 0 && quote < 60 ? quote + 1 : 0;
  let end = start;
  for (let spaces = 0; spaces < 4 && end >= 0; spaces++) end = text.indexOf(' ', end + 1);
  return text.slice(start, end < 0 ? undefined : end).toLowerCase();
}

/** A sentence or paragraph whose gist the article has not used yet (`shared` first, if given). */
function fresh(seen: Set<string>, shared: string | undefined, make: () => string): string {
  if (shared !== undefined && !seen.has(gist(shared))) {
    seen.add(gist(shared));
    return shared;
  }
  let text = make();
  for (let tries = 0; tries < 2 && seen.has(gist(text)); tries++) text = make();
  seen.add(gist(text));
  return text;
}

export interface CoverageOptions {
  /** Body length to aim for, in words. */
  words: number;
  /** Share (0–1) of facts, quotes and background taken verbatim from the event's pool. */
  share: number;
}

/** A full article on the event, written for one outlet. */
export function coverageArticle(event: NewsEvent, rng: Rng, options: CoverageOptions): Content {
  const { pool } = event;
  const usedFacts = new Set<number>();
  const usedQuotes = new Set<number>();
  const usedBackground = new Set<number>();
  const paragraphs = [leadParagraph(event, rng)];
  const seen = new Set<string>(paragraphs[0]!.split(/(?<=\.) /).map(gist));
  let words = wordCount(paragraphs[0]!);
  const closing = options.words * (0.78 + rng() * 0.1);
  let sinceQuote = 0;
  let subheads = options.words > 450 && chance(rng, 0.35) ? int(rng, 1, 2) : 0;
  while (words < closing) {
    let paragraph: string;
    if (subheads > 0 && paragraphs.length >= 4 && chance(rng, 0.12)) {
      subheads--;
      paragraph = subhead(event, rng);
    } else if (sinceQuote >= 2 && chance(rng, 0.55)) {
      const shared = chance(rng, options.share + 0.15) ? takeFrom(pool.quotes, usedQuotes, rng) : undefined;
      paragraph = fresh(seen, shared, () => quoteParagraph(event, rng));
      sinceQuote = 0;
    } else {
      const sentences: string[] = [];
      for (let n = sentencesPerParagraph(rng); n > 0; n--) {
        const shared = chance(rng, options.share) ? takeFrom(pool.facts, usedFacts, rng) : undefined;
        sentences.push(fresh(seen, shared, () => factSentence(event, rng)));
      }
      paragraph = sentences.join(' ');
      sinceQuote++;
    }
    paragraphs.push(paragraph);
    words += wordCount(paragraph);
  }
  const backgroundAt = paragraphs.length;
  for (let n = int(rng, 1, 2); n > 0 && words < options.words * 1.1; n--) {
    const shared = chance(rng, options.share + 0.25)
      ? takeFrom(pool.background, usedBackground, rng)
      : undefined;
    const paragraph = fresh(seen, shared, () => backgroundParagraph(event, rng));
    paragraphs.push(paragraph);
    words += wordCount(paragraph);
  }
  const backgroundEnd = paragraphs.length;
  if (chance(rng, 0.5)) paragraphs.push(nextParagraph(event, rng));
  const content: Content = { headline: headline(event, rng), paragraphs };
  if (chance(rng, 0.5)) content.standfirst = standfirst(event, rng);
  introducePeople(event, content, rng);
  content.background = content.paragraphs.slice(backgroundAt, backgroundEnd);
  return content;
}

/** A brief: a headline and one or two short paragraphs, with a body of `min`–`max` words. */
export function brief(event: NewsEvent, rng: Rng, min: number, max: number): Content {
  let best: string[] = [];
  let bestMiss = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 12; attempt++) {
    const sentences = [sentence(event.frames.leads, rng, event.scope, 14, 40)];
    let words = wordCount(sentences[0]!);
    while (words < min) {
      const next = factSentence(event, rng);
      sentences.push(next);
      words += wordCount(next);
    }
    const miss = words > max ? words - max : 0;
    if (miss === 0) {
      best = sentences;
      break;
    }
    if (miss < bestMiss) [best, bestMiss] = [sentences, miss];
  }
  const paragraphs =
    best.length > 2 && chance(rng, 0.6)
      ? [best.slice(0, 1).join(' '), best.slice(1).join(' ')]
      : [best.join(' ')];
  const content: Content = { headline: headline(event, rng), paragraphs };
  introducePeople(event, content, rng);
  return content;
}

/**
 * The versions of a live blog: each later version has one to three new timestamped entries on top of
 * the previous one's, under the same headline.
 */
export function liveBlog(event: NewsEvent, rng: Rng, versions: number): Content[] {
  const title = headline(event, rng);
  const liveHeadline = pick(rng, [`Live: ${title}`, `${title} – live updates`, `${title}: latest`]);
  let intro = standfirst(event, rng);
  let minutes = int(rng, 6 * 60, 10 * 60);
  const entry = (): string => {
    minutes += int(rng, 7, 55);
    const time = `${Math.floor(minutes / 60) % 24}:${String(minutes % 60).padStart(2, '0')}`;
    const body = chance(rng, 0.3) ? quoteParagraph(event, rng) : factSentence(event, rng);
    return `${time} ${body}`;
  };
  let entries = [leadParagraph(event, rng), ...Array.from({ length: int(rng, 2, 4) }, entry).reverse()];
  const out: Content[] = [];
  for (let v = 0; v < versions; v++) {
    if (v > 0) entries = [...Array.from({ length: int(rng, 1, 3) }, entry).reverse(), ...entries];
    const content: Content = { headline: liveHeadline, standfirst: intro, paragraphs: [...entries] };
    if (v === 0) {
      // Entries once posted stay as they are: only the first version's are edited for first mentions.
      introducePeople(event, content, rng);
      entries = [...content.paragraphs];
      intro = content.standfirst ?? intro;
    }
    out.push(content);
  }
  return out;
}
