/**
 * The local build's orchestration: finds what changed in the articles folder since the last run,
 * prepares it (`deps.prepare`), deduplicates it into the state (`ingest.ts`), renders what the change
 * touched (`render.ts`) and reports (`report.ts`). The cloud path does the same steps as separate
 * functions (`core/cloud/`); what both share is in `core/stories/`.
 */
import type { SiteConfig } from '../model.js';
import type { BlobStore, Clock, SourceEntry } from '../ports.js';
import type { PrepareOptions, PrepareOutcome } from '../stories/prepare.js';
import { ingest } from './ingest.js';
import { MediaVersions } from './media-versions.js';
import { decodeQuick, type KnownArticles, knownOf, QUICK_BLOB, type QuickState } from './quick.js';
import { type RenderDeps, render } from './render.js';
import { type BuildReport, heldOf, rejectedOf, storiesOf, withLists, withStateReport } from './report.js';
import {
  filesNamedBy,
  freshState,
  loadRecords,
  type OpenedHead,
  type OpenedState,
  openHead,
  recordsSync,
} from './state-open.js';
import { damageOf, isStateDamage } from './state-store.js';

export { INDEX_BLOB } from './corpus-index.js';
export { SEGMENT_DOCS } from './ingest.js';
export { STATE_BLOB } from './state-store.js';

export interface BuildDeps extends RenderDeps {
  state: BlobStore;
  clock: Clock;
  /** Reads and prepares articles; the local adapter may spread this over worker threads. */
  prepare(entries: SourceEntry[], options: PrepareOptions): Promise<PrepareOutcome[]>;
}

export interface BuildOptions {
  config: SiteConfig;
  /** Hash of everything besides the articles that shapes the output (config, templates); a change re-renders every page. */
  renderKey: string;
}

/**
 * The whole local build: finds what changed in the source since the last run, prepares only that,
 * deduplicates it against the stored index, and re-renders only what the change touched.
 */
export async function build(deps: BuildDeps, options: BuildOptions): Promise<BuildReport> {
  const head = await openHead(deps.state);
  const entries = await deps.source.list();
  // One per build: an image's version is read once, by the no-change check or the build, not by both.
  const media = new MediaVersions(deps.source);
  const unchanged = await answerUnchanged(deps, options, head, entries, media);
  if (unchanged) return unchanged;
  const opened = await loadRecords(head);
  try {
    return await buildFrom(deps, options, opened, entries, media);
  } catch (error) {
    // A stored blob found damaged part way (feature segments are checked on first read): nothing was
    // committed, so the build starts again from an empty state, re-reading every article.
    if (!isStateDamage(error) || opened.damage) throw error;
    const fresh = freshState(deps.state, damageOf(error), filesNamedBy(opened.state));
    return buildFrom(deps, options, fresh, entries, media);
  }
}

/** What the listing says must be read (new, edited, image changed, embargo over) and what left. */
function changesSince(known: KnownArticles, entries: SourceEntry[], imagesChanged: Set<string>, now: string) {
  const listed = new Set(entries.map((entry) => entry.key));
  // An article held until a time still ahead is left alone; one whose time has come is processed.
  const stillHeld = (key: string, version: string) =>
    known.held[key]?.version === version && known.held[key]!.until > now;
  const toProcess = entries
    .filter(
      (entry) =>
        (known.fileVersion(entry.key) !== entry.version || imagesChanged.has(entry.key)) &&
        known.rejected[entry.key]?.version !== entry.version &&
        !stillHeld(entry.key, entry.version),
    )
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const gone = known.knownKeys().filter((key) => !listed.has(key));
  return { toProcess, gone };
}

/** The counts of a build that found nothing to do. */
const unchangedCounts = (listed: number, rejected: number, articles: number, stories: number) => ({
  files: listed,
  processed: 0,
  rejected,
  stories,
  merged: articles - stories,
  written: 0,
  removed: 0,
});

const sitePresent = async (deps: BuildDeps) =>
  (await deps.sink.exists('feed.xml')) && (await deps.sink.exists('index.html'));

