import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHead,
  decodeRecords,
  emptyState,
  encodeHead,
  encodeRecords,
  StateFormatError,
} from '../../functions/core/local/state.js';
import { concatBytes, decodeDoc, decodePack, encodeDoc } from '../../functions/core/stories/shingle-pack.js';

const sample = () => {
  const state = emptyState();
  state.build = 3;
  state.files['a "quoted" key.txt'] = {
    docId: 'abc',
    docNum: 0,
    seq: 0,
    version: '1-2',
    firstSeen: '2025-11-24T12:00:00.000Z',
    date: '2021-08-23T00:00:00.000Z',
    title: 'Ünïcode — “quotes” 🗞️ 東京',
    size: 10,
    keys: 3,
    seg: 0,
    off: 0,
    len: 64,
    story: 'abc',
  };
  for (let i = 0; i < 2500; i++)
    state.rejected[`bad-${i}.txt`] = { version: 'v', code: 'empty', message: `bad-${i}.txt: file is empty` };
  state.stories.abc = {
    slug: 's-abc',
    canonical: 'a "quoted" key.txt',
    members: ['a "quoted" key.txt'],
    date: '2021-08-23T00:00:00.000Z',
    updated: '2021-08-23T00:00:00.000Z',
    title: 'T',
    evidence: {},
    createdBuild: 1,
  };
  return state;
};

describe('build state encoding', () => {
  it('streams the maps as JSON in chunks, and with the head decodes back to the same state', () => {
    const state = sample();
    const chunks = [...encodeRecords(state)];
    expect(chunks.length).toBeGreaterThan(3);
    // Written as ASCII (other characters as \u escapes), read back without decoding UTF-8.
    expect(chunks.every((chunk) => chunk.every((byte) => byte < 0x80))).toBe(true);
    const head = decodeHead(concatBytes([encodeHead(state), new TextEncoder().encode('}')]));
    expect(head).not.toHaveProperty('files');
    expect({ ...head, ...decodeRecords(concatBytes(chunks)) }).toEqual(state);
  });

  it('reads a format-4 state, maps inline, as the current format (an upgrade keeps its editions)', () => {
    const state = sample();
    const old = new TextEncoder().encode(JSON.stringify({ ...state, format: 4 }));
    expect(decodeHead(old)).toEqual(state);
  });

  it('refuses a state of another format with a message that says what to do', () => {
    const old = new TextEncoder().encode(JSON.stringify({ ...emptyState(), format: 1 }));
    expect(() => decodeHead(old)).toThrow(StateFormatError);
    expect(() => decodeHead(old)).toThrow(/delete the state folder/);
    expect(() => decodeHead(new TextEncoder().encode('{not json'))).toThrow(/not valid JSON/);
    expect(() => decodeRecords(new TextEncoder().encode('[]'))).toThrow(StateFormatError);
  });
});

describe('shingle pack', () => {
  const arrays = fc.uint32Array({ maxLength: 50 });
  it('round-trips each doc, alone and inside a segment of several', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arrays, arrays, arrays, arrays, fc.nat({ max: 0xffffffff })), {
          minLength: 1,
          maxLength: 6,
        }),
        (docs) => {
          const encoded = docs.map(([tokens, lineEnds, fps, entities, flags]) =>
            encodeDoc({ tokens, lineEnds, fps, entities, particulars: entities, flags }),
          );
          const segment = concatBytes(encoded);
          let at = 0;
          docs.forEach(([tokens, lineEnds, fps, entities, flags], i) => {
            const doc = decodeDoc(segment.subarray(at, at + encoded[i]!.length));
            at += encoded[i]!.length;
            expect([...doc.tokens]).toEqual([...tokens]);
            expect([...doc.lineEnds]).toEqual([...lineEnds]);
            expect([...doc.fps]).toEqual([...fps]);
            expect([...doc.entities]).toEqual([...entities]);
            expect([...doc.particulars]).toEqual([...entities]);
            expect(doc.flags).toBe(flags);
          });
        },
      ),
    );
  });

  it('reports a truncated pack instead of reading past its end', () => {
    const bytes = encodeDoc({
      tokens: Uint32Array.of(1, 2, 3),
      lineEnds: Uint32Array.of(3),
      fps: Uint32Array.of(2),
      entities: Uint32Array.of(),
      particulars: Uint32Array.of(7, 0),
      flags: 1,
    });
    expect(() => decodePack(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
  });
});
