import type { Brand } from './brand.js';
/**
 * The domain model shared by every part of the core. Plain data only: no I/O, no classes,
 * so that the same values travel between worker threads, state files and DynamoDB items.
 */

/**
 * One block of an article body, in reading order. `text` is always plain text (what deduplication and
 * summaries read). `html`, when present, is the block's sanitised HTML (Markdown articles): renderers
 * use it as it is. Without it, renderers escape `text` (plain-text articles).
 */
export type Block =
  | { kind: 'paragraph'; text: string; html?: string }
  /** A short title-like line inside the body (a subheading). */
  | { kind: 'heading'; text: string; html?: string }
  /** Quoted text, e.g. the text of an embedded tweet; `cite` names who said it. */
  | { kind: 'quote'; text: string; cite?: string; html?: string }
  /** Any other Markdown construct (list, table, code, figure, rule, raw HTML): always carries its HTML. */
  | { kind: 'rich'; text: string; html: string };

/** The article's lead image as written: `src` is an http(s) URL or a path relative to the article. */
export interface ImageRef {
  src: string;
  alt: string;
  caption?: string;
  /** True when it came from the front matter (else it is the body's first image, already shown there). */
  fromFrontMatter: boolean;
}

/** An article after parsing and cleaning. All text is NFC-normalised plain text (never HTML). */
export interface ParsedArticle {
  /** Where it came from, relative to the articles root (file name or S3 key without the prefix). */
  source: string;
  title: string;
  /** True when the title was derived from the first sentence of the body. */
  titleDerived: boolean;
  /** A standfirst line or the front matter `summary`, when the article has one. */
  standfirst?: string;
  author?: string;
  tags: string[];
  /** The article's original URL (front matter `link`), when given. */
  link?: string;
  /** The article's own publication date as ISO 8601 (UTC), when it carries a usable one. */
  date?: string;
  blocks: Block[];
  /** The lead image: front matter `image`, else the first image of the body. */
  image?: ImageRef;
}

export type Severity = 'error' | 'warning';

/** A problem found in one input file. `error` means the file was rejected; `warning` means it was published. */
export interface Diagnostic {
  source: string;
  severity: Severity;
  /** A stable machine-readable code, e.g. `empty`, `binary`, `invalid-utf8`, `too-large`, `future-date`. */
  code: string;
  message: string;
}

/** A story: one or more near-copies of the same article, published once under one stable id. */
export interface Story {
  /** Stable id, used as the RSS guid: the id of the story's first-seen member. Never changes. */
  id: string;
  /** URL-safe file name (without extension) of the story's page. */
  slug: string;
  title: string;
  /** Plain-text summary (standfirst, or the start of the body). */
  summary: string;
  /** ISO 8601: the earliest member date. */
  date: string;
  /** ISO 8601: when the story's content last changed (the newest member date); equals `date` when never updated. */
  updated: string;
  author?: string;
  tags: string[];
  /** The original article URL, when the canonical member gives one. */
  link?: string;
  /** The content of the most complete member. */
  blocks: Block[];
  /** The lead image, when the story has one that could be read (or is an http(s) URL). */
  image?: StoryImage;
  /** Source keys of every member, canonical first. */
  members: string[];
  /** Ids of other stories on the same event (related coverage), best first. */
  relatedIds: string[];
  /** Those stories as links, when the page shows them (article pages). */
  relatedLinks?: RelatedLink[];
}

/** A story's lead image as published. */
export interface StoryImage {
  /** Site-relative (`media/<hash>.<ext>`) for a published copy, else the absolute http(s) URL as written. */
  url: string;
  alt: string;
  caption?: string;
  /** Known for published copies (read from the file), unknown for remote images. */
  width?: number;
  height?: number;
  mime?: string;
  length?: number;
  /** The body shows it already (it is the body's first image): pages do not show it twice. */
  inBody: boolean;
}

/** A related story as a page links it. */
export interface RelatedLink {
  id: string;
  title: string;
  slug: string;
  /** ISO date of the story. */
  date: string;
}

/** Channel metadata and build options; see `config.ts` for defaults and validation. */
export interface SiteConfig {
  title: string;
  description: string;
  /** Absolute URL of the published site, ending in `/`. */
  siteUrl: string;
  /** BCP 47 language tag, e.g. `en`. */
  language: string;
  author?: { name: string; email?: string };
  copyright?: string;
  /** How many stories the feeds carry (newest first). */
  feedSize: number;
  /**
   * Stories per archive document: a month's stories beyond the feeds' window are split, oldest first,
   * into documents of at most this many (default 100), so a build rewrites a bounded part of a month.
   */
  archivePageSize?: number;
  /** RSS `ttl` in minutes. */
  ttl: number;
  /** Largest accepted article file, in bytes. */
  maxArticleBytes: number;
  /** The digest's logo and accent colour (`core/brand.ts`). */
  brand?: Brand;
  /** Where the home page's subscribe form posts (an absolute URL or a site-relative path); no form without it. */
  subscribeUrl?: string;
  /** WebSub: the hub every subscription feed names, and that each publish notifies of the feeds it changed. */
  websub?: { hub: string };
  digest: {
    /** Most stories in one edition (also caps the first edition). */
    maxStories: number;
    /** Prefix of the email subject, e.g. the newsletter's name. */
    subjectPrefix: string;
    /** Placeholder (or, in the cloud, a per-subscriber URL) for the unsubscribe link. */
    unsubscribeUrl: string;
  };
}

/** One edition of the email digest. */
export interface Edition {
  /** Deterministic id, e.g. `2021-09-01` or a schedule timestamp. */
  id: string;
  /** ISO 8601 date of the edition (the newest story date locally). */
  date: string;
  stories: Story[];
}

/** A file to publish, with its path relative to the site root. */
export interface OutputFile {
  path: string;
  contentType: string;
  /** Text (pages, feeds) or bytes (published images). */
  body: string | Uint8Array;
}

/**
 * A story as both paths store it (the local state, the cloud story table): which articles it holds,
 * the canonical one, and what its pages and listings show without reading an article.
 */
export interface StoryRecord {
  slug: string;
  /** Source key of the most complete member. */
  canonical: string;
  /** The version of the canonical member the content was read from. */
  canonicalVersion?: string;
  /** Source keys, canonical first. */
  members: string[];
  /** Earliest date a member carries (first-seen times only when no member has a date). */
  date: string;
  /** When the content (the canonical member) last changed; see `storyRecordFromCluster`. */
  updated: string;
  title: string;
  /** Containment of each non-canonical member in the canonical, keyed by source. */
  evidence: Record<string, { containment: number; coverage: number }>;
  /** The build that first published the story. */
  createdBuild: number;
  /** Ids of other stories on the same event (related coverage), best first; see `dedup/related.ts`. */
  related?: string[];
  /** The canonical member's tags (front matter), as written; absent when it has none. Tag pages list from these. */
  tags?: string[];
  /** The edition its content went out in (possibly as another story, see `mailed.ts`): never mailed again. */
  mailed?: number;
}
