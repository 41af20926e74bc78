/**
 * A story's page, on either path: its full content read back from the canonical member, and the
 * HTML page the site renderer makes of it. `publish-site.ts` writes the pages through a `PageWriter`
 * (the local build may spread one over worker threads; the cloud writes them one by one).
 */
import { parseArticle } from '../article/parse-article.js';
import type { RelatedLink, SiteConfig, Story, StoryRecord } from '../model.js';
import type { ArticleSource } from '../ports.js';
import type { SiteRenderer } from '../render/site.js';
import { storyFromRecord } from './story-view.js';

/** Renders and writes article pages; the local adapter may spread this over worker threads. */
export type PageWriter = (jobs: PageJob[]) => Promise<number>;

export interface PageJob {
  id: string;
  record: StoryRecord;
  /** The related stories the page links, resolved by the caller (a worker has no catalog). */
  related?: RelatedLink[];
}

/** Loads a story's full content by re-reading its canonical member. */
export async function loadStory(
  source: ArticleSource,
  config: SiteConfig,
  now: Date,
  id: string,
  record: StoryRecord,
  related?: RelatedLink[],
): Promise<Story> {
  const bytes = await source.read(record.canonical);
  const { article } = parseArticle(record.canonical, bytes, { maxBytes: config.maxArticleBytes, now });
  return storyFromRecord(id, record, article, related);
}

export function articlePage(site: SiteRenderer, story: Story) {
  return {
    path: `articles/${story.slug}.html`,
    contentType: 'text/html; charset=utf-8',
    body: site.renderArticle(story),
  };
}
