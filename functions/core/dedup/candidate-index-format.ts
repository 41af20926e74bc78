/**
 * The candidate index's bytes: a little-endian uint32 header (magic, version, posting cap, posting
 * count, doc count, 3 reserved), the bucket directory, the docNums, the sorted doc list, then the
 * uint16 lows. Loading is a handful of typed-array views into the bytes, every bound checked first.
 */
import { type Base, BUCKETS } from './posting-runs.js';

const MAGIC = 0x58444943; // "CIDX" read as little-endian uint32
const FORMAT_VERSION = 1;
const HEADER_WORDS = 8;

/**
 * The format is little-endian and read through native typed arrays, so big-endian hosts are refused
 * rather than silently misread (Lambda, x86-64 and arm64 are all little-endian).
 */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export class CandidateIndexFormatError extends Error {
  override name = 'CandidateIndexFormatError';
}

function checkLittleEndian(): void {
  if (!LITTLE_ENDIAN)
    throw new CandidateIndexFormatError('candidate index: big-endian hosts are not supported');
}

/** `base` as bytes. Deterministic: the same postings give the same bytes. */
export function encodeBase(base: Base, postingCap: number): Uint8Array {
  checkLittleEndian();
  const { dir, lows, docs, docList } = base;
  const postings = docs.length;
  const words = HEADER_WORDS + dir.length + postings + docList.length + Math.ceil(postings / 2);
  const out = new Uint32Array(words);
  out.set([MAGIC, FORMAT_VERSION, postingCap, postings, docList.length]);
  let at = HEADER_WORDS;
  out.set(dir, at);
  at += dir.length;
  out.set(docs, at);
  at += postings;
  out.set(docList, at);
  at += docList.length;
  new Uint16Array(out.buffer, at * 4, postings).set(lows);
  return new Uint8Array(out.buffer);
}

/** Reads `encodeBase` output; the base keeps views into (an aligned copy of) `bytes`. */
export function decodeBase(bytes: Uint8Array): { cap: number; base: Base } {
  checkLittleEndian();
  if (bytes.byteLength < HEADER_WORDS * 4)
    throw new CandidateIndexFormatError('candidate index: truncated header');
  // Typed-array views need 4-byte alignment; a file read may hand back an unaligned slice of a pool.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const header = new Uint32Array(aligned.buffer, aligned.byteOffset, HEADER_WORDS);
  if (header[0] !== MAGIC) throw new CandidateIndexFormatError('candidate index: bad magic number');
  if (header[1] !== FORMAT_VERSION)
    throw new CandidateIndexFormatError(`candidate index: unknown version ${header[1]}`);
  const cap = header[2]!;
  const postings = header[3]!;
  const docCount = header[4]!;
  const wordCount = HEADER_WORDS + BUCKETS + 1 + postings + docCount;
  const expected = (wordCount + Math.ceil(postings / 2)) * 4;
  if (aligned.byteLength !== expected) {
    throw new CandidateIndexFormatError(`candidate index: ${aligned.byteLength} bytes, expected ${expected}`);
  }
  const at = (words: number) => aligned.byteOffset + words * 4;
  const dir = new Uint32Array(aligned.buffer, at(HEADER_WORDS), BUCKETS + 1);
  if (dir[0] !== 0 || dir[BUCKETS] !== postings) {
    throw new CandidateIndexFormatError('candidate index: directory does not match the posting count');
  }
  // Every bucket boundary, not only the ends: one word past the posting count would make a
  // lookup's bounds run off the arrays (NaN reads), and its scan would never end.
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    if (dir[bucket]! > dir[bucket + 1]!)
      throw new CandidateIndexFormatError(`candidate index: directory entry ${bucket + 1} is out of order`);
  }
  const base: Base = {
    dir,
    docs: new Uint32Array(aligned.buffer, at(HEADER_WORDS + BUCKETS + 1), postings),
    docList: new Uint32Array(aligned.buffer, at(HEADER_WORDS + BUCKETS + 1 + postings), docCount),
    lows: new Uint16Array(aligned.buffer, at(wordCount), postings),
  };
  return { cap, base };
}
