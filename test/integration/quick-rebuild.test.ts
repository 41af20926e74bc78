/**
 * A build that finds nothing changed answers from the state's head and `quick.bin` alone, without
 * reading the maps (`records.bin`) or the dedup indexes: its report must equal the one the whole
 * state gives, and every kind of change must still be noticed (an edit of the same size, an
 * embargo whose time came, an image replaced, a page deleted, a config changed). A damaged summary
 * is named and the state rebuilt. In-process builds through the real folder adapters.
 */
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../functions/core/ports.js';
import { FIXED_EPOCH, type Workspace, workspace } from '../helpers/cli.js';
import { buildHere, siteBytes, siteDiff, workspaceWith } from '../helpers/local-build.js';
import { solidPng } from '../helpers/png.js';

const made: Workspace[] = [];
afterEach(() => {
  for (const ws of made.splice(0)) rmSync(ws.root, { recursive: true, force: true });
});

/** The seeds, a rejected file, an article held until a day after the test clock, one naming an image. */
function newsroom(): Workspace {
  const ws = workspace();
  made.push(ws);
  writeFileSync(join(ws.articles, 'empty.txt'), '');
  const tomorrow = new Date((FIXED_EPOCH + 86_400) * 1000).toISOString();
  writeFileSync(
    join(ws.articles, 'embargoed.md'),
    `---\ntitle: Budget to be announced\ndate: ${tomorrow}\n---\n\nThe budget will be announced tomorrow at noon, the finance ministry said.\n`,
  );
  writeFileSync(join(ws.articles, 'lead.png'), solidPng(64, 32, [200, 30, 120]));
  writeFileSync(
    join(ws.articles, 'harbour.md'),
    '---\ntitle: Harbour reopens\ndate: 2021-08-30\nimage: lead.png\nimage_alt: The harbour\n---\n\nThe harbour reopened on Monday after a week of repairs to the sea wall.\n\n![A missing photo](gone.png)\n',
  );
  return ws;
}

/** The state store's reads, by the file names the build asked for. */
function recordingReads(reads: string[]) {
  return (deps: { state: BlobStore }) => {
    const inner = deps.state;
    const state: BlobStore = {
      get: (name) => {
        reads.push(name);
        return inner.get(name);
      },
      getRange: (name, offset, length) => {
        reads.push(name);
        return inner.getRange(name, offset, length);
      },
      getSync: (name) => {
        reads.push(name);
        return inner.getSync!(name);
      },
      put: (name, bytes) => inner.put(name, bytes),
      delete: (name) => inner.delete(name),
    };
    return { state };
  };
}

