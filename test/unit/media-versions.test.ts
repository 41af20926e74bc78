/**
 * The images the local build tracks between runs (`core/local/media-versions.ts`): which articles are
 * read again when an image changes, what the state records, and the state check of that record.
 */
import { describe, expect, it } from 'vitest';
import { MediaVersions, MISSING_MEDIA } from '../../functions/core/local/media-versions.js';
import { type BuildState, emptyState, type FileRecord } from '../../functions/core/local/state.js';
import { stateProblem } from '../../functions/core/local/state-check.js';

function file(media?: string[]): FileRecord {
  return {
    docId: 'd',
    docNum: 0,
    seq: 0,
    version: '1-1',
    firstSeen: '2021-01-01T00:00:00.000Z',
    date: '2021-01-01T00:00:00.000Z',
    title: 't',
    size: 1,
    keys: 1,
    seg: 0,
    off: 0,
    len: 1,
    story: 's',
    ...(media ? { media } : {}),
  };
}

function stateWith(files: Record<string, FileRecord>, media?: Record<string, string>): BuildState {
  return { ...emptyState(), files, ...(media ? { media } : {}) };
}

/** A folder of images by key → version; counts the look-ups. */
function folder(versions: Record<string, string>) {
  const asked: string[] = [];
  return {
    asked,
    source: {
      version: async (key: string) => {
        asked.push(key);
        return versions[key];
      },
    },
  };
}

describe('MediaVersions', () => {
  it('reads again the articles whose images were added, replaced or removed, and no other', async () => {
    const state = stateWith(
      {
        'a.md': file(['pics/a.png']),
        'b.md': file(['pics/b.png']),
        'c.md': file(['pics/c.png', 'pics/shared.png']),
        'd.md': file(['pics/d.png']),
        'e.txt': file(),
      },
      {
        'pics/a.png': MISSING_MEDIA,
        'pics/b.png': '1-10',
        'pics/c.png': '1-10',
        'pics/shared.png': '1-5',
        'pics/d.png': '1-3',
      },
    );
    const { source, asked } = folder({
      'pics/a.png': '2-10',
      'pics/b.png': '1-10',
      'pics/c.png': '1-10',
      'pics/shared.png': '1-6',
    });
    const changed = await new MediaVersions(source).changedArticles(state);
    // a: added; c: one of its two images replaced; d: removed; b unchanged; e names none.
    expect([...changed].sort()).toEqual(['a.md', 'c.md', 'd.md']);
    expect(asked.sort()).toEqual(['pics/a.png', 'pics/b.png', 'pics/c.png', 'pics/d.png', 'pics/shared.png']);
  });

  it('records every image the articles now name, once each, and drops the ones no longer named', async () => {
    const state = stateWith(
      { 'a.md': file(['pics/a.png']), 'b.md': file(['pics/a.png', 'pics/b.png']) },
      { 'old.png': '1-1' },
    );
    const { source, asked } = folder({ 'pics/a.png': '3-30' });
    const media = new MediaVersions(source);
    await media.changedArticles(state);
    await media.record(state);
    expect(state.media).toEqual({ 'pics/a.png': '3-30', 'pics/b.png': MISSING_MEDIA });
    expect(asked.sort()).toEqual(['pics/a.png', 'pics/b.png']);
    // Nothing named: no record at all.
    const none = stateWith({ 'e.txt': file() }, { 'old.png': '1-1' });
    await new MediaVersions(source).record(none);
    expect(none.media).toBeUndefined();
  });

  it('does nothing where the source cannot tell versions (S3)', async () => {
    const state = stateWith({ 'a.md': file(['pics/a.png']) }, { 'pics/a.png': '1-1' });
    const media = new MediaVersions({});
    expect(await media.changedArticles(state)).toEqual(new Set());
    await media.record(state);
    expect(state.media).toEqual({ 'pics/a.png': '1-1' });
  });

  it('is checked when the state is opened: a damaged record is named', () => {
    expect(stateProblem({ ...emptyState(), media: 'pics' as unknown as Record<string, string> })).toBe(
      'media is not a map',
    );
    expect(stateProblem({ ...emptyState(), media: { 'a.png': 3 as unknown as string } })).toBe(
      'media a.png: version is not a string',
    );
    expect(stateProblem({ ...emptyState(), media: { 'a.png': '1-1' } })).toBeUndefined();
  });
});
