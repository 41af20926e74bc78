import type { SiteConfig, Story } from '../model.js';
import type { TagEntry } from '../tags.js';
import { blocksToHtml } from './html.js';
import { type Locale, localeFor } from './locale.js';
import { articleMeta, NO_META } from './page-meta.js';
import {
  type DigestsContext,
  type EditionListing,
  renderDigestsPage,
  renderTagPage,
  type TagContext,
} from './site-listings.js';
import { newestFirst, type PageContext, pageContextOf, type StoryView, storyView } from './site-views.js';
import { compileTemplate, isMonth, monthOf, type Render, type TemplateSources } from './templates.js';

/** A caller passed something no page can be built from (a malformed month, an unsafe link). */
export { imageUrl } from './page-meta.js';

export class SiteRenderError extends Error {
  override name = 'SiteRenderError';
}

interface IndexContext extends PageContext {
  stories: StoryView[];
  months: { label: string; url: string; count: number; countLabel: string }[];
  latestDigest: { url: string; subject: string } | null;
  /** The digest archive page, when there is one. */
  digestsArchive: string | null;
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
  tag: Render<TagContext>;
  digests: Render<DigestsContext>;
}

export interface IndexInput {
  stories: readonly Story[];
  months: readonly { month: string; count: number }[];
  latestDigest?: { path: string; subject: string };
  /** The site has a digest archive (`digests/index.html`). */
  digestsArchive?: boolean;
}

/**
 * Renders the static site: the home page, one page per story under `articles/`, one page per month
 * under `archive/`. Links between pages are relative; only canonical and feed autodiscovery URLs are absolute.
 */
export class SiteRenderer {
  private constructor(
    private readonly templates: Templates,
    private readonly config: SiteConfig,
    /** The interface text of pages and feeds (the tag feeds' descriptions). */
    readonly locale: Locale,
  ) {}

  /** `locale`: the composition root's, whose warnings reach its log; by default the config language's. */
  static create(
    sources: Pick<TemplateSources, 'layout' | 'index' | 'article' | 'archive' | 'tag' | 'digests'>,
    config: SiteConfig,
    locale: Locale = localeFor(config.language),
  ): SiteRenderer {
    const options = { locale };
    return new SiteRenderer(
      {
        layout: sources.layout === undefined ? null : compileTemplate('layout', sources.layout, options),
        index: compileTemplate('index', sources.index, options),
        article: compileTemplate('article', sources.article, options),
        archive: compileTemplate('archive', sources.archive, options),
        tag: compileTemplate('tag', sources.tag, options),
        digests: compileTemplate('digests', sources.digests, options),
      },
      config,
      locale,
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
        label: this.locale.month(month),
        url: `archive/${month}.html`,
        count,
        countLabel: this.locale.t('site.storyCount', { count }),
      }));
    const latestDigest = input.latestDigest
      ? { url: siteRelativeHref(input.latestDigest.path), subject: input.latestDigest.subject }
      : null;
    const page = pageContextOf(
      this.config,
      '',
      { title: this.config.title, description: this.config.description, canonicalUrl: this.config.siteUrl },
      NO_META,
    );
    return this.wrap(
      page,
      this.templates.index({
        ...page,
        stories: newestFirst(input.stories).map((story) => storyView(story, 'articles/', '', this.locale)),
        months,
        latestDigest,
        digestsArchive: input.digestsArchive ? 'digests/index.html' : null,
        subscribeUrl: this.config.subscribeUrl ?? null,
      }),
    );
  }

  /** `articles/<slug>.html`: the whole story, with a link to the original when it has a safe one. */
  renderArticle(story: Story): string {
    const canonicalUrl = `${this.config.siteUrl}articles/${story.slug}.html`;
    const page = pageContextOf(
      this.config,
      '../',
      { title: `${story.title} — ${this.config.title}`, description: story.summary, canonicalUrl },
      articleMeta(story, canonicalUrl, this.config),
    );
    const view = storyView(story, '', '../', this.locale);
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
          otherVersions: others > 0 ? this.locale.t('article.otherVersions', { count: others }) : null,
          related: (story.relatedLinks ?? []).map((link) => ({
            title: link.title,
            url: `${link.slug}.html`,
            date: this.locale.date(link.date),
            isoDate: link.date,
          })),
        },
      }),
    );
  }

  /** `archive/<YYYY-MM>.html`: the stories of that month, newest first. Stories from other months are left out. */
  renderArchiveMonth(month: string, stories: readonly Story[]): string {
    if (!isMonth(month)) throw new SiteRenderError(`archive month must be YYYY-MM, got "${month}"`);
    const monthLabel = this.locale.month(month);
    const inMonth = newestFirst(stories.filter((story) => monthOf(story.date) === month));
    const page = pageContextOf(
      this.config,
      '../',
      {
        title: `${monthLabel} — ${this.config.title}`,
        description: this.locale.t('archive.description', { count: inMonth.length, month: monthLabel }),
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
        countLabel: this.locale.t('site.storyCount', { count: inMonth.length }),
        stories: inMonth.map((story) => storyView(story, '../articles/', '../', this.locale)),
      }),
    );
  }

  /** `tags/<slug>/index.html`: the stories with that tag, newest first, and the tag's feeds. */
  renderTag(tag: TagEntry, stories: readonly Story[]): string {
    return renderTagPage(
      this.config,
      this.templates.tag,
      (page, content) => this.wrap(page, content),
      tag,
      stories,
      this.locale,
    );
  }

  /** `digests/index.html`: every email edition, newest first. */
  renderDigests(editions: readonly EditionListing[]): string {
    return renderDigestsPage(
      this.config,
      this.templates.digests,
      (page, content) => this.wrap(page, content),
      editions,
      this.locale,
    );
  }

  private wrap(page: PageContext, content: string): string {
    return this.templates.layout ? this.templates.layout({ ...page, content }) : content;
  }
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
