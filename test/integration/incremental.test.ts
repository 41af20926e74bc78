import { readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleId } from '../../functions/core/stories/prepare.js';
import { runCli, snapshot, workspace } from '../helpers/cli.js';
import { parseWithFeedparser } from '../helpers/readers.js';

const S000 = '000_8e65d67321044a22.txt';
const S001 = '001_c49de1067c077a2e.txt';
const S004 = '004_362068bbac3e72bc.txt';

const FRESH_ARTICLE = ` date 2021-09-03 Kabul airport reopens to domestic flights
Ariana Afghan Airlines resumed domestic flights from Kabul on Friday, the first since the Taliban took over.

The airline said flights to Herat, Mazar-i-Sharif and Kandahar would run daily, with technicians from Qatar helping to restore the airport's radar.

Passengers queued from early morning, many of them families separated by the fighting of the past weeks.

Officials said international flights could resume within weeks once security arrangements were agreed with Turkey and Qatar.
`;

function guids(out: string): string[] {
  return parseWithFeedparser(join(out, 'feed.xml')).entries.map((entry) => entry.id ?? '');
}

describe('incremental builds', () => {
  it('a second run with no change does no work and rewrites nothing; a rebuild from scratch is byte-identical', () => {
    const ws = workspace();
    expect(runCli(ws).status).toBe(0);
    const first = snapshot(ws.out);
    const again = runCli(ws);
    expect(again.report.changed).toBe(false);
    expect(again.report.counts.processed).toBe(0);
    expect(again.report.stories).toHaveLength(4);
    expect(snapshot(ws.out)).toEqual(first);

    rmSync(ws.out, { recursive: true });
    rmSync(ws.state, { recursive: true });
    expect(runCli(ws).status).toBe(0);
    const rebuilt = snapshot(ws.out);
    expect([...rebuilt.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [path, file] of rebuilt) expect(file.bytes, path).toBe(first.get(path)!.bytes);
  });

  it('an article edited in place to the same size is read again', () => {
    // An edit in place changes no folder's modification time, so a listing that trusted folder times
    // (to save a stat per file) would miss it; this one stats every file and keys it by size and mtime.
    const ws = workspace();
    expect(runCli(ws).status).toBe(0);
    const path = join(ws.articles, S000);
    const before = statSync(path);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('Panjshir');
    const edited = text.replaceAll('Panjshir', 'Panjshyr');
    expect(Buffer.byteLength(edited)).toBe(before.size);
    writeFileSync(path, edited);
    const run = runCli(ws);
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.changed).toBe(true);
    expect(run.report.counts.processed).toBe(1);
  });

  it('an added article is processed alone and appears; the old guids do not change', () => {
    const ws = workspace();
    runCli(ws);
    const before = guids(ws.out);
    writeFileSync(join(ws.articles, '005_airport.txt'), FRESH_ARTICLE);
    const run = runCli(ws, [], { SOURCE_DATE_EPOCH: String(1_764_100_000) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.counts.processed).toBe(1);
    expect(run.report.stories).toHaveLength(5);
    const after = guids(ws.out);
    expect(after).toHaveLength(5);
    expect(after[0]).toBe(articleId('005_airport.txt'));
    expect(after.slice(1)).toEqual(before);
    // The new story is the next digest edition, alone.
    expect(run.report.edition?.stories).toBe(1);
    expect(readFileSync(join(ws.out, 'digest.txt'), 'utf8').replace(/\s+/g, ' ')).toContain(
      'Kabul airport reopens to domestic flights',
    );
  });

  it('a later, longer copy of a published story updates it in place: same guid, same item count, no new edition', () => {
    const ws = workspace();
    runCli(ws);
    const before = guids(ws.out);
    const longer = `${readFileSync(join(ws.articles, S001), 'utf8')}\nOn Sunday, Taliban negotiators returned to Kabul without an agreement, officials on both sides said, and fighting was reported near the mouth of the valley.\nThe resistance said it had repelled an attack at Golbahar overnight, a claim the Taliban denied.\n`;
    writeFileSync(join(ws.articles, '006_longer_copy.txt'), longer);
    const run = runCli(ws, [], { SOURCE_DATE_EPOCH: String(1_764_100_000) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.stories).toHaveLength(4);
    expect(guids(ws.out)).toEqual(before);
    const story = run.report.stories.find((s) => s.id === articleId(S000))!;
    expect(story.members.sort()).toEqual(['006_longer_copy.txt', S000, S001].sort());
    expect(run.report.merges.find((m) => m.source === S001)?.into).toBe('006_longer_copy.txt');
    expect(run.report.edition).toBeUndefined();
    const page = readFileSync(join(ws.out, 'articles', `${story.slug}.html`), 'utf8');
    expect(page).toContain('repelled an attack at Golbahar');
  });

  it('deleting a file removes what only it contributed', () => {
    const ws = workspace();
    const first = runCli(ws);
    const s004 = first.report.stories.find((s) => s.members.includes(S004))!;
    unlinkSync(join(ws.articles, S004));
    unlinkSync(join(ws.articles, S001));
    const run = runCli(ws);
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.stories).toHaveLength(3);
    expect(run.report.stories.some((s) => s.id === s004.id)).toBe(false);
    expect(() => readFileSync(join(ws.out, 'articles', `${s004.slug}.html`))).toThrow();
    // The merged story loses its longer member but keeps its id, now represented by 000 alone.
    const merged = run.report.stories.find((s) => s.id === articleId(S000))!;
    expect(merged.members).toEqual([S000]);
    expect(guids(ws.out)).not.toContain(s004.id);
    expect(guids(ws.out)).toContain(articleId(S000));
  });
});
