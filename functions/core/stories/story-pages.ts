/**
 * A story's page, on either path: its full content read back from the canonical member, and the
 * HTML page the site renderer makes of it. `publish-site.ts` writes the pages through a `PageWriter`
 * (the local build may spread one over worker threads; the cloud writes them one by one).
 */
import { parseArticle } from '../article/parse-article.js';
import type { RelatedLink, SiteConfig, Story, StoryRecord } from '../model.js';
import type { ArticleSource, SiteSink } from '../ports.js';
import type { SiteRenderer } from '../render/site.js';
import type { PagesWritten } from './page-reads.js';
import { storyWithMedia } from './story-media.js';

/** Renders and writes article pages; the local adapter may spread this over worker threads. */
export type PageWriter = (jobs: PageJob[]) => Promise<PagesWritten>;

export interface PageJob {
  id: string;
  record: StoryRecord;
  /** The related stories the page links, resolved by the caller (a worker has no catalog). */
  related?: RelatedLink[];
}

/**
 * Loads a story's full content by re-reading its canonical member, the version it was deduplicated
 * as (the local folder checks it; see `ArticleSource.read`).
 */
export async function loadStory(
  source: ArticleSource,
  config: SiteConfig,
  now: Date,
  id: string,
  record: StoryRecord,
  related?: RelatedLink[],
  /** Where the article's own images are published (`media/`). */
  media?: SiteSink,
): Promise<Story> {
  const bytes = await source.read(record.canonical, record.canonicalVersion);
  const { article } = parseArticle(record.canonical, bytes, { maxBytes: config.maxArticleBytes, now });
  return storyWithMedia(id, record, article, source, media, related);
}

export function articlePage(site: SiteRenderer, story: Story) {
  return {
    path: `articles/${story.slug}.html`,
    contentType: 'text/html; charset=utf-8',
    body: site.renderArticle(story),
  };
}
