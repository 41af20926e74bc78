import type { ParsedArticle, RelatedLink, Story, StoryRecord } from '../model.js';
import { blocksToText } from '../render/html.js';

const SUMMARY_CHARS = 280;

/** Cuts text at a word boundary near `max` characters, never mid-word. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const slice = text.slice(0, max + 1);
  const lastSpace = slice.lastIndexOf(' ');
  const cut = lastSpace > max * 0.5 ? slice.slice(0, lastSpace) : text.slice(0, max);
  return `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`;
}

/** The story's summary: the standfirst when there is one, else the start of the body. */
export function summarize(article: ParsedArticle): string {
  if (article.standfirst) return article.standfirst;
  const first = article.blocks.find((block) => block.kind === 'paragraph') ?? article.blocks[0];
  return first ? cutAtWord(blocksToText([first]), SUMMARY_CHARS) : article.title;
}

/** The full story as the renderers see it: the record's identity and dates, the canonical member's content. */
export function storyFromRecord(
  id: string,
  record: StoryRecord,
  canonical: ParsedArticle,
  relatedLinks?: RelatedLink[],
): Story {
  const story: Story = {
    id,
    slug: record.slug,
    title: record.title,
    summary: summarize(canonical),
    date: record.date,
    updated: record.updated,
    tags: canonical.tags,
    blocks: canonical.blocks,
    members: record.members,
    relatedIds: record.related ?? [],
  };
  if (relatedLinks) story.relatedLinks = relatedLinks;
  if (canonical.author) story.author = canonical.author;
  if (canonical.link) story.link = canonical.link;
  return story;
}

/** A story for listings that show only titles and dates (month archives), without reading its body. */
export function listingStory(id: string, record: StoryRecord): Story {
  return {
    id,
    slug: record.slug,
    title: record.title,
    summary: '',
    date: record.date,
    updated: record.updated,
    tags: [],
    blocks: [],
    members: record.members,
    relatedIds: record.related ?? [],
  };
}

/** Newest first; ties broken by id so the order never depends on insertion order. */
export function compareStories(a: { id: string; date: string }, b: { id: string; date: string }): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
