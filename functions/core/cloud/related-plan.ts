/**
 * Related coverage on the cloud path: the lists of the stories an event changes, and of every story
 * whose list it can change, computed from the entity postings in the story table with the local
 * build's rule (`dedup/related.ts`), never by comparing all pairs.
 *
 * A list depends on the story's canonical entities, on which stories carry each of them and how many
 * docs do, and on the stories' dates. An event changes those only for the entities of the docs it
 * touches: the event's doc before and after, the docs it moves to another story, and the members of
 * a story whose date it moves. The stories carrying one of those entities (found through its
 * postings) are the ones recomputed, with the stories the event writes and those they listed. So a
 * story's list is always the one a build from nothing would give it, whatever order the articles
 * came in (an entity crossing the frequency cap aside: it is read one past the cap).
 */
import { RELATED_ENTITY_MAX_DOCS, RELATED_LIMIT, relatedStories } from '../dedup/related.js';
import { articleId } from '../stories/prepare.js';
import type { CorpusIndexStore, DocItem, StoryItem } from './ports.js';
import { INDEX_READS_IN_FLIGHT, inParallel } from './template-plan.js';

export interface RelatedPlanInput {
  index: CorpusIndexStore;
  /** The doc the event takes out: its postings are still stored, and count for nothing. */
  leaving?: string;
  /** The story of each doc the plan places, once it is carried out. */
  placedIn: ReadonlyMap<string, string>;
  /** The stories the plan writes (as written) and the ones it retires. */
  planned: ReadonlyMap<string, StoryItem>;
  retired: ReadonlySet<string>;
  /** Entities of every doc the event touched, before and after. */
  touchedEntities: readonly Uint32Array[];
  story(id: string): Promise<StoryItem | undefined>;
  doc(docId: string): Promise<DocItem | undefined>;
}

/** Postings read per entity: one over the cap, and one more for the doc that may be leaving. */
const ENTITY_READ = RELATED_ENTITY_MAX_DOCS + 2;

/**
 * The related lists (best first, at most `RELATED_LIMIT`) of every story the event may have changed
 * the list of, by story id: the planned stories and their neighbours.
 */
export async function planRelated(input: RelatedPlanInput): Promise<Map<string, string[]>> {
  const { index } = input;
  const carriers = new Map<number, string[]>();
  const carriersOf = async (entity: number) => {
    let ids = carriers.get(entity);
    if (!ids) {
      ids = (await index.entityCarriers(entity, ENTITY_READ)).filter((id) => id !== input.leaving);
      carriers.set(entity, ids);
    }
    return ids;
  };
  const storyOfDoc = new Map(input.placedIn);
  const storiesOf = async (docIds: readonly string[]) => {
    const unknown = docIds.filter((id) => !storyOfDoc.has(id));
    if (unknown.length) {
      const found = await index.docStories(unknown);
      for (const id of unknown) storyOfDoc.set(id, found.get(id) ?? '');
    }
    return docIds.map((id) => storyOfDoc.get(id)!).filter((id) => id !== '');
  };
  const lookup = {
    docs: async (entity: number) => (await carriersOf(entity)).length,
    stories: async (entity: number) => storiesOf(await carriersOf(entity)),
  };
  const storyNow = async (id: string) =>
    input.retired.has(id) ? undefined : (input.planned.get(id) ?? (await input.story(id)));

  // Who may have a new list: the planned stories, what they listed, and every story carrying an
  // entity whose docs or stories the event changed (an entity over the cap counts for no story).
  const entities = [...new Set(input.touchedEntities.flatMap((list) => [...list]))];
  await inParallel(entities, INDEX_READS_IN_FLIGHT, async (entity) => void (await carriersOf(entity)));
  const targets = new Set(input.planned.keys());
  for (const id of input.planned.keys())
    for (const other of (await input.story(id))?.related ?? []) targets.add(other);
  for (const entity of entities) {
    const ids = carriers.get(entity)!;
    if (ids.length <= RELATED_ENTITY_MAX_DOCS + 1) for (const id of await storiesOf(ids)) targets.add(id);
  }

  const changed = new Set(entities);
  const lists = new Map<string, string[]>();
  for (const id of [...targets].sort()) {
    const story = await storyNow(id);
    if (!story) continue;
    const canonical = await input.doc(articleId(story.canonical));
    // A list sums over the canonical's entities: one naming none of the changed entities stays as it is.
    if (!input.planned.has(id) && !canonical?.entities.some((entity) => changed.has(entity))) continue;
    const links = await relatedStories(
      { id, date: story.date, entities: canonical?.entities ?? new Uint32Array(0) },
      lookup,
      async (other) => (await storyNow(other))?.date,
    );
    lists.set(
      id,
      links.slice(0, RELATED_LIMIT).map((link) => link.id),
    );
  }
  return lists;
}
