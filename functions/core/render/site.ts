import type { SiteConfig, Story } from '../model.js';
import { blocksToHtml } from './html.js';
import { articleMeta, imageUrl, NO_META, type PageMeta } from './page-meta.js';
import {
  compileTemplate,
  countStories,
  formatDisplayDate,
  formatMonth,
  isMonth,
  monthOf,
  type Render,
  type TemplateSources,
} from './templates.js';

/** A caller passed something no page can be built from (a malformed month, an unsafe link). */
export { imageUrl } from './page-meta.js';

export class SiteRenderError extends Error {
  override name = 'SiteRenderError';
}

interface StoryView {
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
  tags: { name: string }[];
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
interface PageContext {
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
}

interface IndexContext extends PageContext {
  stories: StoryView[];
  months: { label: string; url: string; count: number; countLabel: string }[];
  latestDigest: { url: string; subject: string } | null;
  /** Where the subscribe form posts; no form without it (a form that goes nowhere is worse than none). */
  subscribeUrl: string | null;
}

interface ArticleContext extends PageContext {
  story: StoryView & {
    bodyHtml: string;
    /** The lead image above the body, unless the body shows it already. */
    leadImage: StoryView['image'];
    /** The summary, unless it is only the opening of the body (then it would be read twice). */
    standfirst: string | null;
    originalLink: string | null;
    otherVersions: string | null;
    /** Other stories on the same event (related coverage). */
    related: { title: string; url: string; date: string; isoDate: string }[];
  };
}

interface ArchiveContext extends PageContext {
  month: string;
  monthLabel: string;
  countLabel: string;
  stories: StoryView[];
}

interface Templates {
  layout: Render<PageContext & { content: string }> | null;
  index: Render<IndexContext>;
  article: Render<ArticleContext>;
  archive: Render<ArchiveContext>;
}

export interface IndexInput {
  stories: readonly Story[];
  months: readonly { month: string; count: number }[];
  latestDigest?: { path: string; subject: string };
}

/**
 * Renders the static site: the home page, one page per story under `articles/`, one page per month
 * under `archive/`. Links between pages are relative; only canonical and feed autodiscovery URLs are absolute.
 */
export class SiteRenderer {
  private constructor(
    private readonly templates: Templates,
    private readonly config: SiteConfig,
  ) {}

  static create(sources: TemplateSources, config: SiteConfig): SiteRenderer {
    return new SiteRenderer(
      {
        layout: sources.layout === undefined ? null : compileTemplate('layout', sources.layout),
        index: compileTemplate('index', sources.index),
        article: compileTemplate('article', sources.article),
        archive: compileTemplate('archive', sources.archive),
      },
      config,
    );
  }

