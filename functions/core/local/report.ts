/**
 * What a local build reports: counts, and the lists (stories, merges, rejected, held, warnings)
 * computed from the state only when read.
 */
import type { Diagnostic } from '../model.js';
import { compareStories } from '../stories/story-view.js';
import type { BuildState, StateDamage } from './state.js';

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

/** Every story, newest first. */
export function storiesOf(stories: BuildState['stories']): StorySummary[] {
  const list: StorySummary[] = [];
  for (const [id, record] of Object.entries(stories)) {
    list.push({
      id,
      title: record.title,
      date: record.date,
      slug: record.slug,
      members: record.members,
      related: record.related ?? [],
    });
  }
  return list.sort(compareStories);
}

/** Every article merged into a story it is not the canonical article of, by story id. */
export function mergesOf(stories: BuildState['stories']): MergeReport[] {
  const merges: MergeReport[] = [];
  for (const id of Object.keys(stories).sort()) {
    const record = stories[id]!;
    for (const [source, figures] of Object.entries(record.evidence))
      merges.push({ source, story: id, into: record.canonical, ...figures });
  }
  return merges;
}

/** The warnings the articles had when they were read, by file. */
export function warningsOf(files: Record<string, { warnings?: string[] }>): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const key of Object.keys(files).sort()) {
    for (const line of files[key]!.warnings ?? []) {
      const space = line.indexOf(' ');
      warnings.push({
        source: key,
        severity: 'warning',
        code: line.slice(0, space),
        message: line.slice(space + 1),
      });
    }
  }
  return warnings;
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : 1);

export const heldOf = (held: BuildState['held']): HeldReport[] =>
  Object.entries(held)
    .sort(byKey)
    .map(([source, record]) => ({ source, until: record.until }));

export const rejectedOf = (rejected: BuildState['rejected']): Diagnostic[] =>
  Object.entries(rejected)
    .sort(byKey)
    .map(([source, r]) => ({ source, severity: 'error', code: r.code, message: r.message }));

/**
 * The report's lists, computed on first use: a build of a large folder that prints only counts must
 * not sort 100,000 stories to build lists nobody reads. The getters are enumerable, so
 * `JSON.stringify` (the CLI's --json) still includes them.
 */
export function withLists<T extends object>(
  report: T,
  lists: { [K in keyof StateReport]: StateReport[K] | (() => StateReport[K]) },
): T & StateReport {
  const properties: PropertyDescriptorMap = {};
  for (const [name, list] of Object.entries(lists)) {
    if (typeof list !== 'function') {
      properties[name] = { enumerable: true, value: list };
      continue;
    }
    let value: unknown;
    properties[name] = { enumerable: true, get: () => (value ??= list()) };
  }
  return Object.defineProperties(report, properties) as T & StateReport;
}

/** The report's lists from the whole state (`skipped`: what this build's render refused). */
export function withStateReport<T extends object>(
  report: T,
  state: BuildState,
  skipped: Diagnostic[] = [],
): T & StateReport {
  return withLists(report, {
    stories: () => storiesOf(state.stories),
    merges: () => mergesOf(state.stories),
    rejected: rejectedOf(state.rejected),
    held: heldOf(state.held),
    warnings: () => [...warningsOf(state.files), ...skipped],
  });
}
