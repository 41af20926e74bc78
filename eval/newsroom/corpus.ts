/** Corpora: blocks of drafts turned into files with paths and labels, streamed one block at a time. */
import { buildBlock } from './blocks.js';
import { type Draft, rootOf } from './draft.js';
import { isoDate } from './events.js';
import { slugify } from './lexicon.js';
import { createOutlets, type Outlet } from './outlets.js';
import { PROFILES, type Profile } from './profiles.js';
import { subRng } from './random.js';
import { renderArticle } from './render.js';

export interface GeneratedArticle {
  /**
   * Relative file path, e.g. `harbour-times/2021-08-23-taliban-resistance-claims-gains-2.txt`: outlet
   * folder + date + slug; never encodes the label. Paths are also the articles' ids.
   */
  path: string;
  /** File contents in the seed format. */
  text: string;
  /** Event id: articles about the same news event share it (copies and different articles alike). */
  event: string;
  /**
   * The storyline: the event, or for a follow-up event (the inquiry after the crash) the event it
   * follows. Stories of one storyline are related coverage.
   */
  storyline: string;
  /**
   * Dedup label: the id (path) of the original article this one is a copy of (an original's own id for
   * itself). Two articles must merge into one story iff they share `original`.
   */
  original: string;
  /** 'original', a copy kind, or a construct kind ('same-outlet-short', 'roundup', 'shared-quote', …). */
  kind: string;
  outlet: string;
  /** ISO date (YYYY-MM-DD) written in the file, if any. */
  date?: string;
  /**
   * Ids of other corpus articles whose text this one carries pieces of: a roundup's briefs, a story
   * page's other articles, the article a shared quote or shared background comes from.
   */
  includes?: string[];
}

export interface CorpusOptions {
  seed: number;
  /** Target count, approximate. */
  articles: number;
  /** Which phrase pools outlet templates are drawn from. */
  templates?: 'train' | 'heldout';
  profile?: 'eval' | 'bench';
}

function profileOf(options: CorpusOptions): Profile {
  return PROFILES[options.profile ?? 'eval'];
}

function blockCount(options: CorpusOptions, profile: Profile): number {
  return Math.max(1, Math.round(options.articles / profile.blockSize));
}

/** The outlets of the corpus, with their template lines. */
export function corpusOutlets(options: CorpusOptions): Outlet[] {
  return createOutlets(options.seed, options.templates ?? 'train');
}

/**
 * The day after the last date a corpus can carry (ISO): articles dated from then on are news that
 * arrives after the corpus.
 */
export function corpusEnd(options: CorpusOptions): string {
  const profile = profileOf(options);
  // Articles come up to 4 days after their block, follow-ups up to 12, redated copies up to 16.
  return isoDate(profile.firstDay + blockCount(options, profile) * profile.daysPerBlock + 31);
}

function toArticle(draft: Draft): GeneratedArticle {
  const shownDay = draft.showDate ? (draft.shownDay ?? draft.day) : undefined;
  const date = shownDay === undefined ? undefined : isoDate(shownDay);
  const article: GeneratedArticle = {
    path: draft.path!,
    text: renderArticle(draft.content, draft.outlet, date),
    event: draft.event,
    storyline: rootOf(draft).follows ?? draft.event,
    original: rootOf(draft).path!,
    kind: draft.kind,
    outlet: draft.outlet.name,
  };
  if (date !== undefined) article.date = date;
  if (draft.includes?.length) article.includes = draft.includes.map((d) => d.path!);
  return article;
}

/** Streams articles for very large corpora without holding them all; the same as `generateCorpus`. */
export function* corpusArticles(options: CorpusOptions): Generator<GeneratedArticle> {
  const profile = profileOf(options);
  const outlets = corpusOutlets(options);
  const blocks = blockCount(options, profile);
  const paths = new Set<string>();
  let produced = 0;
  for (let b = 0; b < blocks; b++) {
    const target = Math.round((options.articles * (b + 1)) / blocks) - produced;
    const drafts = buildBlock({
      rng: subRng(options.seed, b, profile.name === 'eval' ? 1 : 2),
      profile,
      outlets,
      target,
      firstDay: profile.firstDay + b * profile.daysPerBlock,
      prefix: `e${b}`,
    });
    for (const draft of drafts) {
      const stem = `${draft.outlet.folder}/${isoDate(draft.day)}-${slugify(draft.content.headline) || 'article'}`;
      let path = `${stem}.txt`;
      for (let n = 2; paths.has(path); n++) path = `${stem}-${n}.txt`;
      paths.add(path);
      draft.path = path;
    }
    produced += drafts.length;
    for (const draft of drafts) yield toArticle(draft);
  }
}

export function generateCorpus(options: CorpusOptions): GeneratedArticle[] {
  return [...corpusArticles(options)];
}
