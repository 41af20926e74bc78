/**
 * The local build state on disk, checked and crash-consistent.
 *
 * - `state.json` ends with a checksum of everything before it (`,"checksum":"<sha256>"}`, so the file
 *   stays JSON): a truncated, flipped or hand-edited state is told from a sound one.
 * - It names every binary blob it belongs to (`blobs`: file, size, SHA-256). Blobs are written under
 *   names carrying the build that wrote them (`index.g7.bin`) before `state.json` is replaced, so the
 *   state in force never points at a file a later build has begun to overwrite: a crash at any write
 *   leaves the old state with its own blobs, or the new one with its own, never a mix.
 * - Every blob is checked against its size and checksum before use (segments of stored features on
 *   their first read in a run), and the state's offsets and cross-references are bounded
 *   (`state-check.ts`). Any failure is a `StateDamagedError`: the build starts again from an empty
 *   state and re-reads the articles, which are the source of truth.
 */
import { createHash } from 'node:crypto';
import { CandidateIndexFormatError } from '../dedup/candidate-index.js';
import type { BlobStore } from '../ports.js';
import { PackFormatError } from '../stories/shingle-pack.js';
import { StateMissingError } from './corpus-index.js';
import {
  type BlobEntry,
  type BuildState,
  decodeState,
  emptyState,
  encodeState,
  StateFormatError,
} from './state.js';
import { BLOB_FILE, stateProblem } from './state-check.js';

export const STATE_BLOB = 'state.json';
const TRAILER_HEAD = ',"checksum":"';
const TRAILER = /^,"checksum":"([0-9a-f]{64})"\}$/;
const TRAILER_LENGTH = TRAILER_HEAD.length + 64 + 2;
const encoder = new TextEncoder();

/** A state file that cannot be trusted; `file` is its name in the state folder. */
export class StateDamagedError extends Error {
  override name = 'StateDamagedError';
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`state file ${file} ${problem}`, options);
  }
}

/** What the build reports when it found the state damaged and rebuilt it. */
export interface StateDamage {
  file: string;
  problem: string;
}

/** Whether `error` says the stored state is unusable (and a rebuild from the articles is the fix). */
export function isStateDamage(error: unknown): boolean {
  return (
    error instanceof StateDamagedError ||
    error instanceof StateFormatError ||
    error instanceof StateMissingError ||
    error instanceof PackFormatError ||
    error instanceof CandidateIndexFormatError
  );
}

export function damageOf(error: unknown): StateDamage {
  if (error instanceof StateDamagedError) return { file: error.file, problem: error.problem };
  return { file: STATE_BLOB, problem: `does not match its blobs (${(error as Error).message})` };
}

/** `encodeState` followed by the checksum of its bytes, as the last member of the JSON object. */
export function* sealState(state: BuildState): Generator<Uint8Array> {
  const hash = createHash('sha256');
  let held: Uint8Array | undefined;
  for (const chunk of encodeState(state)) {
    if (held) {
      hash.update(held);
      yield held;
    }
    held = chunk;
  }
  // `encodeState` ends with the object's closing brace, alone: the checksum goes before it.
  if (held?.length !== 1 || held[0] !== 0x7d) throw new Error('encodeState must end with "}"');
  yield encoder.encode(`${TRAILER_HEAD}${hash.digest('hex')}"}`);
}

/** The state in `bytes` if its checksum holds; a `StateDamagedError` saying what is wrong otherwise. */
export function unsealState(bytes: Uint8Array): BuildState {
  if (bytes.length < TRAILER_LENGTH) throw new StateDamagedError(STATE_BLOB, 'is truncated');
  const body = bytes.subarray(0, bytes.length - TRAILER_LENGTH);
  const trailer = TRAILER.exec(new TextDecoder().decode(bytes.subarray(bytes.length - TRAILER_LENGTH)));
  if (!trailer)
    throw new StateDamagedError(STATE_BLOB, 'has no checksum (truncated, or written by an older version)');
  if (createHash('sha256').update(body).digest('hex') !== trailer[1])
    throw new StateDamagedError(STATE_BLOB, 'does not match its checksum (damaged or edited)');
  let state: BuildState & { checksum?: string };
  try {
    state = decodeState(bytes);
  } catch (error) {
    throw new StateDamagedError(STATE_BLOB, (error as Error).message.replace(/;.*$/, ''), { cause: error });
  }
  delete state.checksum;
  const problem = stateProblem(state);
  if (problem) throw new StateDamagedError(STATE_BLOB, `does not hold together: ${problem}`);
  return state;
}

/** `index.bin` written by build 7 is stored as `index.g7.bin`. */
export const generationFile = (name: string, generation: number) =>
  name.replace(/\.bin$/, `.g${generation}.bin`);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const isSegment = (name: string) => name.startsWith('shingles-');

