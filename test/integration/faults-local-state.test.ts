/**
 * Local fault suite, state: every state file damaged (truncated, bytes flipped, removed, and for
 * the maps in `records.bin` valid-JSON edits that drop a story or move an offset) must be noticed, named in one
 * line, and rebuilt from the articles, so the next build's site equals a clean build's; and a build
 * that dies after any write (state or site) must be finished by the next run exactly as an
 * uninterrupted one would have. In-process builds through the real folder adapters (see
 * `helpers/local-build.ts`); the SIGKILL suite (`faults-local-kill.test.ts`) covers torn writes.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEasyCorpus } from '../../bench/corpus.js';
import type { BuildReport } from '../../functions/core/local/report.js';
import { sealState } from '../../functions/core/local/state-store.js';
import { type Workspace, workspace } from '../helpers/cli.js';
import { Crasher, crashing, type FaultFigures, InjectedCrash, printFigures } from '../helpers/faults.js';
import { buildHere, siteBytes, siteDiff, storedState, workspaceWith } from '../helpers/local-build.js';

/** Seeds plus `size` easy-corpus articles (one in five a near-copy). */
function corpus(size: number): Workspace {
  const ws = workspace();
  writeEasyCorpus(ws.articles, 0, size);
  return ws;
}

/** A second step: a mailed article deleted (it becomes a ghost), two new ones (a second feature segment). */
function secondStep(ws: Workspace, size: number): void {
  const state = storedState(ws.state);
  const mailed = state.stories[state.editions[0].storyIds[0]];
  unlinkSync(join(ws.articles, mailed.canonical));
  writeEasyCorpus(ws.articles, size, size + 2);
}

function copyWorkspace(from: Workspace): Workspace {
  const ws = workspaceWith(from.articles);
  if (existsSync(from.out)) cpSync(from.out, ws.out, { recursive: true });
  if (existsSync(from.state)) cpSync(from.state, ws.state, { recursive: true });
  return ws;
}

/** Members of every story: what "lost" and "duplicated" are counted on. */
function membership(report: BuildReport): Map<string, number> {
  const seen = new Map<string, number>();
  for (const story of report.stories)
    for (const key of story.members) seen.set(key, (seen.get(key) ?? 0) + 1);
  return seen;
}

function tally(figures: FaultFigures, want: BuildReport, got: BuildReport): void {
  const before = membership(want);
  const after = membership(got);
  for (const key of before.keys()) if (!after.has(key)) figures.lost++;
  for (const [key, count] of after) if (count > 1 || !before.has(key)) figures.duplicated++;
}

type Damage = { name: string; apply(path: string): void };

const DAMAGES: Damage[] = [
  { name: 'truncated', apply: (path) => truncateSync(path, Math.floor(readFileSync(path).length / 2)) },
  {
    name: 'byte flipped',
    apply: (path) => {
      const bytes = readFileSync(path);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x5a;
      writeFileSync(path, bytes);
    },
  },
  { name: 'removed', apply: (path) => unlinkSync(path) },
];

/** Valid-JSON edits of the maps (`records.bin`, re-serialized; its checksum in the head left as it was). */
const JSON_EDITS: Array<{
  name: string;
  edit(records: Record<string, Record<string, Record<string, unknown>>>): void;
}> = [
  {
    name: 'one story deleted',
    edit: (records) => {
      delete records.stories![Object.keys(records.stories!).sort()[0]!];
    },
  },
  {
    name: 'an offset moved past its segment',
    edit: (records) => {
      const file = Object.values(records.files!)[0]!;
      file.off = (file.off as number) + 1_000_000;
    },
  },
];

