/**
 * Related coverage: different stories about one event (seeds 002, 003 and 004 report what 000/001
 * report, in other words) are linked, never merged. Precision first: a wrong "related" link looks
 * broken, a missing one goes unnoticed.
 *
 * Evidence is what two reports of one event share although they share few sentences: named
 * entities (places, people, organisations), weighted by how rare they are in the corpus, within a
 * few days of each other. Candidates come from the entity index (never all pairs); an entity carried
 * by more than `RELATED_ENTITY_MAX_DOCS` articles names a topic, not an event, and counts for nothing.
 */

/** At most this many related stories are kept per story. */
export const RELATED_LIMIT = 5;
/** Entities carried by more articles than this are topics, not events. */
export const RELATED_ENTITY_MAX_DOCS = 40;
/** Reports of one event are at most this far apart. */
export const RELATED_MAX_DAYS = 14;
/** Distinct rare entities two stories must share. */
export const RELATED_MIN_ENTITIES = 4;
/** And their summed weight (each entity weighs 1 / log2(1 + the articles carrying it), so rarer weighs more). */
export const RELATED_MIN_SCORE = 1.5;

const DAY_MS = 86_400_000;

/** A story as relatedness sees it. */
export interface RelatedStory {
  id: string;
  /** ISO date of the story. */
  date: string;
  /** Sorted unique entity hashes of its canonical member. */
  entities: Uint32Array;
}

/** Entity statistics: how many articles carry an entity, and which stories those are. */
export interface EntityLookup {
  /** Articles carrying the entity. */
  docs(entity: number): number | Promise<number>;
  /** Stories whose members carry the entity (called only for entities below the frequency cap). */
  stories(entity: number): Promise<string[]>;
}

export interface RelatedLink {
  id: string;
  score: number;
  shared: number;
}

/** Weight of one shared entity carried by `docs` articles. */
export function entityWeight(docs: number): number {
  return 1 / Math.log2(1 + Math.max(1, docs));
}

/**
 * Every story related to `story`, best first: sharing at least `RELATED_MIN_ENTITIES` rare entities
 * worth `RELATED_MIN_SCORE`, within `RELATED_MAX_DAYS`. A page shows the first `RELATED_LIMIT`.
 * `dateOf` gives a candidate's date, or undefined when it does not exist.
 */
export async function relatedStories(
  story: RelatedStory,
  lookup: EntityLookup,
  dateOf: (id: string) => string | undefined | Promise<string | undefined>,
): Promise<RelatedLink[]> {
  const found = new Map<string, { shared: number; score: number }>();
  for (const entity of story.entities) {
    const docs = await lookup.docs(entity);
    if (docs > RELATED_ENTITY_MAX_DOCS || docs < 2) continue;
    const weight = entityWeight(docs);
    for (const other of new Set(await lookup.stories(entity))) {
      if (other === story.id) continue;
      const hit = found.get(other) ?? { shared: 0, score: 0 };
      hit.shared++;
      hit.score += weight;
      found.set(other, hit);
    }
  }
  const at = Date.parse(story.date);
  const links: RelatedLink[] = [];
  for (const [id, { shared, score }] of found) {
    if (shared < RELATED_MIN_ENTITIES || score < RELATED_MIN_SCORE) continue;
    const date = await dateOf(id);
    if (date === undefined || Math.abs(Date.parse(date) - at) > RELATED_MAX_DAYS * DAY_MS) continue;
    links.push({ id, score: Math.round(score * 1000) / 1000, shared });
  }
  links.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return links;
}
