/**
 * Keeps each story's related-coverage list current after a run: the stories that changed get a new
 * list, and so do the stories that could gain one of them (they share its rare entities) or that
 * listed a story that changed or went away. Lists are computed from the entity index, never by
 * comparing every pair of stories.
 */
import { type EntityLookup, RELATED_LIMIT, type RelatedStory, relatedStories } from '../dedup/related.js';
import type { StoryRecord } from '../model.js';

export interface RelatedUpdateContext {
  stories: Record<string, StoryRecord>;
  lookup: EntityLookup;
  /** Entities of a story's canonical member. */
  entitiesOf(record: StoryRecord): Promise<Uint32Array>;
}

const sameList = (a: readonly string[] | undefined, b: readonly string[]) =>
  (a ?? []).length === b.length && b.every((id, i) => a![i] === id);

/**
 * Recomputes `related` of the stories the run changed and of their neighbours; `changed` gets every
 * story whose record (list included) changed. `retired` are the stories the run removed.
 */
export async function updateRelated(
  ctx: RelatedUpdateContext,
  changed: Map<string, StoryRecord>,
  retired: readonly string[],
): Promise<void> {
  const storyOf = async (id: string): Promise<RelatedStory | undefined> => {
    const record = ctx.stories[id];
    return record && { id, date: record.date, entities: await ctx.entitiesOf(record) };
  };
  const dateOf = (id: string) => ctx.stories[id]?.date;
  /** All stories related to `id`, best first. */
  const recompute = async (id: string): Promise<string[]> => {
    const story = await storyOf(id);
    return story ? (await relatedStories(story, ctx.lookup, dateOf)).map((link) => link.id) : [];
  };

  const touched = new Set([...changed.keys(), ...retired]);
  const neighbours = new Set<string>();
  for (const id of changed.keys()) {
    const record = ctx.stories[id];
    if (!record) continue;
    const all = await recompute(id);
    const list = all.slice(0, RELATED_LIMIT);
    // Every story related to it may now list it, not only the first few it lists.
    for (const other of all) neighbours.add(other);
    for (const other of record.related ?? []) neighbours.add(other);
    // A new object: a record loaded with the state is frozen (see `records-tail.ts`).
    const next: StoryRecord = { ...record };
    if (list.length) next.related = list;
    else delete next.related;
    ctx.stories[id] = next;
    changed.set(id, next);
  }
  if (touched.size) {
    // Stories listing a story that changed or went away: their list may lose it or reorder.
    for (const [id, record] of Object.entries(ctx.stories)) {
      if (record.related?.some((other) => touched.has(other))) neighbours.add(id);
    }
  }
  for (const id of neighbours) {
    if (changed.has(id)) continue;
    const record = ctx.stories[id];
    if (!record) continue;
    const list = (await recompute(id)).slice(0, RELATED_LIMIT);
    if (sameList(record.related, list)) continue;
    const next: StoryRecord = { ...record };
    if (list.length) next.related = list;
    else delete next.related;
    ctx.stories[id] = next;
    changed.set(id, next);
  }
}
