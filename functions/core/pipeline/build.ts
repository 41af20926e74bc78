import { parseArticle } from '../article/parse-article.js';
import type { Diagnostic, Edition, RelatedLink, SiteConfig, Story } from '../model.js';
import type { ArticleSource, BlobStore, Clock, Progress, SiteSink, SourceEntry } from '../ports.js';
import type { DigestRenderer } from '../render/digest.js';
import type { SiteRenderer } from '../render/site.js';
import { planEdition } from './edition.js';
import { ingest } from './local-ingest.js';
import { loadOrSkip, type PagesWritten, writeArticlePages } from './page-reads.js';
import type { PrepareOptions, PrepareOutcome } from './prepare.js';
import { type CatalogEntry, monthOf, publishSite, type StoryCatalog } from './publish-site.js';
import type { BuildState, StoryRecord } from './state.js';
import {
  damageOf,
  filesNamedBy,
  freshState,
  isStateDamage,
  type OpenedState,
  openState,
  type StateDamage,
} from './state-store.js';
import { storyWithMedia } from './story-media.js';
import { compareStories } from './story-view.js';

export { INDEX_BLOB } from './corpus-index.js';
export { SEGMENT_DOCS } from './local-ingest.js';
export { STATE_BLOB } from './state-store.js';

export interface Renderers {
  site: SiteRenderer;
  digest: DigestRenderer;
}

/** Renders and writes article pages; the local adapter may spread this over worker threads. */
export type PageWriter = (jobs: PageJob[]) => Promise<PagesWritten>;

export interface PageJob {
  id: string;
  record: StoryRecord;
  /** The related stories the page links, resolved by the caller (a worker has no catalog). */
  related?: RelatedLink[];
}

export interface BuildDeps {
  source: ArticleSource;
  sink: SiteSink;
  state: BlobStore;
  clock: Clock;
  progress: Progress;
  renderers: Renderers;
  /** Reads and prepares articles; the local adapter may spread this over worker threads. */
  prepare(entries: SourceEntry[], options: PrepareOptions): Promise<PrepareOutcome[]>;
  writePages?: PageWriter;
}

export interface BuildOptions {
  config: SiteConfig;
  /** Hash of everything besides the articles that shapes the output (config, templates); a change re-renders every page. */
  renderKey: string;
}

export interface StorySummary {
  id: string;
  title: string;
  date: string;
  slug: string;
  members: string[];
  /** Ids of other stories on the same event. */
  related: string[];
}

export interface MergeReport {
  source: string;
  story: string;
  into: string;
  containment: number;
  coverage: number;
}

export interface HeldReport {
  source: string;
  /** ISO time from which the article is published. */
  until: string;
}

export interface BuildReport {
  /** Whether anything was parsed, deduplicated or written. */
  changed: boolean;
  counts: {
    files: number;
    processed: number;
    rejected: number;
    stories: number;
    merged: number;
    written: number;
    removed: number;
  };
  stories: StorySummary[];
  merges: MergeReport[];
  rejected: Diagnostic[];
  /** Articles dated after the build: held, unpublished, until then (an embargo). */
  held: HeldReport[];
  warnings: Diagnostic[];
  edition?: { id: string; subject: string; stories: number };
  /** The stored state was damaged: which file, what was wrong; the build rebuilt it from the articles. */
  stateRebuilt?: StateDamage;
}

/**
 * Loads a story's full content by re-reading its canonical member, the version it was deduplicated
 * as (the local folder checks it; see `ArticleSource.read`).
 */
export async function loadStory(
  source: ArticleSource,
  config: SiteConfig,
  now: Date,
  id: string,
  record: StoryRecord,
  related?: RelatedLink[],
  /** Where the article's own images are published (`media/`). */
  media?: SiteSink,
): Promise<Story> {
  const bytes = await source.read(record.canonical, record.canonicalVersion);
  const { article } = parseArticle(record.canonical, bytes, { maxBytes: config.maxArticleBytes, now });
  return storyWithMedia(id, record, article, source, media, related);
}

/** The default page writer: one page after another, in this thread. */
export function sequentialPageWriter(
  source: ArticleSource,
  sink: SiteSink,
  site: SiteRenderer,
  config: SiteConfig,
  now: Date,
): PageWriter {
  return (jobs) =>
    writeArticlePages(
      jobs,
      (job: PageJob) => loadStory(source, config, now, job.id, job.record, job.related ?? [], sink),
      sink,
      (story) => articlePage(site, story),
    );
}

