/**
 * The state's maps stored as a base (`records.bin`, every entry) and a tail (`records-tail.bin`:
 * the entries set or deleted since the base was written). Encoding the 180,000 records of a
 * 100,000-article state as JSON took 1.6 s on every build; an increment now writes the few it
 * changed. Once the tail outgrows an eighth of the base, the base is written whole again.
 *
 * What changed is found by identity: every record loaded is deep-frozen, so code that changes one
 * must put a new object in its map (an assignment to a frozen record throws, in tests and in use,
 * rather than being lost), and an entry whose value is not the loaded one is in the tail.
 *
 * Tail layout (JSON): `{"<map>": {"set": {key: value, …}, "del": [key, …]}, …}`.
 */
import {
  asciiJson,
  asciiText,
  decodeRecords,
  RECORD_MAPS,
  StateFormatError,
  type StateRecords,
} from './state.js';

export const RECORDS_TAIL_BLOB = 'records-tail.bin';

type MapName = (typeof RECORD_MAPS)[number];
type AnyMap = Record<string, unknown>;

interface TailPart {
  set: AnyMap;
  del: string[];
}

/** What the state's maps held when loaded, to find what a build changed. */
export class LoadedRecords {
  private constructor(
    /** Each map's entries as loaded. */
    private readonly loaded: Map<MapName, Map<string, unknown>>,
    /** The stored tail, carried into the next one. */
    private readonly tail: Map<MapName, { set: Set<string>; del: Set<string> }>,
    private readonly baseBytes: number,
  ) {}

  /** The maps in `base` with `tail` applied; every record deep-frozen. */
  static decode(base: Uint8Array, tail?: Uint8Array): { records: StateRecords; loaded: LoadedRecords } {
    const records = decodeRecords(base) as Record<MapName, AnyMap | undefined>;
    const carried = new Map<MapName, { set: Set<string>; del: Set<string> }>();
    if (tail) {
      for (const [name, part] of Object.entries(decodeTail(tail)) as Array<[MapName, TailPart]>) {
        records[name] ??= {};
        const map = records[name];
        for (const [key, value] of Object.entries(part.set)) map[key] = value;
        for (const key of part.del) delete map[key];
        carried.set(name, { set: new Set(Object.keys(part.set)), del: new Set(part.del) });
      }
    }
    const loaded = new Map<MapName, Map<string, unknown>>();
    for (const name of RECORD_MAPS) {
      const map = records[name];
      if (!map) continue;
      const entries = new Map<string, unknown>();
      for (const key in map) {
        deepFreeze(map[key]);
        entries.set(key, map[key]);
      }
      loaded.set(name, entries);
    }
    return { records: records as StateRecords, loaded: new LoadedRecords(loaded, carried, base.length) };
  }

  /**
   * The tail for `state`'s maps: the stored tail's entries as they are now, and every entry set or
   * deleted since loading. Undefined when it is past an eighth of the base: write the base instead.
   */
  encodeTail(state: StateRecords): Uint8Array | undefined {
    const parts: Record<string, TailPart> = {};
    for (const name of RECORD_MAPS) {
      const map = (state[name] ?? {}) as AnyMap;
      const before = this.loaded.get(name) ?? new Map<string, unknown>();
      const carried = this.tail.get(name);
      const set: AnyMap = {};
      const del = new Set<string>();
      for (const key of Object.keys(map)) {
        if (carried?.set.has(key) || before.get(key) !== map[key]) set[key] = map[key];
      }
      // `hasOwn`, not `in`: a file or folder may be named like a property of every object ("toString").
      for (const key of before.keys()) if (!Object.hasOwn(map, key)) del.add(key);
      for (const key of carried?.del ?? []) if (!Object.hasOwn(map, key)) del.add(key);
      if (Object.keys(set).length || del.size) parts[name] = { set, del: [...del] };
    }
    const bytes = asciiJson(JSON.stringify(parts));
    return bytes.length <= Math.max(1 << 16, this.baseBytes / 8) ? bytes : undefined;
  }
}

function decodeTail(bytes: Uint8Array): Record<string, TailPart> {
  let parts: unknown;
  try {
    parts = JSON.parse(asciiText(bytes));
  } catch (cause) {
    throw new StateFormatError(`${RECORDS_TAIL_BLOB} is not valid JSON (${(cause as Error).message})`);
  }
  const isMap = (value: unknown): value is AnyMap =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const names = new Set<string>(RECORD_MAPS);
  if (!isMap(parts)) throw new StateFormatError(`${RECORDS_TAIL_BLOB} is not a JSON object`);
  for (const [name, part] of Object.entries(parts)) {
    const sound =
      names.has(name) &&
      isMap(part) &&
      isMap(part.set) &&
      Array.isArray(part.del) &&
      part.del.every((key) => typeof key === 'string');
    if (!sound) throw new StateFormatError(`${RECORDS_TAIL_BLOB}: ${name} is not a set of changes`);
  }
  return parts as Record<string, TailPart>;
}

/** Freezes a JSON value and everything in it. */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}
