/**
 * The changes made to the corpus indexes since their bases were stored, kept as a small blob
 * (`index-tail.bin`) instead of re-serializing the three indexes (about 90 MB at 100,000 articles)
 * on every build. Loading replays it over the bases; once it outgrows a sixteenth of them, or an
 * index merged its base in memory, the indexes are stored whole again and the tail starts empty.
 *
 * Layout, little-endian 32-bit words: magic, version, number of operations; then per operation its
 * kind (0 add, 1 remove), docNum, the lengths of its fingerprints, lines and entities, and the three
 * lists. Replaying the same operations in the same order over the same bases gives the same postings.
 */
import { CandidateIndexFormatError } from '../dedup/candidate-index.js';

export const TAIL_BLOB = 'index-tail.bin';
const MAGIC = 0x4c494154; // "TAIL"
const VERSION = 1;
const HEADER_WORDS = 3;
const OP_WORDS = 5;

export interface IndexOp {
  remove: boolean;
  docNum: number;
  fps: Uint32Array;
  lines: Uint32Array;
  entities: Uint32Array;
}

export class IndexJournal {
  private readonly ops: IndexOp[] = [];
  private words = HEADER_WORDS;

  record(op: IndexOp): void {
    this.ops.push(op);
    this.words += OP_WORDS + op.fps.length + op.lines.length + op.entities.length;
  }

  /** Size of the tail in bytes. */
  get bytes(): number {
    return this.words * 4;
  }

  encode(): Uint8Array {
    const out = new Uint32Array(this.words);
    out.set([MAGIC, VERSION, this.ops.length]);
    let at = HEADER_WORDS;
    for (const op of this.ops) {
      out.set([op.remove ? 1 : 0, op.docNum, op.fps.length, op.lines.length, op.entities.length], at);
      at += OP_WORDS;
      for (const list of [op.fps, op.lines, op.entities]) {
        out.set(list, at);
        at += list.length;
      }
    }
    return new Uint8Array(out.buffer);
  }
}

/** The operations of a stored tail; a `CandidateIndexFormatError` when it is not one. */
export function decodeTail(bytes: Uint8Array): IndexOp[] {
  const fail = (problem: string) => new CandidateIndexFormatError(`${TAIL_BLOB}: ${problem}`);
  if (bytes.length % 4 !== 0 || bytes.length < HEADER_WORDS * 4) throw fail('not a whole number of words');
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2);
  if (words[0] !== MAGIC || words[1] !== VERSION) throw fail('not an index tail of this version');
  const ops: IndexOp[] = [];
  let at = HEADER_WORDS;
  for (let n = 0; n < words[2]!; n++) {
    if (at + OP_WORDS > words.length) throw fail('ends inside an operation');
    const [kind, docNum, nFps, nLines, nEntities] = words.subarray(at, at + OP_WORDS);
    at += OP_WORDS;
    if (kind! > 1) throw fail(`operation ${n} is of no known kind`);
    if (at + nFps! + nLines! + nEntities! > words.length) throw fail('ends inside an operation');
    const take = (length: number) => {
      at += length;
      return words.slice(at - length, at);
    };
    ops.push({
      remove: kind === 1,
      docNum: docNum!,
      fps: take(nFps!),
      lines: take(nLines!),
      entities: take(nEntities!),
    });
  }
  if (at !== words.length) throw fail('has bytes after its last operation');
  return ops;
}
