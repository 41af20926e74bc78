import type { RelatedLink, SiteConfig, Story, StoryRecord } from '../model.js';
import { ArticleNotFoundError, type ArticleSource, type Clock, type SiteSink } from '../ports.js';
import type { SiteRenderer } from '../render/site.js';
import type { EditionListing } from '../render/site-listings.js';
import { type CatalogEntry, publishSite, type StoryCatalog } from '../stories/publish-site.js';
import { articlePage, loadStory } from '../stories/story-pages.js';
import { type HubNotifier, notifyHub } from '../websub.js';
import { type InvalidationWait, invalidationCompleted } from './invalidation-wait.js';
import type { CacheInvalidator, PublishStore, SentEdition, SentEditions, StoryItem } from './ports.js';

export interface PublishDeps {
  store: PublishStore;
  /** Articles by key relative to the prefix: story bodies are read from their canonical object. */
  source: ArticleSource;
  sink: SiteSink;
  site: SiteRenderer;
  config: SiteConfig;
  invalidator: CacheInvalidator;
  /** Read once per publish: every page of one run is rendered at the same time. */
  clock: Clock;
  /** Hash of config and templates: when it differs from the stored one, every page is rendered again. */
  renderKey: string;
  getRenderKey(): Promise<string | undefined>;
  setRenderKey(key: string): Promise<void>;
  /**
   * The sent email editions (only when email is configured): the digest archive lists them and the
   * home page links the newest and the archive.
   */
  editions?: SentEditions;
  log?: PublishLog;
  /** Tells the WebSub hub (`config.websub`) about changed feeds: an outbound HTTPS call, no AWS permission. */
  hub?: HubNotifier;
  /** How the hub ping waits for the CDN invalidation to complete (the handler's timers, virtual in tests). */
  invalidationWait: InvalidationWait;
}

export interface PublishLog {
  warn(message: string, fields: Record<string, unknown>): void;
}

/**
 * A story's content from its canonical member, else from the first other member still in the bucket
 * (the title and dates stay the record's); undefined when none is. An object deleted while its
 * removal has not reached the stories yet must not fail the whole site: the story is shown from
 * another copy, or left out until the ingest updates it (which marks it for the next publish).
 */
async function readableStory(
  deps: PublishDeps,
  now: Date,
  id: string,
  record: StoryRecord,
  related?: RelatedLink[],
): Promise<Story | undefined> {
  const keys = [record.canonical, ...record.members.filter((key) => key !== record.canonical)];
  for (const key of keys) {
    try {
      const story = await loadStory(
        deps.source,
        deps.config,
        now,
        id,
        { ...record, canonical: key },
        related,
        // The article's images are read from beside it in the articles bucket and published into the site bucket.
        deps.sink,
      );
      if (key !== record.canonical)
        deps.log?.warn('story shown from another member: its canonical article is missing', {
          storyId: id,
          missing: record.canonical,
          shownFrom: key,
        });
      return story;
    } catch (error) {
      if (!(error instanceof ArticleNotFoundError)) throw error;
      deps.log?.warn('article missing from the articles bucket', { storyId: id, key });
    }
  }
  deps.log?.warn('story left out: none of its articles can be read', { storyId: id, members: keys });
  return undefined;
}

export interface PublishResult {
  stories: number;
  written: number;
  removed: number;
  invalidated: string[];
}

const entry = (story: StoryItem): CatalogEntry => ({ id: story.id, record: story });

/** The digest archive's listing: editions numbered from the first sent, with those of their stories that still exist. */
export function editionListings(
  sent: readonly SentEdition[],
  all: readonly CatalogEntry[],
): EditionListing[] {
  const stories = new Map(all.map(({ id, record }) => [id, record]));
  return sent.map((edition, i) => ({
    number: i + 1,
    date: edition.scheduledTime,
    subject: edition.subject,
    path: edition.path,
    stories: edition.storyIds.flatMap((id) => {
      const record = stories.get(id);
      return record ? [{ title: record.title, slug: record.slug }] : [];
    }),
  }));
}

/**
 * Publishes every story marked dirty since the last run. Marks are cleared only after their story is
 * written and invalidated, and only if unchanged since they were read, so a story changed during a
 * publish is published again by the next run: two publishes never lose a story. A publish that dies
 * part way leaves its marks: the next one renders the same pages again, writes only the objects
 * still missing, and invalidates everything the dead one may have written.
 */
