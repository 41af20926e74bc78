/**
 * The posting layout the candidate index keeps (see `candidate-index.ts`): a bucket directory over the
 * top 16 bits of a key, then (low 16 bits, docNum) pairs sorted by key and docNum; and the ordered
 * merge of a base run with a pending run of one key.
 */

export const BUCKETS = 0x10000;
export const TWO_POW_32 = 4294967296;

export interface Base {
  dir: Uint32Array;
  lows: Uint16Array;
  docs: Uint32Array;
  /** Sorted docNums of every indexed doc. */
  docList: Uint32Array;
}

/** The first index in [from, to) whose value is not below `target` (values ascending). */
export function lowerBound(values: ArrayLike<number>, from: number, to: number, target: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export /**
 * Merges two ascending docNum runs of one fingerprint, dropping repeats, up to `cap` docNums
 * (the lowest ones). `emit` receives each docNum kept.
 */
function mergeRuns(
  baseDocs: Uint32Array,
  baseFrom: number,
  baseTo: number,
  pendingKeys: Float64Array,
  pendingFrom: number,
  pendingTo: number,
  keyOffset: number,
  cap: number,
  emit: (docNum: number) => void,
): void {
  let i = baseFrom;
  let j = pendingFrom;
  let kept = 0;
  let last = -1;
  while (kept < cap && (i < baseTo || j < pendingTo)) {
    const fromBase = i < baseTo ? baseDocs[i]! : TWO_POW_32;
    const fromPending = j < pendingTo ? pendingKeys[j]! - keyOffset : TWO_POW_32;
    let docNum: number;
    if (fromBase <= fromPending) {
      docNum = fromBase;
      i++;
    } else {
      docNum = fromPending;
      j++;
    }
    if (docNum !== last) {
      emit(docNum);
      last = docNum;
      kept++;
    }
  }
}

/** Inserts `value` into the ascending `list` unless present; false when it was already there. */
export function insertSorted(list: number[], value: number): boolean {
  const at = lowerBound(list, 0, list.length, value);
  if (list[at] === value) return false;
  list.splice(at, 0, value);
  return true;
}
