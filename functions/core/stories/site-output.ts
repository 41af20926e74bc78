/**
 * What the parts of a site publish (`publish-site.ts`, `publish-feeds.ts`, `publish-tags.ts`,
 * `publish-sitemaps.ts`) share: how they write and remove files, and how they read full stories.
 */
import type { Story, StoryRecord } from '../model.js';

export interface CatalogEntry {
  id: string;
  record: StoryRecord;
}

export const monthOf = (iso: string) => iso.slice(0, 7);

export interface SiteOutput {
  /** Writes a file unless its bytes are unchanged; true when it was written. */
  write(path: string, contentType: string, body: string): Promise<boolean>;
  /** Removes a file when it exists; true when it did. */
  remove(path: string): Promise<boolean>;
  /** A story's full content, read once per publish; undefined when none of its articles can be read. */
  full(entry: CatalogEntry): Promise<Story | undefined>;
}

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
} as const;

/** Full stories of `entries`, in order, leaving out those that cannot be read. */
export async function fullStories(out: SiteOutput, entries: readonly CatalogEntry[]): Promise<Story[]> {
  const stories: Story[] = [];
  for (const entry of entries) {
    const story = await out.full(entry);
    if (story) stories.push(story);
  }
  return stories;
}
