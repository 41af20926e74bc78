/**
 * The listing pages beyond the home page and the month archives: a tag's page (`tags/<slug>/index.html`,
 * with autodiscovery of the tag's own feeds) and the digest archive (`digests/index.html`).
 */
import type { SiteConfig, Story } from '../model.js';
import type { TagEntry } from '../tags.js';
import type { Locale } from './locale.js';
import { NO_META } from './page-meta.js';
import { newestFirst, type PageContext, pageContextOf, type StoryView, storyView } from './site-views.js';
import type { Render } from './templates.js';

export interface TagContext extends PageContext {
  tag: { name: string; slug: string };
  countLabel: string;
  stories: StoryView[];
  tagFeeds: { rss: string; atom: string; json: string };
}

/** One email edition as the digest archive lists it. */
export interface EditionListing {
  number: number;
  /** ISO date of the edition. */
  date: string;
  subject: string;
  /** Its stories that still exist, in edition order. */
  stories: ReadonlyArray<{ title: string; slug: string }>;
  /** Site path of its archived copy (`digests/<id>.html`), when one is kept: the subject links it. */
  path?: string;
}

export interface DigestsContext extends PageContext {
  editions: {
    number: number;
    date: string;
    isoDate: string;
    subject: string;
    /** The archived copy (relative), null when none is kept. */
    url: string | null;
    stories: { title: string; url: string }[];
  }[];
}

type Wrap = (page: PageContext, content: string) => string;

/** Where a tag's page and feeds are, relative to the site root. */
export const tagPaths = (slug: string) => ({
  page: `tags/${slug}/index.html`,
  rss: `tags/${slug}/feed.xml`,
  atom: `tags/${slug}/atom.xml`,
  json: `tags/${slug}/feed.json`,
});

export function renderTagPage(
  config: SiteConfig,
  template: Render<TagContext>,
  wrap: Wrap,
  tag: TagEntry,
  stories: readonly Story[],
  locale: Locale,
): string {
  const paths = tagPaths(tag.slug);
  const page = pageContextOf(
    config,
    '../../',
    {
      title: `${tag.name} — ${config.title}`,
      description: locale.t('tag.description', { count: stories.length, tag: tag.name }),
      canonicalUrl: `${config.siteUrl}${paths.page}`,
    },
    NO_META,
  );
  page.alternates = [
    {
      type: 'application/rss+xml',
      title: `${tag.name} — ${config.title} (RSS)`,
      href: config.siteUrl + paths.rss,
    },
    {
      type: 'application/atom+xml',
      title: `${tag.name} — ${config.title} (Atom)`,
      href: config.siteUrl + paths.atom,
    },
    {
      type: 'application/feed+json',
      title: `${tag.name} — ${config.title} (JSON Feed)`,
      href: config.siteUrl + paths.json,
    },
  ];
  return wrap(
    page,
    template({
      ...page,
      tag: { name: tag.name, slug: tag.slug },
      countLabel: locale.t('site.storyCount', { count: stories.length }),
      stories: newestFirst(stories).map((story) => storyView(story, '../../articles/', '../../', locale)),
      tagFeeds: { rss: 'feed.xml', atom: 'atom.xml', json: 'feed.json' },
    }),
  );
}

export function renderDigestsPage(
  config: SiteConfig,
  template: Render<DigestsContext>,
  wrap: Wrap,
  editions: readonly EditionListing[],
  locale: Locale,
): string {
  const page = pageContextOf(
    config,
    '../',
    {
      title: `${locale.t('digests.heading')} — ${config.title}`,
      description: locale.t('digests.description', { site: config.title }),
      canonicalUrl: `${config.siteUrl}digests/index.html`,
    },
    NO_META,
  );
  const newest = [...editions].sort((a, b) => b.number - a.number);
  return wrap(
    page,
    template({
      ...page,
      editions: newest.map((edition) => ({
        number: edition.number,
        date: locale.date(edition.date),
        isoDate: edition.date,
        subject: edition.subject,
        url: edition.path ? `../${edition.path.replace(/^\/+/, '')}` : null,
        stories: edition.stories.map((story) => ({
          title: story.title,
          url: `../articles/${story.slug}.html`,
        })),
      })),
    }),
  );
}
