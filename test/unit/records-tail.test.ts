/**
 * The state's maps as a base and a tail (`core/local/records-tail.ts`): a commit stores what changed
 * since the base, carried over build after build, and base plus tail decode to the state exactly;
 * a loaded record cannot be changed in place (the change would be lost), and a large tail is refused.
 */
import { describe, expect, it } from 'vitest';
import { LoadedRecords } from '../../functions/core/local/records-tail.js';
import { encodeRecords, StateFormatError, type StateRecords } from '../../functions/core/local/state.js';
import type { StoryRecord } from '../../functions/core/model.js';
import { concatBytes } from '../../functions/core/stories/shingle-pack.js';

const story = (n: number): StoryRecord => ({
  slug: `story-${n}`,
  canonical: `a-${n}.txt`,
  members: [`a-${n}.txt`],
  date: '2021-08-23T00:00:00.000Z',
  updated: '2021-08-23T00:00:00.000Z',
  title: `Story ${n}`,
  evidence: {},
  createdBuild: 1,
});

function sample(stories: number): StateRecords {
  const records: StateRecords = {
    files: {},
    rejected: {},
    held: {},
    stories: {},
    mailedDocs: {},
    ghosts: {},
  };
  for (let n = 0; n < stories; n++) {
    records.stories[`s${n}`] = story(n);
    records.mailedDocs[`d${n}`] = 1;
  }
  records.rejected['bad.txt'] = { version: '1', code: 'empty', message: 'bad.txt: file is empty' };
  // A folder that could not be read, named like a property every object has.
  records.rejected[ODD_KEY] = {
    version: 'unreadable',
    code: 'unreadable',
    message: 'toString: cannot be read',
  };
  return records;
}

/** A key named like a property every object inherits. */
const ODD_KEY: string = 'toString';

const base = (records: StateRecords) => concatBytes([...encodeRecords(records)]);
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('the records tail', () => {
  it('holds what changed since the base, carried over builds, and decodes to the state', () => {
    const stored = base(sample(200));
    // Build 2: one story replaced, one added, one deleted, a rejected file gone, a held one new.
    let { records, loaded } = LoadedRecords.decode(stored);
    records.stories.s1 = { ...records.stories.s1!, title: 'Story 1, updated' };
    records.stories.s999 = story(999);
    delete records.stories.s2;
    delete records.rejected['bad.txt'];
    delete records.rejected[ODD_KEY];
    records.held['later.md'] = { version: '1', until: '2030-01-01T00:00:00.000Z' };
    const tail2 = loaded.encodeTail(records)!;
    const want2 = plain(records);
    expect(plain(LoadedRecords.decode(stored, tail2).records)).toEqual(want2);
    expect(JSON.parse(Buffer.from(tail2).toString())).toEqual({
      stories: { set: { s1: want2.stories.s1, s999: want2.stories.s999 }, del: ['s2'] },
      rejected: { set: {}, del: ['bad.txt', 'toString'] },
      held: { set: { 'later.md': want2.held['later.md'] }, del: [] },
    });

    // Build 3, over base and tail: s2 back, s999 gone; build 2's other changes are carried.
    ({ records, loaded } = LoadedRecords.decode(stored, tail2));
    records.stories.s2 = story(2);
    delete records.stories.s999;
    const tail3 = loaded.encodeTail(records)!;
    const want3 = plain(records);
    expect(plain(LoadedRecords.decode(stored, tail3).records)).toEqual(want3);
    expect(want3.stories.s1.title).toBe('Story 1, updated');
    expect(want3.rejected).toEqual({});

    // Build 4 changes nothing: the tail stays what it was.
    ({ records, loaded } = LoadedRecords.decode(stored, tail3));
    expect(plain(LoadedRecords.decode(stored, loaded.encodeTail(records)).records)).toEqual(want3);
  });

  it('freezes what it loads: a change in place throws instead of being lost', () => {
    const { records } = LoadedRecords.decode(base(sample(3)));
    expect(() => {
      records.stories.s0!.title = 'changed in place';
    }).toThrow(TypeError);
    expect(() => {
      (records.stories.s0!.members as string[]).push('b.txt');
    }).toThrow(TypeError);
    expect(records.stories.s0!.title).toBe('Story 0');
  });

  it('gives no tail past an eighth of the base (above 64 KiB), for the base to be written whole', () => {
    const stored = base(sample(4000));
    const { records, loaded } = LoadedRecords.decode(stored);
    for (let n = 0; n < 300; n++)
      records.stories[`s${n}`] = { ...records.stories[`s${n}`]!, title: `New ${n}` };
    expect(loaded.encodeTail(records)).toBeDefined();
    for (let n = 300; n < 4000; n++)
      records.stories[`s${n}`] = { ...records.stories[`s${n}`]!, title: `New ${n}` };
    expect(loaded.encodeTail(records)).toBeUndefined();
  });

  it('refuses a tail that is not one', () => {
    const stored = base(sample(3));
    for (const tail of [
      '{"stories":',
      '[]',
      '{"nope":{"set":{},"del":[]}}',
      '{"stories":{"set":{},"del":[1]}}',
    ])
      expect(() => LoadedRecords.decode(stored, Buffer.from(tail))).toThrow(StateFormatError);
  });
});
