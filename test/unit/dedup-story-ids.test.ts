import { describe, expect, it } from 'vitest';
import { assignStoryIds } from '../../functions/core/dedup/story-ids.js';

describe('assignStoryIds', () => {
  it('gives each earlier story to the group holding its lowest-seq member only', () => {
    const ids = assignStoryIds([
      [
        { docId: 'b', seq: 2, storyId: 'S' },
        { docId: 'c', seq: 3 },
      ],
      [{ docId: 'a', seq: 1, storyId: 'S' }],
    ]);
    expect(ids).toEqual(['b', 'S']);
  });

  it('skips a docId that already names another story', () => {
    // Group 1 holds doc `b`, but story `b` lives on in group 0 (its first member, `a`, carries it).
    const ids = assignStoryIds([
      [{ docId: 'a', seq: 1, storyId: 'b' }],
      [
        { docId: 'b', seq: 2, storyId: 'b' },
        { docId: 'c', seq: 3 },
      ],
    ]);
    expect(ids).toEqual(['b', 'c']);
  });

  it('falls back to a suffixed docId when every member id is taken', () => {
    const ids = assignStoryIds([
      [{ docId: 'x', seq: 1, storyId: 'y' }],
      [{ docId: 'y', seq: 2, storyId: 'y' }],
      [{ docId: 'z', seq: 0, storyId: 'x' }],
    ]);
    expect(ids).toEqual(['y', 'y~2', 'x']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps, among several earlier stories, the one whose member was seen first', () => {
    const ids = assignStoryIds([
      [
        { docId: 'n', seq: 1 },
        { docId: 'm', seq: 4, storyId: 'T' },
        { docId: 'k', seq: 6, storyId: 'U' },
      ],
    ]);
    expect(ids).toEqual(['T']);
  });
});