/**
 * The report of a build that finds nothing changed, from the state's head and `quick.bin` alone;
 * undefined when something changed (or the summary cannot be used), for the whole build to run.
 */
async function answerUnchanged(
  deps: BuildDeps,
  options: BuildOptions,
  head: OpenedHead,
  entries: SourceEntry[],
  media: MediaVersions,
): Promise<BuildReport | undefined> {
  const { state, store } = head;
  if (head.damage || !store.canReadSync || state.renderKey !== options.renderKey) return undefined;
  if (state.known !== undefined && state.known !== entries.length) return undefined;
  let quick: QuickState;
  try {
    const bytes = await store.get(QUICK_BLOB);
    if (!bytes) return undefined;
    quick = decodeQuick(bytes);
  } catch (error) {
    // The whole state is read and checked next, and rebuilt if it is damaged.
    if (isStateDamage(error)) return undefined;
    throw error;
  }
  const now = deps.clock.now().toISOString();
  const imagesChanged = await media.changedArticles(quick.images);
  const { toProcess, gone } = changesSince(quick, entries, imagesChanged, now);
  if (toProcess.length || gone.length || !(await sitePresent(deps))) return undefined;
  return withLists(
    {
      changed: false,
      counts: unchangedCounts(entries.length, Object.keys(quick.rejected).length, quick.files, quick.stories),
    },
    {
      // Read only when asked for (`--json`): the state's maps, synchronously.
      stories: () => storiesOf(recordsSync(store).stories),
      merges: quick.merges,
      rejected: rejectedOf(quick.rejected),
      held: heldOf(quick.held),
      warnings: quick.warnings,
    },
  );
}

async function buildFrom(
  deps: BuildDeps,
  options: BuildOptions,
  opened: OpenedState,
  entries: SourceEntry[],
  media: MediaVersions,
): Promise<BuildReport> {
  const { config } = options;
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const { state, store } = opened;
  const rebuilt = opened.damage ? { stateRebuilt: opened.damage } : {};
  // An article is read again when its bytes changed, or an image it names did.
  const imagesChanged = await media.changedArticles(state);
  const { toProcess, gone } = changesSince(knownOf(state), entries, imagesChanged, now);
  const rerenderAll = state.renderKey !== options.renderKey || !(await sitePresent(deps));

  if (toProcess.length === 0 && gone.length === 0 && !rerenderAll) {
    return withStateReport(
      {
        changed: false,
        counts: unchangedCounts(
          entries.length,
          Object.keys(state.rejected).length,
          Object.keys(state.files).length,
          Object.keys(state.stories).length,
        ),
        ...rebuilt,
      },
      state,
    );
  }

  // --- Prepare what is new or changed, and ingest it.
  deps.progress.update('reading', 0, toProcess.length);
  const outcomes = toProcess.length
    ? await deps.prepare(toProcess, { maxBytes: config.maxArticleBytes, now })
    : [];
  const build = state.build + 1;
  deps.progress.update('deduplicating', 0, toProcess.length);
  const { changedStories, removedStories } = await ingest(store, state, {
    gone,
    processed: toProcess.map((entry) => entry.key),
    outcomes,
    now,
    build,
  });
  await media.record(state);
  // An article read again for its images keeps its story record: its story is rendered again anyway.
  for (const key of imagesChanged) {
    const id = state.files[key]?.story;
    if (id && state.stories[id] && !changedStories.has(id)) changedStories.set(id, state.stories[id]);
  }

  // --- Render.
  const written = await render(deps, options, state, {
    now: nowDate,
    changedStories,
    removedStories,
    rerenderAll,
    build,
  });
  state.build = build;
  state.renderKey = options.renderKey;
  await store.commit(state);
  deps.progress.done();

  return withStateReport(
    {
      changed: true,
      counts: {
        files: entries.length,
        processed: toProcess.length,
        rejected: Object.keys(state.rejected).length,
        stories: Object.keys(state.stories).length,
        merged: Object.keys(state.files).length - Object.keys(state.stories).length,
        written: written.written,
        removed: written.removed,
      },
      ...(written.edition ? { edition: written.edition } : {}),
      ...rebuilt,
    },
    state,
    written.skipped,
  );
}
