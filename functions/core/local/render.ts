/**
 * The local build's render step: the digest (when this build made new stories), then every page
 * the change touched, through `stories/publish-site.ts` over the state as an in-memory catalog.
 */
import type { Diagnostic, Edition, RelatedLink, SiteConfig, Story, StoryRecord } from '../model.js';
import type { ArticleSource, Progress, SiteSink } from '../ports.js';
import type { DigestRenderer } from '../render/digest.js';
import type { SiteRenderer } from '../render/site.js';
import { loadOrSkip, writeArticlePages } from '../stories/page-reads.js';
import { type CatalogEntry, monthOf, publishSite, type StoryCatalog } from '../stories/publish-site.js';
import { articlePage, loadStory, type PageJob, type PageWriter } from '../stories/story-pages.js';
import { compareStories } from '../stories/story-view.js';
import { planEdition } from './edition.js';
import { editionListings, type LocalWebSub, pingHub } from './site-extras.js';
import type { BuildState } from './state.js';

export interface Renderers {
  site: SiteRenderer;
  digest: DigestRenderer;
}

/** What rendering needs of the build's dependencies. */
export interface RenderDeps {
  source: ArticleSource;
  sink: SiteSink;
  progress: Progress;
  renderers: Renderers;
  writePages?: PageWriter;
  /** Set when the config names a WebSub hub (`site-extras.ts`). */
  websub?: LocalWebSub;
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

/** The related stories that still exist, as links. */
export function relatedLinksOf(state: BuildState, ids: readonly string[]): RelatedLink[] {
  const links: RelatedLink[] = [];
  for (const id of ids) {
    const record = state.stories[id];
    if (record) links.push({ id, title: record.title, slug: record.slug, date: record.date });
  }
  return links;
}

export interface RenderPlan {
  now: Date;
  changedStories: Map<string, StoryRecord>;
  removedStories: Map<string, StoryRecord>;
  rerenderAll: boolean;
  build: number;
}

/** New stories, and those whose date changed (`removedStories` holds them as they were). */
function shiftedStories(plan: RenderPlan): Set<string> {
  const shifted = new Set<string>();
  for (const [id, record] of plan.changedStories) {
    const before = plan.removedStories.get(id);
    if (record.createdBuild === plan.build || (before && before.date !== record.date)) shifted.add(id);
  }
  return shifted;
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
    all: async () => ordered,
  };
}

export async function render(
  deps: RenderDeps,
  options: { config: SiteConfig },
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
      editions: async () => editionListings(state),
      now: plan.now,
      ...(last ? { latestDigest: { path: 'digest.html', subject: last.subject } } : {}),
    },
    catalog,
    {
      changed: [...plan.changedStories].map(([id, record]) => ({ id, record })),
      removed: [...plan.removedStories].map(([id, record]) => ({ id, record })),
      shifted: shiftedStories(plan),
      rerenderAll: plan.rerenderAll,
    },
  );
  written += result.written;
  await pingHub(config, deps.websub, result.changedFeeds);
  for (const warning of result.skipped)
    if (!skipped.some((w) => w.source === warning.source)) skipped.push(warning);
  const done = { written, removed: result.removed, skipped };
  return edition ? { ...done, edition } : done;
}
