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
import { encodeQuick, QUICK_BLOB } from './quick.js';
import { type LoadedRecords, RECORDS_TAIL_BLOB } from './records-tail.js';
import {
  type BlobEntry,
  type BuildState,
  decodeHead,
  encodeHead,
  encodeRecords,
  type StateDamage,
  StateFormatError,
  type StateHead,
  type StateRecords,
  utf8,
} from './state.js';
import { BLOB_FILE, stateProblem } from './state-check.js';

export const STATE_BLOB = 'state.json';
/** The state's maps (`StateRecords`), as JSON. */
export const RECORDS_BLOB = 'records.bin';
const TRAILER_HEAD = ',"checksum":"';
const TRAILER = /^,"checksum":"([0-9a-f]{64})"\}$/;
const TRAILER_LENGTH = TRAILER_HEAD.length + 64 + 2;

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

/** The head (`encodeHead`) followed by the checksum of its bytes, as the last member of the JSON object. */
export function* sealState(state: BuildState): Generator<Uint8Array> {
  const head = encodeHead(state);
  yield head;
  yield utf8(`${TRAILER_HEAD}${sha256(head)}"}`);
}

/**
 * The head in `bytes` if its checksum holds; a `StateDamagedError` saying what is wrong otherwise.
 * Its maps are in `records.bin` (`loadRecords`), or inline in a format-4 state.
 */
export function unsealState(bytes: Uint8Array): StateHead & Partial<StateRecords> {
  if (bytes.length < TRAILER_LENGTH) throw new StateDamagedError(STATE_BLOB, 'is truncated');
  const body = bytes.subarray(0, bytes.length - TRAILER_LENGTH);
  const trailer = TRAILER.exec(new TextDecoder().decode(bytes.subarray(bytes.length - TRAILER_LENGTH)));
  if (!trailer)
    throw new StateDamagedError(STATE_BLOB, 'has no checksum (truncated, or written by an older version)');
  if (sha256(body) !== trailer[1])
    throw new StateDamagedError(STATE_BLOB, 'does not match its checksum (damaged or edited)');
  let state: StateHead & Partial<StateRecords> & { checksum?: string };
  try {
    state = decodeHead(bytes);
  } catch (error) {
    throw new StateDamagedError(STATE_BLOB, (error as Error).message.replace(/;.*$/, ''), { cause: error });
  }
  delete state.checksum;
  return state;
}

/** A whole state, checked as one: its maps and its head must hold together (`state-check.ts`). */
export function checkedState(state: BuildState, file = RECORDS_BLOB): BuildState {
  const problem = stateProblem(state);
  if (problem) throw new StateDamagedError(file, `does not hold together: ${problem}`);
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
  /** The maps as loaded, when they were (`state-open.ts`): what a commit compares them with. */
  loadedRecords?: LoadedRecords;
  /** Blobs read to check them at open, handed to the first `get` instead of being read again. */
  private readonly preloaded = new Map<string, Uint8Array>();

  constructor(
    readonly inner: BlobStore,
    private readonly previous: Pick<BuildState, 'blobs' | 'retired'>,
    private readonly generation: number,
  ) {
    this.blobs = { ...previous.blobs };
  }

  /** Reads and checks every blob but the feature segments (those are checked on their first read). */
  async verifyAll(): Promise<void> {
    for (const name of Object.keys(this.blobs).sort()) {
      const entry = this.blobs[name]!;
      if (isSegment(name) || this.verified.has(entry.file)) continue;
      const bytes = await this.read(name, entry);
      // The maps and the summary are read once, before this: only the indexes are read again.
      if (name !== RECORDS_BLOB && name !== RECORDS_TAIL_BLOB && name !== QUICK_BLOB)
        this.preloaded.set(name, bytes);
    }
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const entry = this.blobs[name];
    if (!entry) return undefined;
    const early = this.preloaded.get(name);
    this.preloaded.delete(name);
    return early ?? this.read(name, entry);
  }

  /** The file a blob is stored in. */
  fileOf(name: string): string | undefined {
    return this.blobs[name]?.file;
  }

  /** `get`, synchronously, when the inner store can (the report's lazily listed stories need it). */
  getSync(name: string): Uint8Array | undefined {
    const entry = this.blobs[name];
    if (!entry || !this.inner.getSync) return undefined;
    const bytes = this.inner.getSync(entry.file);
    return bytes && this.checked(name, entry, bytes);
  }

  get canReadSync(): boolean {
    return this.inner.getSync !== undefined;
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
    state.known = [state.files, state.rejected, state.held].reduce(
      (n, map) => n + Object.keys(map).length,
      0,
    );
    // The maps: only what changed since they were loaded, while that is small (`records-tail.ts`).
    const tail = this.loadedRecords?.encodeTail(state);
    if (tail) {
      await this.put(RECORDS_TAIL_BLOB, tail);
    } else {
      await this.put(RECORDS_BLOB, encodeRecords(state));
      await this.delete(RECORDS_TAIL_BLOB);
    }
    await this.put(QUICK_BLOB, encodeQuick(state));
    const kept = new Set(Object.values(this.blobs).map((entry) => entry.file));
    const before = Object.values(this.previous.blobs ?? {}).map((entry) => entry.file);
    state.blobs = this.blobs;
    state.retired = [...new Set(before)].filter((file) => !kept.has(file)).sort();
    await this.inner.put(STATE_BLOB, sealState(state));
    const stale = new Set([...(this.previous.retired ?? []), ...state.retired]);
    for (const file of stale) if (!kept.has(file) && BLOB_FILE.test(file)) await this.inner.delete(file);
  }

  private async read(name: string, entry: BlobEntry): Promise<Uint8Array> {
    return this.checked(name, entry, await this.inner.get(entry.file));
  }

  private checked(name: string, entry: BlobEntry, bytes: Uint8Array | undefined): Uint8Array {
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
