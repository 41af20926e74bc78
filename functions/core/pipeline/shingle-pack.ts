/**
 * A segment of stored shingle sets: the exact data candidates are verified against, so that a new
 * article is compared with everything seen before without re-reading old files. Segments are
 * append-only (one per build); the state records which segment holds each doc.
 *
 * Layout (little-endian uint32): count, then per doc (docNum, shingleCount, fpCount), then the
 * shingle and fingerprint arrays back to back.
 */

export interface PackedDoc {
  shingles: Uint32Array;
  fps: Uint32Array;
}

export function encodePack(docs: ReadonlyMap<number, PackedDoc>): Uint8Array {
  let words = 1 + docs.size * 3;
  for (const doc of docs.values()) words += doc.shingles.length + doc.fps.length;
  const out = new Uint32Array(words);
  out[0] = docs.size;
  let header = 1;
  let body = 1 + docs.size * 3;
  for (const [docNum, doc] of docs) {
    out[header++] = docNum;
    out[header++] = doc.shingles.length;
    out[header++] = doc.fps.length;
    out.set(doc.shingles, body);
    body += doc.shingles.length;
    out.set(doc.fps, body);
    body += doc.fps.length;
  }
  return new Uint8Array(out.buffer);
}

export function decodePack(bytes: Uint8Array): Map<number, PackedDoc> {
  // Copy into an aligned buffer when needed: file reads may hand back an unaligned view.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2);
  const count = words[0] ?? 0;
  const docs = new Map<number, PackedDoc>();
  let body = 1 + count * 3;
  for (let i = 0; i < count; i++) {
    const docNum = words[1 + i * 3]!;
    const shingleCount = words[2 + i * 3]!;
    const fpCount = words[3 + i * 3]!;
    const shingles = words.subarray(body, body + shingleCount);
    body += shingleCount;
    const fps = words.subarray(body, body + fpCount);
    body += fpCount;
    docs.set(docNum, { shingles, fps });
  }
  return docs;
}