/**
 * The blob store the build works through: blobs by logical name, each checked against the state's
 * list before use, written under this build's names, and made the state in force by `commit`.
 */
export class CheckedBlobStore implements BlobStore {
  private readonly blobs: Record<string, BlobEntry>;
  private readonly verified = new Set<string>();
  /** Blobs read to check them at open, handed to the first `get` instead of being read again. */
  private readonly preloaded = new Map<string, Uint8Array>();

  constructor(
    private readonly inner: BlobStore,
    private readonly previous: Pick<BuildState, 'blobs' | 'retired'>,
    private readonly generation: number,
  ) {
    this.blobs = { ...previous.blobs };
  }

  /** Reads and checks every blob but the feature segments (those are checked on their first read). */
  async verifyAll(): Promise<void> {
    for (const name of Object.keys(this.blobs).sort()) {
      if (isSegment(name)) continue;
      this.preloaded.set(name, await this.read(name, this.blobs[name]!));
    }
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const entry = this.blobs[name];
    if (!entry) return undefined;
    const early = this.preloaded.get(name);
    this.preloaded.delete(name);
    return early ?? this.read(name, entry);
  }

  async getRange(name: string, offset: number, length: number): Promise<Uint8Array> {
    const entry = this.blobs[name];
    if (!entry) throw new StateDamagedError(name, 'is not in the state');
    if (!(offset >= 0 && length >= 0 && offset + length <= entry.size))
      throw new StateDamagedError(
        entry.file,
        `has no bytes ${offset}–${offset + length} (it holds ${entry.size})`,
      );
    if (!this.verified.has(entry.file)) await this.read(name, entry);
    return this.inner.getRange(entry.file, offset, length);
  }

  async put(name: string, bytes: Uint8Array | Iterable<Uint8Array>): Promise<void> {
    const file = generationFile(name, this.generation);
    const hash = createHash('sha256');
    let size = 0;
    const chunks = bytes instanceof Uint8Array ? [bytes] : bytes;
    await this.inner.put(
      file,
      (function* () {
        for (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      })(),
    );
    this.blobs[name] = { file, size, sha256: hash.digest('hex') };
    this.preloaded.delete(name);
    this.verified.add(file);
  }

  /** Drops the blob from the next state; its file goes once that state is written. */
  async delete(name: string): Promise<void> {
    delete this.blobs[name];
    this.preloaded.delete(name);
  }

  /**
   * Writes `state` with the blobs of this run, in one atomic replace of `state.json`, and then
   * deletes the files only the previous state used. A crash before the replace leaves the previous
   * state whole; one after it leaves files that the next commit deletes (they are listed in `retired`).
   */
  async commit(state: BuildState): Promise<void> {
    const kept = new Set(Object.values(this.blobs).map((entry) => entry.file));
    const before = Object.values(this.previous.blobs ?? {}).map((entry) => entry.file);
    state.blobs = this.blobs;
    state.retired = [...new Set(before)].filter((file) => !kept.has(file)).sort();
    await this.inner.put(STATE_BLOB, sealState(state));
    const stale = new Set([...(this.previous.retired ?? []), ...state.retired]);
    for (const file of stale) if (!kept.has(file) && BLOB_FILE.test(file)) await this.inner.delete(file);
  }

  private async read(name: string, entry: BlobEntry): Promise<Uint8Array> {
    const bytes = await this.inner.get(entry.file);
    if (!bytes) throw new StateDamagedError(entry.file, `is missing (the state's ${name})`);
    if (!this.verified.has(entry.file)) {
      if (bytes.length !== entry.size)
        throw new StateDamagedError(entry.file, `holds ${bytes.length} bytes, the state says ${entry.size}`);
      if (sha256(bytes) !== entry.sha256)
        throw new StateDamagedError(entry.file, 'does not match its checksum (damaged)');
      this.verified.add(entry.file);
    }
    return bytes;
  }
}

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

/** Opens and checks the stored state; a damaged one gives an empty state and says what was wrong. */
export async function openState(inner: BlobStore): Promise<OpenedState> {
  const bytes = await inner.get(STATE_BLOB);
  if (!bytes) return freshState(inner);
  try {
    const state = unsealState(bytes);
    const store = new CheckedBlobStore(inner, state, state.build + 1);
    await store.verifyAll();
    return { state, store };
  } catch (error) {
    if (!isStateDamage(error)) throw error;
    let named: string[] = [];
    try {
      named = filesNamedBy(JSON.parse(new TextDecoder().decode(bytes)));
    } catch {
      // Not even JSON: its files are left where they are.
    }
    return freshState(inner, damageOf(error), named);
  }
}
