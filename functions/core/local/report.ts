/**
 * What a local build reports: counts, and the lists (stories, merges, rejected, held, warnings)
 * computed from the state only when read.
 */
import type { Diagnostic } from '../model.js';
import { compareStories } from '../stories/story-view.js';
import type { BuildState } from './state.js';
import type { StateDamage } from './state-store.js';

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

type StateReport = Pick<BuildReport, 'stories' | 'merges' | 'rejected' | 'held' | 'warnings'>;

/**
 * The report's lists, computed from the state on first use: a build of a large folder that prints
 * only counts must not sort 100,000 stories to build lists nobody reads. The getters are enumerable,
 * so `JSON.stringify` (the CLI's --json) still includes them.
 */
export function withStateReport<T extends object>(
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
