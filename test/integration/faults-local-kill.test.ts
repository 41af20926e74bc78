/**
 * Local fault suite, killed builds: the real CLI killed with SIGKILL at a random moment while it
 * writes (state blobs, pages, `state.json`), then run again to the end, must leave the site
 * byte-identical to the one an uninterrupted run makes, cold and incremental. A kill can tear a file
 * half-written, which the in-process crash suite (`faults-local-state.test.ts`) cannot. Twenty
 * trials, as issue 11 asks (ten cold, ten incremental); the crash suite covers every write position.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEasyCorpus } from '../../bench/corpus.js';
import { createRng } from '../fixtures/rng.js';
import { FIXED_EPOCH, REPO, TSX_LOADER, type Workspace, workspace } from '../helpers/cli.js';
import { type FaultFigures, printFigures } from '../helpers/faults.js';
import { buildHere, siteBytes, siteDiff, storedState, workspaceWith } from '../helpers/local-build.js';

const TRIALS_PER_KIND = 10;

/** A child process with the build loaded, waiting for a workspace (see `helpers/build-child.ts`). */
async function loadedChild(): Promise<ChildProcess> {
  const child = fork(join(REPO, 'test/helpers/build-child.ts'), [], {
    execArgv: ['--import', TSX_LOADER],
    env: { ...process.env, SOURCE_DATE_EPOCH: String(FIXED_EPOCH) },
    stdio: 'ignore',
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`build child exited ${code} before it was ready`)));
  });
  return child;
}

/**
 * Runs the build of `ws` in `child` and SIGKILLs it `killAfter` ms after its first write (a build
 * writes its state blobs first, each through a new temporary name: the window starts when the state
 * folder's listing first changes). Resolves with whether the kill came before the build finished.
 */
function killDuring(child: ChildProcess, ws: Workspace, killAfter: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const listing = () => (existsSync(ws.state) ? readdirSync(ws.state).join('/') : '-');
    const before = listing();
    const poll = setInterval(() => {
      if (timer === undefined && listing() !== before)
        timer = setTimeout(() => child.kill('SIGKILL'), killAfter);
    }, 1);
    child.once('message', (message) => {
      if (message !== 'done') reject(new Error(`the build failed: ${String(message)}`));
    });
    child.once('exit', (_code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    });
    child.send(ws);
    // A build that finished is ended here, so `exit` tells the two cases apart.
    child.once('message', () => child.kill('SIGTERM'));
  });
}

/** Every story's members, from the state the build wrote. */
function membersOf(ws: Workspace): string[] {
  const state = storedState(ws.state);
  return Object.values(state.stories as Record<string, { members: string[] }>).flatMap(
    (story) => story.members,
  );
}

function copyOf(from: Workspace): Workspace {
  const ws = workspaceWith(from.articles);
  if (existsSync(from.out)) cpSync(from.out, ws.out, { recursive: true });
  if (existsSync(from.state)) cpSync(from.state, ws.state, { recursive: true });
  return ws;
}

describe('local fault suite: builds killed at random', () => {
  it('a build killed with SIGKILL while writing is finished byte-identical by the next run', async () => {
    const rng = createRng(9);
    const figures: FaultFigures = {
      trials: 0,
      recovered: 0,
      lost: 0,
      duplicated: 0,
      notes: { 'killed mid-write': 0 },
    };
    const failures: string[] = [];

    const cold = workspace();
    writeEasyCorpus(cold.articles, 0, 150);
    const incremental = workspace();
    writeEasyCorpus(incremental.articles, 0, 120);
    await buildHere(incremental);
    // The next step adds 30 articles, deletes 3 and edits 3.
    writeEasyCorpus(incremental.articles, 120, 150);
    const names = readdirSync(incremental.articles).sort();
    for (const name of names.slice(20, 23)) unlinkSync(join(incremental.articles, name));
    for (const name of names.slice(40, 43))
      writeFileSync(
        join(incremental.articles, name),
        ' date 2024-01-05 Rewritten\nThe article was rewritten.\n',
      );

    for (const [kind, start] of [
      ['cold', cold],
      ['incremental', incremental],
    ] as const) {
      const reference = copyOf(start);
      const started = performance.now();
      await buildHere(reference);
      // The build's length here: the kill falls anywhere in it, counted from the first write.
      const window = performance.now() - started;
      const want = siteBytes(reference.out);
      const wanted = membersOf(reference);
      for (let trial = 0; trial < TRIALS_PER_KIND; trial++) {
        figures.trials++;
        const ws = copyOf(start);
        // The reference time includes reading and parsing, before the first write: half of it is the writing.
        const killAfter = Math.floor(rng() * window * 0.5);
        // Loaded before the kill window opens (it opens at the build's first write), one at a time:
        // twenty loaded children at once would hold gigabytes.
        if (await killDuring(await loadedChild(), ws, killAfter)) figures.notes!['killed mid-write']!++;
        const recovery = await buildHere(ws).then(
          () => 0,
          () => 1,
        );
        const members = membersOf(ws);
        figures.lost += wanted.filter((key) => !members.includes(key)).length;
        figures.duplicated += members.length - new Set(members).size;
        const diff = siteDiff(want, siteBytes(ws.out));
        if (recovery === 0 && !diff.missing.length && !diff.extra.length && !diff.changed.length)
          figures.recovered++;
        else
          failures.push(
            `${kind} killed ${killAfter} ms into writing: exit ${recovery}, ${JSON.stringify(diff)}`,
          );
        rmSync(ws.root, { recursive: true, force: true });
      }
    }
    printFigures('local SIGKILL', figures);
    expect(failures).toEqual([]);
    expect(figures.recovered).toBe(figures.trials);
    expect(figures.lost + figures.duplicated).toBe(0);
    expect(figures.notes!['killed mid-write']).toBeGreaterThan(0);
  }, 600_000);
});