export async function publishDirty(deps: PublishDeps, limit = 1000): Promise<PublishResult> {
  const { store } = deps;
  const now = deps.clock.now();
  const marks = await store.dirty(limit);
  const rerenderAll =
    (await deps.getRenderKey()) !== deps.renderKey || !(await deps.sink.exists('index.html'));
  if (!marks.length && !rerenderAll) return { stories: 0, written: 0, removed: 0, invalidated: [] };

  // A publish that died between writing objects and invalidating them left this record: its objects
  // already hold the new bytes, so this run would write (and invalidate) none of them. Everything is
  // invalidated instead (one wildcard path).
  const interrupted = await store.startPublish();
  const changed: CatalogEntry[] = [];
  const removed: CatalogEntry[] = [];
  const shifted = new Set<string>();
  for (const mark of marks) {
    const story = await store.getStory(mark.storyId);
    if (story) changed.push(entry(story));
    if (story && story.date !== mark.previous?.date) shifted.add(mark.storyId);
    const tagsChanged = (story: StoryItem) => String(story.tags) !== String(mark.previous?.tags ?? []);
    if (
      mark.previous &&
      (!story || story.slug !== mark.previous.slug || story.date !== mark.previous.date || tagsChanged(story))
    ) {
      const gone: StoryRecord = {
        slug: mark.previous.slug,
        date: mark.previous.date,
        canonical: '',
        members: [],
        updated: mark.previous.date,
        title: '',
        evidence: {},
        createdBuild: 0,
        ...(mark.previous.tags ? { tags: mark.previous.tags } : {}),
      };
      removed.push({ id: mark.storyId, record: gone });
    }
  }
  const catalog: StoryCatalog = {
    newest: async (n) => (await store.newest(n)).map(entry),
    month: async (month) => (await store.month(month)).map(entry),
    months: () => store.months(),
  };
  const load = (id: string, record: StoryRecord) => readableStory(deps, now, id, record);
  const sent = (await deps.editions?.sent()) ?? [];
  const newestSent = sent.at(-1);
  const latestDigest = newestSent && { path: newestSent.path, subject: newestSent.subject };
  const result = await publishSite(
    {
      sink: deps.sink,
      site: deps.site,
      config: deps.config,
      ...(latestDigest ? { latestDigest } : {}),
      ...(sent.length ? { editions: async (all) => editionListings(sent, all) } : {}),
      loadStory: load,
      relatedLinks: async (ids) => {
        const links: RelatedLink[] = [];
        for (const id of ids) {
          const story = await store.getStory(id);
          if (story) links.push({ id, title: story.title, slug: story.slug, date: story.date });
        }
        return links;
      },
      now,
      writePages: async (jobs) => {
        let written = 0;
        for (const job of jobs) {
          const story = await readableStory(deps, now, job.id, job.record, job.related);
          if (story && (await deps.sink.write(articlePage(deps.site, story)))) written++;
        }
        // A story none of whose articles can be read is logged by `readableStory`, not reported here.
        return { written, skipped: [] };
      },
    },
    catalog,
    { changed, removed, shifted, rerenderAll },
  );
  // Feeds are cached by CloudFront with a short TTL too; invalidating makes a publish visible at once.
  const invalidated = interrupted ? ['/*'] : [...new Set(result.paths.map((path) => `/${path}`))].sort();
  const invalidation = invalidated.length ? await deps.invalidator.invalidate(invalidated) : undefined;
  await store.finishPublish();
  if (rerenderAll) await deps.setRenderKey(deps.renderKey);
  for (const mark of marks) await store.clearDirty(mark);
  // Only once the CDN serves the new feeds: the hub fetches them at once. A failure is logged, never thrown.
  const { websub } = deps.config;
  if (websub && deps.hub && result.changedFeeds.length) {
    const warn = (line: string) => deps.log?.warn(line, { hub: websub.hub });
    const wait = deps.invalidationWait;
    if (await invalidationCompleted(deps.invalidator, invalidation, wait))
      await notifyHub(deps.hub, websub.hub, result.changedFeeds, { warn });
    else
      warn(
        `warning: WebSub hub ${websub.hub} was not told about ${result.changedFeeds.length} changed feed(s): CloudFront invalidation ${invalidation} still in progress after ${(wait.maxWaitMs ?? 60_000) / 1000} s (the hub would fetch the stale copy); subscribers get them at their next poll`,
      );
  }
  return { stories: changed.length, written: result.written, removed: result.removed, invalidated };
}
