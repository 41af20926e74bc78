import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArticleFile, versionOf } from '../../functions/adapters/local/read-article.js';
import { MemoryBlobStore } from '../../functions/adapters/memory/memory-blob-store.js';
import {
  CandidateIndex,
  CandidateIndexFormatError,
  UNCAPPED,
} from '../../functions/core/dedup/candidate-index.js';
import { emptyState } from '../../functions/core/local/state.js';
import { openState } from '../../functions/core/local/state-open.js';
import {
  CheckedBlobStore,
  checkedState,
  StateDamagedError,
  sealState,
  unsealState,
} from '../../functions/core/local/state-store.js';
import {
  ArticleChangedError,
  ArticleNotFoundError,
  ArticleUnreadableError,
} from '../../functions/core/ports.js';

const sealed = (state = emptyState()) => Buffer.concat([...sealState(state)]);

describe('the sealed state file', () => {
  it('is JSON that round-trips, and any change to it is caught', () => {
    const state = emptyState();
    state.build = 4;
    const bytes = sealed(state);
    expect(JSON.parse(bytes.toString()).checksum).toMatch(/^[0-9a-f]{64}$/);
    const { files, rejected, held, stories, mailedDocs, ghosts, ...head } = state;
    expect(unsealState(bytes)).toEqual(head);
    const edited = Buffer.from(bytes.toString().replace('"build":4', '"build":5'));
    expect(() => unsealState(edited)).toThrow(/does not match its checksum/);
    expect(() => unsealState(bytes.subarray(0, bytes.length - 3))).toThrow(/has no checksum/);
    expect(() => unsealState(bytes.subarray(0, 20))).toThrow(StateDamagedError);
  });

  it('is refused when its maps do not agree, even with matching checksums', () => {
    const state = emptyState();
    state.nextDocNum = 1;
    state.nextSeq = 1;
    state.nextSeg = 1;
    state.files['a.txt'] = {
      docId: 'x',
      docNum: 0,
      seq: 0,
      version: '1',
      firstSeen: 'd',
      date: 'd',
      title: 't',
      size: 1,
      keys: 1,
      seg: 0,
      off: 0,
      len: 8,
      story: 'missing',
    };
    const sum = 'a'.repeat(64);
    state.blobs = Object.fromEntries(
      ['index.bin', 'lines.bin', 'entities.bin', 'templates.bin', 'shingles-0.bin'].map((name) => [
        name,
        { file: name.replace('.bin', '.g1.bin'), size: 4, sha256: sum },
      ]),
    );
    expect(() => checkedState(state)).toThrow(/past the end of shingles-0.bin/);
    state.blobs['shingles-0.bin']!.size = 100;
    expect(() => checkedState(state)).toThrow(/its story missing is not in the state/);
  });
});

describe('the checked blob store', () => {
  it('writes blobs under the build number, commits them with the state, and catches a changed byte', async () => {
    const inner = new MemoryBlobStore();
    const first = new CheckedBlobStore(inner, {}, 1);
    await first.put('index.bin', new Uint8Array([1, 2, 3, 4]));
    expect([...inner.blobs.keys()]).toEqual(['index.g1.bin']);
    const state = emptyState();
    state.build = 1;
    await first.commit(state);
    const opened = await openState(inner);
    expect(opened.damage).toBeUndefined();
    expect(await opened.store.get('index.bin')).toEqual(new Uint8Array([1, 2, 3, 4]));
    // The next build writes generation 2; until it commits, the state in force still reads generation 1.
    await opened.store.put('index.bin', new Uint8Array([9]));
    expect((await openState(inner)).damage).toBeUndefined();
    opened.state.build = 2;
    await opened.store.commit(opened.state);
    // The maps loaded are unchanged: generation 2 stores an empty tail and keeps generation 1's base.
    expect([...inner.blobs.keys()].sort()).toEqual([
      'index.g2.bin',
      'quick.g2.bin',
      'records-tail.g2.bin',
      'records.g1.bin',
      'state.json',
    ]);
    inner.blobs.get('index.g2.bin')![0] = 8;
    const damaged = await openState(inner);
    expect(damaged.damage).toEqual({
      file: 'index.g2.bin',
      problem: 'does not match its checksum (damaged)',
    });
    expect(damaged.state.build).toBe(0);
  });
});

describe('a candidate index with a damaged directory', () => {
  it('is refused, not looped over', () => {
    const index = new CandidateIndex({ postingCap: UNCAPPED });
    index.add(1, Uint32Array.from([0x00010001, 0x00020002, 0x7fff0003]).sort());
    const bytes = index.serialize();
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
    words[8 + 0x4000] = 1000; // a middle directory word past the posting count
    expect(() => CandidateIndex.deserialize(bytes)).toThrow(CandidateIndexFormatError);
  });
});

describe('reading an article file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-article-'));
  const path = join(dir, 'a.txt');
  writeFileSync(path, 'hello');

  it('reads a regular file, checking the version when given', () => {
    const version = versionOf(statSync(path));
    expect(Buffer.from(readArticleFile(path, 'a.txt', version)).toString()).toBe('hello');
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(() => readArticleFile(path, 'a.txt', version)).toThrow(ArticleChangedError);
  });

  it('refuses a symbolic link, a FIFO and a missing file, by name', () => {
    const secret = join(dir, 'secret');
    writeFileSync(secret, 'root:x:0:0');
    symlinkSync(secret, join(dir, 'link'));
    renameSync(join(dir, 'link'), join(dir, 'b.txt'));
    expect(() => readArticleFile(join(dir, 'b.txt'), 'b.txt')).toThrow(/b\.txt: is a symbolic link/);
    execFileSync('mkfifo', [join(dir, 'c.txt')]);
    expect(() => readArticleFile(join(dir, 'c.txt'), 'c.txt')).toThrow(ArticleUnreadableError);
    expect(() => readArticleFile(join(dir, 'd.txt'), 'd.txt')).toThrow(ArticleNotFoundError);
  });
});
