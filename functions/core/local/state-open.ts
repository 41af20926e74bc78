/**
 * Opening the local build state (`state-store.ts` keeps and checks it): the head first, which is all
 * a build that finds nothing changed reads besides `quick.bin`; then the maps and every blob, checked.
 * A damaged state gives an empty one and says what was wrong: the build rebuilds it from the articles.
 */
import type { BlobStore } from '../ports.js';
import { LoadedRecords, RECORDS_TAIL_BLOB } from './records-tail.js';
import {
  type BuildState,
  emptyState,
  RECORD_MAPS,
  type StateDamage,
  type StateHead,
  type StateRecords,
} from './state.js';
import { BLOB_FILE, headProblem } from './state-check.js';
import {
  CheckedBlobStore,
  checkedState,
  damageOf,
  isStateDamage,
  RECORDS_BLOB,
  STATE_BLOB,
  StateDamagedError,
  unsealState,
} from './state-store.js';

export interface OpenedState {
  state: BuildState;
  store: CheckedBlobStore;
  /** Set when the stored state was damaged and this is an empty one, to be rebuilt from the articles. */
  damage?: StateDamage;
}

/**
 * An empty state over `inner`, written as generation 1. `stale`: files the damaged state named, deleted
 * once the rebuilt state is written (only names of the blob pattern, so a forged list reaches no other file).
 */
export function freshState(
  inner: BlobStore,
  damage?: StateDamage,
  stale: readonly string[] = [],
): OpenedState {
  const state = emptyState();
  const retired = stale.filter((file) => BLOB_FILE.test(file));
  const opened: OpenedState = { state, store: new CheckedBlobStore(inner, { retired }, state.build + 1) };
  if (damage) opened.damage = damage;
  return opened;
}

/** The blob files a state names (its own and retired ones), read leniently from a state that may be damaged. */
export function filesNamedBy(state: Partial<Pick<BuildState, 'blobs' | 'retired'>> | undefined): string[] {
  const files: unknown[] = [];
  try {
    files.push(...Object.values(state?.blobs ?? {}).map((entry) => entry?.file));
    if (Array.isArray(state?.retired)) files.push(...state.retired);
  } catch {
    return [];
  }
  return files.filter((file): file is string => typeof file === 'string' && BLOB_FILE.test(file));
}

/** The head of the stored state, its maps not read yet (see `loadRecords`). */
export interface OpenedHead {
  state: StateHead & Partial<StateRecords>;
  store: CheckedBlobStore;
  damage?: StateDamage;
  /** The bytes of `state.json`, to name the files of a state found damaged later. */
  bytes?: Uint8Array;
}

/** Opens and checks the stored state's head; a damaged one gives an empty state and says what was wrong. */
export async function openHead(inner: BlobStore): Promise<OpenedHead> {
  const bytes = await inner.get(STATE_BLOB);
  if (!bytes) return freshState(inner);
  try {
    const state = unsealState(bytes);
    const problem = headProblem(state);
    if (problem) throw new StateDamagedError(STATE_BLOB, `does not hold together: ${problem}`);
    return { state, store: new CheckedBlobStore(inner, state, state.build + 1), bytes };
  } catch (error) {
    if (!isStateDamage(error)) throw error;
    return damagedState(inner, error, bytes);
  }
}

/**
 * The whole state: the head's maps read from `records.bin` (or inline, format 4), the state checked
 * as one, and every blob but the feature segments read and checked.
 */
export async function loadRecords(opened: OpenedHead): Promise<OpenedState> {
  if (opened.damage || !opened.bytes) return opened as OpenedState;
  const { state: head, store } = opened;
  try {
    const inline = head.files !== undefined;
    const records = inline ? head : await recordsOf(store);
    const state = { ...head } as BuildState;
    for (const name of RECORD_MAPS) {
      const map = records[name];
      if (map === undefined) delete state[name];
      else (state as unknown as Record<string, unknown>)[name] = map;
    }
    checkedState(state, inline ? STATE_BLOB : (store.fileOf(RECORDS_BLOB) ?? RECORDS_BLOB));
    await store.verifyAll();
    return { state, store };
  } catch (error) {
    if (!isStateDamage(error)) throw error;
    return damagedState(opened.store.inner, error, opened.bytes);
  }
}

async function recordsOf(store: CheckedBlobStore): Promise<StateRecords> {
  const base = await store.get(RECORDS_BLOB);
  if (!base) throw new StateDamagedError(STATE_BLOB, `names no ${RECORDS_BLOB}`);
  const { records, loaded } = LoadedRecords.decode(base, await store.get(RECORDS_TAIL_BLOB));
  store.loadedRecords = loaded;
  return records;
}

/** The state's maps, read synchronously (the report's lazily listed stories); see `getSync`. */
export function recordsSync(store: CheckedBlobStore): StateRecords {
  const base = store.getSync(RECORDS_BLOB);
  if (!base) throw new StateDamagedError(STATE_BLOB, `names no ${RECORDS_BLOB}`);
  return LoadedRecords.decode(base, store.getSync(RECORDS_TAIL_BLOB)).records;
}

function damagedState(inner: BlobStore, error: unknown, bytes: Uint8Array): OpenedState {
  let named: string[] = [];
  try {
    named = filesNamedBy(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    // Not even JSON: its files are left where they are.
  }
  return freshState(inner, damageOf(error), named);
}

/** Opens and checks the whole stored state; a damaged one gives an empty state and says what was wrong. */
export async function openState(inner: BlobStore): Promise<OpenedState> {
  return loadRecords(await openHead(inner));
}
