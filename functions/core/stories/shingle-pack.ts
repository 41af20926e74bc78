/**
 * A segment of stored dedup features: the exact data candidates are verified against, so that a new
 * article is compared with everything seen before without re-reading old files. Segments are
 * append-only (one per build); the state records which segment holds each doc.
 *
 * Layout (little-endian uint32): count, then per doc a header (docNum and the length of each array),
 * then the arrays back to back in header order. `flags` travels as a one-word array.
 */
import type { StoredFeatures } from '../dedup/doc-features.js';

export type PackedDoc = StoredFeatures;

type Arrays = Omit<StoredFeatures, 'flags'> & { meta: Uint32Array };
const FIELDS = ['tokens', 'lineEnds', 'fps', 'entities', 'particulars', 'meta'] as const;
const HEADER = 1 + FIELDS.length;

const arraysOf = (doc: PackedDoc): Arrays => ({ ...doc, meta: Uint32Array.of(doc.flags) });

export function encodePack(docs: ReadonlyMap<number, PackedDoc>): Uint8Array {
  let words = 1 + docs.size * HEADER;
  for (const doc of docs.values())
    words +=
      doc.tokens.length +
      doc.lineEnds.length +
      doc.fps.length +
      doc.entities.length +
      doc.particulars.length +
      1;
  const out = new Uint32Array(words);
  out[0] = docs.size;
  let header = 1;
  let body = 1 + docs.size * HEADER;
  for (const [docNum, packed] of docs) {
    const doc = arraysOf(packed);
    out[header++] = docNum;
    for (const field of FIELDS) {
      out[header++] = doc[field].length;
      out.set(doc[field], body);
      body += doc[field].length;
    }
  }
  return new Uint8Array(out.buffer);
}

export class PackFormatError extends Error {
  override name = 'PackFormatError';
}

export function decodePack(bytes: Uint8Array): Map<number, PackedDoc> {
  // Copy into an aligned buffer when needed: file reads may hand back an unaligned view.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2);
  const count = words[0] ?? 0;
  const docs = new Map<number, PackedDoc>();
  let body = 1 + count * HEADER;
  for (let i = 0; i < count; i++) {
    const base = 1 + i * HEADER;
    const arrays: Uint32Array[] = [];
    for (let f = 0; f < FIELDS.length; f++) {
      const length = words[base + 1 + f]!;
      if (body + length > words.length) throw new PackFormatError('shingle pack is truncated');
      arrays.push(words.subarray(body, body + length));
      body += length;
    }
    const [tokens, lineEnds, fps, entities, particulars, meta] = arrays as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    docs.set(words[base]!, { tokens, lineEnds, fps, entities, particulars, flags: meta[0] ?? 0 });
  }
  return docs;
}

/** One doc's features as a self-describing pack; a segment is such packs back to back. */
export function encodeDoc(doc: PackedDoc): Uint8Array {
  return encodePack(new Map([[0, doc]]));
}

export function decodeDoc(bytes: Uint8Array): PackedDoc {
  const doc = decodePack(bytes).get(0);
  if (!doc) throw new PackFormatError('stored doc features are empty');
  return doc;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
