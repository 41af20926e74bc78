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
import { type RenderDeps, render } from './render.js';
import { type BuildReport, withStateReport } from './report.js';
import {
  damageOf,
  filesNamedBy,
  freshState,
  isStateDamage,
  type OpenedState,
  openState,
} from './state-store.js';

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
  const opened = await openState(deps.state);
  try {
    return await buildFrom(deps, options, opened);
  } catch (error) {
    // A stored blob found damaged part way (feature segments are checked on first read): nothing was
    // committed, so the build starts again from an empty state, re-reading every article.
    if (!isStateDamage(error) || opened.damage) throw error;
    return buildFrom(deps, options, freshState(deps.state, damageOf(error), filesNamedBy(opened.state)));
  }
}

async function buildFrom(deps: BuildDeps, options: BuildOptions, opened: OpenedState): Promise<BuildReport> {
  const { config } = options;
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const { state, store } = opened;
  const rebuilt = opened.damage ? { stateRebuilt: opened.damage } : {};
  const entries = await deps.source.list();
  const listed = new Set(entries.map((entry) => entry.key));
  // An article is read again when its bytes changed, or an image it names did.
  const media = new MediaVersions(deps.source);
  const imagesChanged = await media.changedArticles(state);

  // An article held until a time still ahead is left alone; one whose time has come is processed.
  const stillHeld = (key: string, version: string) =>
    state.held[key]?.version === version && state.held[key]!.until > now;
  const toProcess = entries
    .filter(
      (entry) =>
        (state.files[entry.key]?.version !== entry.version || imagesChanged.has(entry.key)) &&
        state.rejected[entry.key]?.version !== entry.version &&
        !stillHeld(entry.key, entry.version),
    )
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const gone = [
    ...Object.keys(state.files),
    ...Object.keys(state.rejected),
    ...Object.keys(state.held),
  ].filter((key) => !listed.has(key));
  const sitePresent = (await deps.sink.exists('feed.xml')) && (await deps.sink.exists('index.html'));
  const rerenderAll = state.renderKey !== options.renderKey || !sitePresent;

  if (toProcess.length === 0 && gone.length === 0 && !rerenderAll) {
    return withStateReport(
      {
        changed: false,
        counts: {
          files: entries.length,
          processed: 0,
          rejected: Object.keys(state.rejected).length,
          stories: Object.keys(state.stories).length,
          merged: Object.keys(state.files).length - Object.keys(state.stories).length,
          written: 0,
          removed: 0,
        },
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