export function articlePage(site: SiteRenderer, story: Story) {
  return {
    path: `articles/${story.slug}.html`,
    contentType: 'text/html; charset=utf-8',
    body: site.renderArticle(story),
  };
}

type StateReport = Pick<BuildReport, 'stories' | 'merges' | 'rejected' | 'held' | 'warnings'>;

/**
 * The report's lists, computed from the state on first use: a build of a large folder that prints
 * only counts must not sort 100,000 stories to build lists nobody reads. The getters are enumerable,
 * so `JSON.stringify` (the CLI's --json) still includes them.
 */
function withStateReport<T extends object>(
  report: T,
  state: BuildState,
  skipped: Diagnostic[] = [],
): T & StateReport {
  let lists: StateReport | undefined;
  const compute = (): StateReport => {
    if (lists) return lists;
    const stories: StorySummary[] = [];
    const merges: MergeReport[] = [];
    for (const id of Object.keys(state.stories).sort()) {
      const record = state.stories[id]!;
      stories.push({
        id,
        title: record.title,
        date: record.date,
        slug: record.slug,
        members: record.members,
        related: record.related ?? [],
      });
      for (const [source, figures] of Object.entries(record.evidence)) {
        merges.push({ source, story: id, into: record.canonical, ...figures });
      }
    }
    stories.sort(compareStories);
    const warnings: Diagnostic[] = [];
    for (const key of Object.keys(state.files).sort()) {
      for (const line of state.files[key]!.warnings ?? []) {
        const space = line.indexOf(' ');
        warnings.push({
          source: key,
          severity: 'warning',
          code: line.slice(0, space),
          message: line.slice(space + 1),
        });
      }
    }
    warnings.push(...skipped);
    lists = { stories, merges, rejected, held, warnings };
    return lists;
  };
  const held: HeldReport[] = Object.entries(state.held)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([source, record]) => ({ source, until: record.until }));
  const rejected: Diagnostic[] = Object.entries(state.rejected)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([source, r]) => ({ source, severity: 'error', code: r.code, message: r.message }));
  const lazy = (name: 'stories' | 'merges' | 'warnings') => ({
    enumerable: true,
    get: () => compute()[name],
  });
  return Object.defineProperties(report, {
    stories: lazy('stories'),
    merges: lazy('merges'),
    rejected: { enumerable: true, value: rejected },
    held: { enumerable: true, value: held },
    warnings: lazy('warnings'),
  }) as T & StateReport;
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

  // An article held until a time still ahead is left alone; one whose time has come is processed.
  const stillHeld = (key: string, version: string) =>
    state.held[key]?.version === version && state.held[key]!.until > now;
  const toProcess = entries
    .filter(
      (entry) =>
        state.files[entry.key]?.version !== entry.version &&
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

/** The related stories that still exist, as links. */
export function relatedLinksOf(state: BuildState, ids: readonly string[]): RelatedLink[] {
  const links: RelatedLink[] = [];
  for (const id of ids) {
    const record = state.stories[id];
    if (record) links.push({ id, title: record.title, slug: record.slug, date: record.date });
  }
  return links;
}

interface RenderPlan {
  now: Date;
  changedStories: Map<string, StoryRecord>;
  removedStories: Map<string, StoryRecord>;
  rerenderAll: boolean;
  build: number;
}

/** The local state as a story catalog: everything is in memory. */
function stateCatalog(state: BuildState): StoryCatalog & { ordered: CatalogEntry[] } {
  const ordered = Object.entries(state.stories)
    .map(([id, record]) => ({ id, date: record.date, record }))
    .sort(compareStories)
    .map(({ id, record }) => ({ id, record }));
  const byMonth = new Map<string, CatalogEntry[]>();
  for (const entry of ordered) {
    const month = monthOf(entry.record.date);
    const list = byMonth.get(month);
    if (list) list.push(entry);
    else byMonth.set(month, [entry]);
  }
  return {
    ordered,
    newest: async (limit) => ordered.slice(0, limit),
    month: async (month) => byMonth.get(month) ?? [],
    months: async () => [...byMonth].map(([month, list]) => ({ month, count: list.length })),
  };
}

async function render(
  deps: BuildDeps,
  options: BuildOptions,
  state: BuildState,
  plan: RenderPlan,
): Promise<{
  written: number;
  removed: number;
  skipped: Diagnostic[];
  edition?: { id: string; subject: string; stories: number };
}> {
  const { config } = options;
  const { site, digest } = deps.renderers;
  const catalog = stateCatalog(state);
  const loaded = new Map<string, Story | undefined>();
  const skipped: Diagnostic[] = [];
  // Undefined when the article cannot be read now (see `page-reads.ts`): the story is left out.
  const full = async (id: string, record: StoryRecord) => {
    if (!loaded.has(id))
      loaded.set(
        id,
        await loadOrSkip(
          () => loadStory(deps.source, config, plan.now, id, record, undefined, deps.sink),
          id,
          record,
          skipped,
        ),
      );
    return loaded.get(id);
  };
  let written = 0;
  const write = async (path: string, contentType: string, body: string) => {
    if (await deps.sink.write({ path, contentType, body })) written++;
  };

  // The digest first: the home page links to the edition it may create.
  // New this build and never mailed, under this id or another (see `mailed.ts`).
  const fresh = catalog.ordered.filter(
    ({ record }) => record.createdBuild === plan.build && record.mailed === undefined,
  );
  let edition: { id: string; subject: string; stories: number } | undefined;
  const writeDigest = async (number: number, picked: CatalogEntry[]) => {
    const stories: Story[] = [];
    for (const { id, record } of picked) {
      const story = await full(id, record);
      if (story) stories.push(story);
    }
    // None of them can be read now (see `page-reads.ts`): no edition this build.
    if (!stories.length) return undefined;
    const next: Edition = planEdition(number, stories);
    const parts = digest.render(next, {
      viewInBrowserUrl: `${config.siteUrl}digest.html`,
      unsubscribeUrl: config.digest.unsubscribeUrl,
    });
    await write('digest.html', 'text/html; charset=utf-8', parts.html);
    await write('digest.txt', 'text/plain; charset=utf-8', parts.text);
    await write('digest-subject.txt', 'text/plain; charset=utf-8', `${parts.subject}\n`);
    return { next, subject: parts.subject };
  };
  const lastEdition = state.editions[state.editions.length - 1];
  const candidates = fresh.slice(0, config.digest.maxStories);
  const digestWritten = candidates.length
    ? await writeDigest(state.editions.length + 1, candidates)
    : undefined;
  if (digestWritten) {
    const { next, subject } = digestWritten;
    const number = state.editions.length + 1;
    // A story whose article could not be read is not in the edition, and is not marked as mailed.
    const picked = candidates.filter(({ id }) => loaded.get(id));
    state.editions.push({
      id: next.id,
      number,
      date: next.date,
      subject,
      storyIds: picked.map(({ id }) => id),
      build: plan.build,
    });
    for (const { record } of picked) {
      record.mailed = number;
      for (const key of record.members) {
        const docId = state.files[key]?.docId;
        if (docId) state.mailedDocs[docId] ??= number;
      }
    }
    edition = { id: next.id, subject, stories: picked.length };
  } else if (!fresh.length && plan.rerenderAll && lastEdition) {
    // Templates changed or the site was deleted: show the last edition again, with what is left of it.
    const picked = catalog.ordered.filter(({ id }) => lastEdition.storyIds.includes(id));
    if (picked.length) await writeDigest(lastEdition.number, picked);
  }

  const last = state.editions[state.editions.length - 1];
  deps.progress.update('writing pages', 0, plan.changedStories.size);
  const result = await publishSite(
    {
      sink: deps.sink,
      site,
      config,
      writePages: deps.writePages ?? sequentialPageWriter(deps.source, deps.sink, site, config, plan.now),
      loadStory: full,
      relatedLinks: async (ids) => relatedLinksOf(state, ids),
      ...(last ? { latestDigest: { path: 'digest.html', subject: last.subject } } : {}),
    },
    catalog,
    {
      changed: [...plan.changedStories].map(([id, record]) => ({ id, record })),
      removed: [...plan.removedStories].map(([id, record]) => ({ id, record })),
      rerenderAll: plan.rerenderAll,
    },
  );
  written += result.written;
  for (const warning of result.skipped)
    if (!skipped.some((w) => w.source === warning.source)) skipped.push(warning);
  const done = { written, removed: result.removed, skipped };
  return edition ? { ...done, edition } : done;
}
