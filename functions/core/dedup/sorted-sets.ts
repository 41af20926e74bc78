/** Set operations on sorted, duplicate-free Uint32Arrays: the representation of every hash set here. */

/** Sorts a copy of `values` and drops repeats. */
export function sortedUnique(values: ArrayLike<number>): Uint32Array {
  // A typed-array copy sorts numerically without a comparator; `from` on a typed array is much slower than `slice`.
  const sorted = (values instanceof Uint32Array ? values.slice() : Uint32Array.from(values)).sort();
  let count = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (count === 0 || sorted[i] !== sorted[count - 1]) sorted[count++] = sorted[i]!;
  }
  return count === sorted.length ? sorted : sorted.slice(0, count);
}

/** |a ∩ b| by a linear merge. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  return mergeShared(a, b);
}

/** The one linear merge of two sorted unique sets: counts the shared values, and writes them to `out` when given. */
function mergeShared(a: Uint32Array, b: Uint32Array, out?: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      if (out) out[n] = x;
      n++;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return n;
}

/** Whether `values` is strictly increasing, i.e. sorted and duplicate-free. */
export function isSortedUnique(values: Uint32Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! >= values[i]!) return false;
  return true;
}

/** a ∩ b, sorted unique, by a linear merge. */
export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  return out.subarray(0, mergeShared(a, b, out));
}
