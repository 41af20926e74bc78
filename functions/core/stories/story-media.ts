import { type MediaReader, publishMedia } from '../media/publish-media.js';
import type { ParsedArticle, RelatedLink, Story, StoryRecord } from '../model.js';
import type { SiteSink } from '../ports.js';

import { storyFromRecord } from './story-view.js';

/**
 * The story of a record with its article's images published into `media` (the site) and its body
 * pointing at them. Without a sink the article's local images are left out of the body: a page never
 * links a path of the articles folder.
 */
export async function storyWithMedia(
  id: string,
  record: StoryRecord,
  article: ParsedArticle,
  reader: MediaReader,
  media: SiteSink | undefined,
  related?: RelatedLink[],
): Promise<Story> {
  const nowhere: SiteSink = { write: async () => false, remove: async () => {}, exists: async () => false };
  const published = await publishMedia(
    media ? reader : { read: () => Promise.reject(new Error('no media sink')) },
    media ?? nowhere,
    article,
  );
  const story = storyFromRecord(id, record, { ...article, blocks: published.blocks }, related);
  if (published.image) story.image = published.image;
  return story;
}