  /** The home page: newest stories first, feed links, month archive links, latest digest, subscribe form. */
  renderIndex(input: IndexInput): string {
    const months = [...input.months]
      .map(({ month, count }) => {
        if (!isMonth(month)) throw new SiteRenderError(`archive month must be YYYY-MM, got "${month}"`);
        return { month, count };
      })
      .sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0))
      .map(({ month, count }) => ({
        label: formatMonth(month),
        url: `archive/${month}.html`,
        count,
        countLabel: countStories(count),
      }));
    const latestDigest = input.latestDigest
      ? { url: siteRelativeHref(input.latestDigest.path), subject: input.latestDigest.subject }
      : null;
    const page = this.pageContext(
      '',
      { title: this.config.title, description: this.config.description, canonicalUrl: this.config.siteUrl },
      NO_META,
    );
    return this.wrap(
      page,
      this.templates.index({
        ...page,
        stories: newestFirst(input.stories).map((story) => storyView(story, 'articles/', '')),
        months,
        latestDigest,
        subscribeUrl: this.config.subscribeUrl ?? null,
      }),
    );
  }

  /** `articles/<slug>.html`: the whole story, with a link to the original when it has a safe one. */
  renderArticle(story: Story): string {
    const canonicalUrl = `${this.config.siteUrl}articles/${story.slug}.html`;
    const page = this.pageContext(
      '../',
      { title: `${story.title} — ${this.config.title}`, description: story.summary, canonicalUrl },
      articleMeta(story, canonicalUrl, this.config),
    );
    const view = storyView(story, '', '../');
    const others = story.members.length - 1;
    return this.wrap(
      page,
      this.templates.article({
        ...page,
        story: {
          ...view,
          bodyHtml: blocksToHtml(story.blocks, '../'),
          leadImage: story.image && !story.image.inBody ? view.image : null,
          standfirst: summaryRepeatsBody(story) ? null : story.summary,
          originalLink: story.link !== undefined && isHttpUrl(story.link) ? story.link : null,
          otherVersions:
            others > 0 ? `Also published as ${others} other ${others === 1 ? 'version' : 'versions'}.` : null,
          related: (story.relatedLinks ?? []).map((link) => ({
            title: link.title,
            url: `${link.slug}.html`,
            date: formatDisplayDate(link.date),
            isoDate: link.date,
          })),
        },
      }),
    );
  }

  /** `archive/<YYYY-MM>.html`: the stories of that month, newest first. Stories from other months are left out. */
  renderArchiveMonth(month: string, stories: readonly Story[]): string {
    if (!isMonth(month)) throw new SiteRenderError(`archive month must be YYYY-MM, got "${month}"`);
    const monthLabel = formatMonth(month);
    const inMonth = newestFirst(stories.filter((story) => monthOf(story.date) === month));
    const page = this.pageContext(
      '../',
      {
        title: `${monthLabel} — ${this.config.title}`,
        description: `${countStories(inMonth.length)} published in ${monthLabel}.`,
        canonicalUrl: `${this.config.siteUrl}archive/${month}.html`,
      },
      NO_META,
    );
    return this.wrap(
      page,
      this.templates.archive({
        ...page,
        month,
        monthLabel,
        countLabel: countStories(inMonth.length),
        stories: inMonth.map((story) => storyView(story, '../articles/', '../')),
      }),
    );
  }

  private pageContext(root: string, page: PageContext['page'], meta: PageMeta): PageContext {
    const { config } = this;
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
    };
  }

  private wrap(page: PageContext, content: string): string {
    return this.templates.layout ? this.templates.layout({ ...page, content }) : content;
  }
}

function storyView(story: Story, articlesPath: string, root: string): StoryView {
  return {
    title: story.title,
    url: `${articlesPath}${story.slug}.html`,
    date: formatDisplayDate(story.date),
    isoDate: story.date,
    updated: story.updated !== story.date ? formatDisplayDate(story.updated) : null,
    isoUpdated: story.updated,
    summary: story.summary,
    author: story.author ?? null,
    tags: story.tags.map((name) => ({ name })),
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
function newestFirst(stories: readonly Story[]): Story[] {
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

function summaryRepeatsBody(story: Story): boolean {
  const summary = normaliseSpace(story.summary.trim().replace(/(…|\.\.\.)$/, ''));
  // Only the opening of the body can match: don't normalise all of it (this runs once per page).
  const opening = story.blocks
    .map((block) => block.text)
    .join(' ')
    .slice(0, summary.length * 2 + 64);
  const body = normaliseSpace(opening);
  return summary === '' || body.startsWith(summary);
}

function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value);
}

/**
 * A link to a file of this site, from the home page. A leading `/` is dropped because root-relative links
 * break under file:// and under a base path; schemes other than http(s) (javascript:, data:) are refused.
 */
function siteRelativeHref(path: string): string {
  if (isHttpUrl(path)) return path;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || /\s/.test(path)) {
    throw new SiteRenderError(`latest digest path must be a site path or an http(s) URL, got "${path}"`);
  }
  return path.replace(/^\/+/, '');
}
