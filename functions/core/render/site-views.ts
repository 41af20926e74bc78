/** The views pages are rendered from, shared by `site.ts` and `site-listings.ts`. */
import type { SiteConfig, Story } from '../model.js';
import { distinctTags } from '../tags.js';
import type { Locale } from './locale.js';
import { imageUrl, type PageMeta } from './page-meta.js';

export interface StoryView {
  title: string;
  /** Relative to the page that shows it. */
  url: string;
  date: string;
  isoDate: string;
  /** Shown only when the story changed after it was first published. */
  updated: string | null;
  isoUpdated: string;
  summary: string;
  author: string | null;
  /** Each links its tag page. */
  tags: { name: string; url: string }[];
  /** The lead image, relative to the page that shows it; null without one. */
  image: {
    url: string;
    alt: string;
    caption: string | null;
    width: number | null;
    height: number | null;
  } | null;
}

/** What every page and the layout see. */
export interface PageContext {
  lang: string;
  /** Prefix from this page back to the site root: '' or '../'. Keeps the site working from file:// and any base path. */
  root: string;
  site: { title: string; description: string; copyright: string | null; author: string | null };
  page: { title: string; description: string; canonicalUrl: string };
  /** Social and search metadata: Open Graph, Twitter card, JSON-LD (article pages only). */
  meta: PageMeta;
  /** Absolute, for autodiscovery: feed readers resolve them outside the page. */
  feeds: { rss: string; atom: string; json: string };
  /** Relative, for the visible links. */
  feedLinks: { rss: string; atom: string; json: string };
  /** More autodiscovery links (a tag page's own feeds), absolute. */
  alternates: { type: string; title: string; href: string }[];
}

/** The context every page and the layout share; `root` leads from the page back to the site root. */
export function pageContextOf(
  config: SiteConfig,
  root: string,
  page: PageContext['page'],
  meta: PageMeta,
): PageContext {
  return {
    lang: config.language,
    root,
    meta,
    site: {
      title: config.title,
      description: config.description,
      copyright: config.copyright ?? null,
      author: config.author?.name ?? null,
    },
    page,
    feeds: {
      rss: `${config.siteUrl}feed.xml`,
      atom: `${config.siteUrl}atom.xml`,
      json: `${config.siteUrl}feed.json`,
    },
    feedLinks: { rss: `${root}feed.xml`, atom: `${root}atom.xml`, json: `${root}feed.json` },
    alternates: [],
  };
}

export function storyView(story: Story, articlesPath: string, root: string, locale: Locale): StoryView {
  return {
    title: story.title,
    url: `${articlesPath}${story.slug}.html`,
    date: locale.date(story.date),
    isoDate: story.date,
    updated: story.updated !== story.date ? locale.date(story.updated) : null,
    isoUpdated: story.updated,
    summary: story.summary,
    author: story.author ?? null,
    tags: distinctTags([story.tags]).map(({ slug, name }) => ({
      name,
      url: `${root}tags/${slug}/index.html`,
    })),
    image: story.image
      ? {
          url: imageUrl(story.image.url, root),
          alt: story.image.alt,
          caption: story.image.caption ?? null,
          width: story.image.width ?? null,
          height: story.image.height ?? null,
        }
      : null,
  };
}

/** Newest first; ties broken by id so that the order never depends on the input order. */
export function newestFirst(stories: readonly Story[]): Story[] {
  return [...stories].sort((a, b) => {
    const newer = timeOf(b.date);
    const older = timeOf(a.date);
    if (newer !== older) return newer > older ? 1 : -1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