describe('local fault suite: state damage', () => {
  it('every damaged state file is named, rebuilt from the articles, and the next site equals a clean build', async () => {
    const history = corpus(30);
    await buildHere(history);
    secondStep(history, 30);
    await buildHere(history);
    const files = readdirSync(history.state).sort();
    expect(files.some((name) => name.startsWith('ghosts.'))).toBe(true);
    expect(files.filter((name) => name.startsWith('shingles-')).length).toBeGreaterThanOrEqual(2);

    // The next build re-reads one article of each step, so every feature segment is read.
    const names = readdirSync(history.articles).sort();
    const touched = [
      names.find((name) => name.startsWith('0000001'))!,
      names.find((name) => name.startsWith('0000031'))!,
    ];
    expect(touched.every(Boolean)).toBe(true);
    const nextBuild = async (ws: Workspace) => {
      for (const name of touched) utimesSync(join(ws.articles, name), 1_700_000_000, 1_700_000_000 + 7);
      return buildHere(ws);
    };
    const clean = workspaceWith(history.articles);
    const cleanReport = await nextBuild(clean);
    const want = siteBytes(clean.out);

    const figures: FaultFigures = {
      trials: 0,
      recovered: 0,
      lost: 0,
      duplicated: 0,
      notes: { 'named the file': 0 },
    };
    const failures: string[] = [];
    // `file`: the file the build must name (none for a removed state.json: that is a first build).
    const trial = async (label: string, file: string | undefined, damage: (ws: Workspace) => void) => {
      const ws = copyWorkspace(history);
      const before = siteBytes(ws.state);
      damage(ws);
      const after = siteBytes(ws.state);
      // Truncating or flipping an empty blob (no template lines learned yet) changes nothing: no trial.
      if (before.size === after.size && [...before].every(([path, bytes]) => after.get(path) === bytes))
        return;
      figures.trials++;
      const report = await nextBuild(ws);
      tally(figures, cleanReport, report);
      const diff = siteDiff(want, siteBytes(ws.out));
      const same = !diff.missing.length && !diff.extra.length && !diff.changed.length;
      const named = report.stateRebuilt?.file === file;
      if (named && file) figures.notes!['named the file']!++;
      if (same && named) figures.recovered++;
      else
        failures.push(`${label}: reported ${JSON.stringify(report.stateRebuilt)}, ${JSON.stringify(diff)}`);
      rmSync(ws.root, { recursive: true, force: true });
    };
    for (const file of files) {
      for (const damage of DAMAGES) {
        const named = file === 'state.json' && damage.name === 'removed' ? undefined : file;
        await trial(`${file} ${damage.name}`, named, (ws) => damage.apply(join(ws.state, file)));
      }
    }
    const recordsFile = storedState(history.state).blobs['records.bin'].file as string;
    const editRecords = (ws: Workspace, edit: (typeof JSON_EDITS)[number]['edit']) => {
      const path = join(ws.state, recordsFile);
      const records = JSON.parse(readFileSync(path, 'utf8'));
      edit(records);
      writeFileSync(path, JSON.stringify(records));
    };
    for (const edit of JSON_EDITS)
      await trial(`${recordsFile} ${edit.name}`, recordsFile, (ws) => editRecords(ws, edit.edit));
    await trial('state.json a story deleted and the checksum dropped', 'state.json', (ws) => {
      const path = join(ws.state, 'state.json');
      const head = JSON.parse(readFileSync(path, 'utf8'));
      delete head.checksum;
      writeFileSync(path, JSON.stringify(head));
      editRecords(ws, JSON_EDITS[0]!.edit);
    });
    // A story deleted by someone who also wrote matching checksums: the cross-checks catch it.
    await trial(`${recordsFile} one story deleted, checksums recomputed`, recordsFile, (ws) => {
      editRecords(ws, (records) => {
        delete records.stories![Object.keys(records.stories!).sort()[2]!];
      });
      const bytes = readFileSync(join(ws.state, recordsFile));
      const path = join(ws.state, 'state.json');
      const head = JSON.parse(readFileSync(path, 'utf8'));
      delete head.checksum;
      head.blobs['records.bin'] = {
        file: recordsFile,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
      writeFileSync(path, Buffer.concat([...sealState(head)]));
    });
    printFigures('local state damage', figures);
    expect(failures).toEqual([]);
    expect(figures.trials).toBeGreaterThanOrEqual(files.length + JSON_EDITS.length + 2);
    expect(figures.lost + figures.duplicated).toBe(0);
    expect(figures.recovered).toBe(figures.trials);
  });
});

describe('local fault suite: a build that dies after any write', () => {
  /** Crashes after write `after` (none: count only); the ports are the state store and the site. */
  const crashAfter = (ws: Workspace, crasher: Crasher) =>
    buildHere(ws, (deps) => ({
      state: crashing('state', deps.state, new Set(['put', 'delete']), crasher),
      sink: crashing('sink', deps.sink, new Set(['write', 'remove']), crasher),
    }));

  it('is finished by the next run exactly as the uninterrupted run, cold and incremental', async () => {
    const figures: FaultFigures = { trials: 0, recovered: 0, lost: 0, duplicated: 0 };
    const failures: string[] = [];
    const cold = corpus(8);
    const incremental = corpus(8);
    await buildHere(incremental);
    secondStep(incremental, 8);

    for (const [kind, start] of [
      ['cold', cold],
      ['incremental', incremental],
    ] as const) {
      const reference = copyWorkspace(start);
      const counter = new Crasher();
      const wantReport = await crashAfter(reference, counter);
      const want = siteBytes(reference.out);
      const writes = counter.log.filter((call) => call.endsWith('*'));
      expect(writes.length).toBeGreaterThan(10);
      // Every state write and every fourth site write (the site writes are alike; the suite stays fast).
      const points = writes.flatMap((call, i) => (call.startsWith('state.') || i % 4 === 0 ? [i + 1] : []));
      for (const after of points) {
        figures.trials++;
        const ws = copyWorkspace(start);
        const crasher = new Crasher(after);
        await expect(crashAfter(ws, crasher)).rejects.toBeInstanceOf(InjectedCrash);
        const report = await buildHere(ws);
        tally(figures, wantReport, report);
        const diff = siteDiff(want, siteBytes(ws.out));
        if (!diff.missing.length && !diff.extra.length && !diff.changed.length && !report.stateRebuilt)
          figures.recovered++;
        else failures.push(`${kind} crash after ${crasher.crashPoint} (#${after}): ${JSON.stringify(diff)}`);
        rmSync(ws.root, { recursive: true, force: true });
      }
    }
    printFigures('local crash after every write', figures);
    expect(failures).toEqual([]);
    expect(figures.recovered).toBe(figures.trials);
    expect(figures.lost + figures.duplicated).toBe(0);
  });
});
