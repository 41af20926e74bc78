/**
 * A doc's packed features split to fit DynamoDB's 400 KB item limit: kept whole on the doc item when
 * small (nearly always), else cut into chunk items of at most `ITEM_PART_BYTES` each.
 */
import { ITEM_PART_BYTES } from './dynamo-table.js';

export class DocChunksMissingError extends Error {
  override name = 'DocChunksMissingError';
  constructor(docId: string, detail: string) {
    super(`doc ${docId}: stored features are incomplete (${detail})`);
  }
}

/** The chunks of a binary too large for one item; none when it fits. */
export function splitFeatures(packed: Uint8Array): Uint8Array[] {
  if (packed.length <= ITEM_PART_BYTES) return [];
  const parts: Uint8Array[] = [];
  for (let at = 0; at < packed.length; at += ITEM_PART_BYTES) {
    parts.push(packed.slice(at, at + ITEM_PART_BYTES));
  }
  return parts;
}

/** Reassembles chunks 0…count-1; anything missing or of the wrong total size is an error, never a short read. */
export function joinFeatures(
  docId: string,
  parts: ReadonlyMap<number, Uint8Array>,
  count: number,
  bytes: number,
): Uint8Array {
  if (!count) throw new DocChunksMissingError(docId, 'neither features nor chunks on the doc item');
  const out = new Uint8Array(bytes);
  let offset = 0;
  for (let n = 0; n < count; n++) {
    const part = parts.get(n);
    if (!part) throw new DocChunksMissingError(docId, `chunk ${n} of ${count} is missing`);
    if (offset + part.length > bytes)
      throw new DocChunksMissingError(docId, 'chunks exceed the recorded size');
    out.set(part, offset);
    offset += part.length;
  }
  if (offset !== bytes) throw new DocChunksMissingError(docId, `chunks hold ${offset} of ${bytes} bytes`);
  return out;
}
