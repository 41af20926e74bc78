/**
 * What a build that finds nothing changed needs, kept beside the state as the blob `quick.bin`:
 * the version of every known article (and the images it names), the rejected and held ones, the
 * story count and the report's lists. Such a build reads this (14 MB at 100,000 articles) and the
 * listing, not the state's maps (84 MB) or the dedup indexes (88 MB).
 *
 * It is written with every state (`CheckedBlobStore.commit`) and named by its head with a checksum,
 * like every blob: it always belongs to the state in force.
 */
import type { Diagnostic } from '../model.js';
import { type MergeReport, mergesOf, warningsOf } from './report.js';
import { type BuildState, type HeldRecord, type RejectedRecord, StateFormatError, utf8 } from './state.js';

export const QUICK_BLOB = 'quick.bin';

/** What the build compares the listing with: the state's articles, rejected and held files. */
export interface KnownArticles {
  /** The version of an article in the state. */
  fileVersion(key: string): string | undefined;
  /** Every key the state knows: its articles, rejected and held files. */
  knownKeys(): string[];
  rejected: Record<string, { version: string }>;
  held: Record<string, { version: string; until: string }>;
}

export function knownOf(state: Pick<BuildState, 'files' | 'rejected' | 'held'>): KnownArticles {
  return {
    fileVersion: (key) => state.files[key]?.version,
    knownKeys: () => [
      ...Object.keys(state.files),
      ...Object.keys(state.rejected),
      ...Object.keys(state.held),
    ],
    rejected: state.rejected,
    held: state.held,
  };
}

/** A merge, as a tuple: `[source, story, into, containment, coverage]`. */
type MergeTuple = [string, string, string, number, number];

/**
 * As stored: arrays rather than objects of 100,000 keys, which JSON decodes several times faster.
 * `keys` and `versions` are the articles, side by side; `named` the images of those that name some.
 */
interface StoredQuick {
  keys: string[];
  versions: string[];
  named: Record<string, string[]>;
  media?: Record<string, string>;
  rejected: Record<string, RejectedRecord>;
  held: Record<string, HeldRecord>;
  stories: number;
  warnings: Diagnostic[];
  merges: MergeTuple[];
}

export interface QuickState extends KnownArticles {
  rejected: Record<string, RejectedRecord>;
  held: Record<string, HeldRecord>;
  /** For `MediaVersions`: the articles that name images, and the images' versions. */
  images: { files: Record<string, { media?: string[] }>; media?: Record<string, string> };
  files: number;
  stories: number;
  warnings: Diagnostic[];
  merges(): MergeReport[];
}

export function* encodeQuick(state: BuildState): Generator<Uint8Array> {
  const keys = Object.keys(state.files);
  const named: StoredQuick['named'] = {};
  for (const key of keys) if (state.files[key]!.media) named[key] = state.files[key]!.media!;
  const rest: Omit<StoredQuick, 'keys' | 'versions'> = {
    named,
    ...(state.media ? { media: state.media } : {}),
    rejected: state.rejected,
    held: state.held,
    stories: Object.keys(state.stories).length,
    warnings: warningsOf(state.files),
    merges: mergesOf(state.stories).map((m) => [m.source, m.story, m.into, m.containment, m.coverage]),
  };
  yield utf8(JSON.stringify(rest).slice(0, -1));
  yield utf8(`,"keys":${JSON.stringify(keys)}`);
  yield utf8(`,"versions":${JSON.stringify(keys.map((key) => state.files[key]!.version))}}`);
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The summary in `bytes`; its checksum was checked by the blob store, this checks its shape. */
export function decodeQuick(bytes: Uint8Array): QuickState {
  let quick: Partial<StoredQuick>;
  try {
    quick = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new StateFormatError(`${QUICK_BLOB} is not valid JSON (${(cause as Error).message})`);
  }
  const sound =
    isMap(quick) &&
    Array.isArray(quick.keys) &&
    Array.isArray(quick.versions) &&
    quick.keys.length === quick.versions.length &&
    isMap(quick.named) &&
    isMap(quick.rejected) &&
    isMap(quick.held) &&
    (quick.media === undefined || isMap(quick.media)) &&
    Number.isSafeInteger(quick.stories) &&
    Array.isArray(quick.warnings) &&
    Array.isArray(quick.merges);
  if (!sound) throw new StateFormatError(`${QUICK_BLOB} is not a summary of the state`);
  const { keys, versions, named, media, rejected, held, stories, warnings, merges } = quick as StoredQuick;
  const version = new Map<string, string>();
  for (let i = 0; i < keys.length; i++) version.set(keys[i]!, versions[i]!);
  const images: QuickState['images'] = { files: {} };
  for (const [key, list] of Object.entries(named)) images.files[key] = { media: list };
  if (media) images.media = media;
  return {
    fileVersion: (key) => version.get(key),
    knownKeys: () => [...keys, ...Object.keys(rejected), ...Object.keys(held)],
    rejected,
    held,
    images,
    files: keys.length,
    stories,
    warnings,
    merges: () =>
      merges.map(([source, story, into, containment, coverage]) => ({
        source,
        story,
        into,
        containment,
        coverage,
      })),
  };
}