/** The state store without `getSync`: a build through it cannot answer from the summary. */
const wholeStateOnly = (deps: { state: BlobStore }) => {
  const inner = deps.state;
  const state: BlobStore = {
    get: (name) => inner.get(name),
    getRange: (name, offset, length) => inner.getRange(name, offset, length),
    put: (name, bytes) => inner.put(name, bytes),
    delete: (name) => inner.delete(name),
  };
  return { state };
};

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('a build with nothing changed', () => {
  it('reads only the head and quick.bin, and reports what the whole state reports', async () => {
    const ws = newsroom();
    const first = await buildHere(ws);
    expect(first.changed).toBe(true);
    expect(first.rejected.map((r) => r.source)).toEqual(['empty.txt']);
    expect(first.held.map((h) => h.source)).toEqual(['embargoed.md']);
    expect(first.warnings.some((w) => w.source === 'harbour.md')).toBe(true);
    expect(first.merges.length).toBeGreaterThan(0);

    const whole = await buildHere(ws, wholeStateOnly);
    expect(whole.changed).toBe(false);

    const reads: string[] = [];
    const quick = await buildHere(ws, recordingReads(reads));
    expect(quick.changed).toBe(false);
    expect(reads.some((name) => name.startsWith('quick.'))).toBe(true);
    expect(reads.filter((name) => !name.startsWith('quick.') && name !== 'state.json')).toEqual([]);
    // Every list but the stories comes from the summary; the stories are read when asked for.
    const { stories: wholeStories, ...wholeRest } = plain(whole);
    const quickRest = plain(
      Object.fromEntries(
        Object.keys(quick)
          .filter((name) => name !== 'stories')
          .map((name) => [name, quick[name as keyof typeof quick]]),
      ),
    );
    expect(quickRest).toEqual(wholeRest);
    expect(reads.some((name) => name.startsWith('records.'))).toBe(false);
    expect(plain(quick.stories)).toEqual(wholeStories);
    expect(reads.some((name) => name.startsWith('records.'))).toBe(true);
  });

  it('still notices each kind of change, and never answers "nothing changed" for one', async () => {
    const ws = newsroom();
    await buildHere(ws);
    const again = () => buildHere(ws);
    expect((await again()).changed).toBe(false);

    // An edit that keeps the size: only the modification time tells.
    const seed = readdirSync(ws.articles).find((name) => /^\d.*\.txt$/.test(name))!;
    const path = join(ws.articles, seed);
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text.replace(/[a-z]/, (c) => (c === 'z' ? 'y' : String.fromCharCode(c.charCodeAt(0) + 1))),
    );
    expect(readFileSync(path).length).toBe(Buffer.byteLength(text));
    const stamp = FIXED_EPOCH - 3600;
    utimesSync(path, stamp, stamp);
    const edited = await again();
    expect(edited.changed).toBe(true);
    expect(edited.counts.processed).toBe(1);
    expect((await again()).changed).toBe(false);

    // The image an article names, replaced (the article file itself untouched).
    writeFileSync(join(ws.articles, 'lead.png'), solidPng(64, 32, [20, 160, 90]));
    const image = await again();
    expect(image.changed).toBe(true);
    expect(image.counts.processed).toBe(1);
    expect((await again()).changed).toBe(false);

    // A page of the site deleted: everything is rendered again.
    rmSync(join(ws.out, 'feed.xml'));
    const site = await again();
    expect(site.changed).toBe(true);
    expect(site.counts.written).toBeGreaterThan(0);
    expect(readdirSync(ws.out)).toContain('feed.xml');
    expect((await again()).changed).toBe(false);

    // Another config: everything is rendered again.
    const config = join(ws.root, 'site.config.json');
    writeFileSync(config, JSON.stringify({ title: 'Another Wire', siteUrl: 'https://news.example.org/' }));
    const retitled = await buildHere(ws, undefined, { configPath: config });
    expect(retitled.changed).toBe(true);
    expect(readFileSync(join(ws.out, 'feed.xml'), 'utf8')).toContain('Another Wire');
    expect((await buildHere(ws, undefined, { configPath: config })).changed).toBe(false);

    // The embargo's time came: the held article is published, though no file changed.
    const later = new Date((FIXED_EPOCH + 2 * 86_400) * 1000);
    const released = await buildHere(ws, undefined, { configPath: config, clock: { now: () => later } });
    expect(released.changed).toBe(true);
    expect(released.held).toEqual([]);
    expect(released.stories.some((story) => story.members.includes('embargoed.md'))).toBe(true);

    // A file added, then a file removed.
    writeFileSync(
      join(ws.articles, 'late.txt'),
      'Late edition\n\nThe late edition went to press an hour early tonight.\n',
    );
    expect(
      (await buildHere(ws, undefined, { configPath: config, clock: { now: () => later } })).counts.processed,
    ).toBe(1);
    rmSync(join(ws.articles, 'late.txt'));
    const removed = await buildHere(ws, undefined, { configPath: config, clock: { now: () => later } });
    expect(removed.changed).toBe(true);
    expect(removed.counts.removed).toBeGreaterThan(0);
  });

  it('with a damaged quick.bin, names it and rebuilds the state; the site equals a clean build', async () => {
    const ws = newsroom();
    await buildHere(ws);
    const file = readdirSync(ws.state).find((name) => name.startsWith('quick.'))!;
    const bytes = readFileSync(join(ws.state, file));
    bytes[Math.floor(bytes.length / 2)]! ^= 0x5a;
    writeFileSync(join(ws.state, file), bytes);
    const report = await buildHere(ws);
    expect(report.stateRebuilt).toEqual({ file, problem: 'does not match its checksum (damaged)' });

    const clean = workspaceWith(ws.articles);
    made.push(clean);
    await buildHere(clean);
    const diff = siteDiff(siteBytes(clean.out), siteBytes(ws.out));
    expect(diff).toEqual({ missing: [], extra: [], changed: [] });
    expect((await buildHere(ws)).changed).toBe(false);
  });
});
