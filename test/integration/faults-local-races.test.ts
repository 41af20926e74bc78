/**
 * Local fault suite, racing files: articles swapped for symbolic links while builds run (another
 * process swaps them as fast as it can), articles deleted or edited between being deduplicated and
 * being rendered, and a folder nested beyond the system's path length. No build may publish what a
 * link points to, fail as a whole, or drop the other articles; each bad path is named in one line.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  lstatSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeEasyCorpus } from '../../bench/corpus.js';
import type { ArticleSource } from '../../functions/core/ports.js';
import { runTool, STACK_FRAME, workspace } from '../helpers/cli.js';
import { type FaultFigures, printFigures } from '../helpers/faults.js';
import { buildHere, siteBytes, siteDiff, workspaceWith } from '../helpers/local-build.js';

const S001 = '001_c49de1067c077a2e.txt';
const S002 = '002_1053def13e2cd472.txt';
const S003 = '003_7eae227dbbbca2f7.txt';
const S004 = '004_362068bbac3e72bc.txt';

const CANARY = 'CANARY-do-not-publish-7f3a91';

/** Swaps each named article for a link to `secret` and back, in a loop, until killed. */
const SWAPPER = `
const fs = require('node:fs');
const { join } = require('node:path');
const [dir, secret, ...names] = process.argv.slice(1);
for (const name of names) fs.copyFileSync(join(dir, name), join(dir, '.' + name + '.real'));
process.send('ready');
for (let i = 0; ; i++) {
  const name = names[i % names.length];
  const link = join(dir, '.' + name + '.link');
  const copy = join(dir, '.' + name + '.copy');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(secret, link);
  fs.renameSync(link, join(dir, name));
  fs.copyFileSync(join(dir, '.' + name + '.real'), copy);
  fs.renameSync(copy, join(dir, name));
}
`;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function publishedFiles(dir: string, needle: string): string[] {
  return [...siteBytes(dir)].filter(([, bytes]) => bytes.includes(needle)).map(([path]) => path);
}

describe('local fault suite: racing files', () => {
  it('an article swapped for a symbolic link during builds never publishes what the link points to', async () => {
    const ws = workspace();
    writeEasyCorpus(ws.articles, 0, 60);
    const secret = join(ws.root, 'secret.txt');
    writeFileSync(
      secret,
      ` date 2021-09-05 Secret headline\n${CANARY} is a line that must never be published.\n`,
    );
    const names = readdirSync(ws.articles)
      .filter((name) => name.endsWith('.txt'))
      .slice(0, 12);
    const swapper = spawn(process.execPath, ['-e', SWAPPER, ws.articles, secret, ...names], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(swapper);
    await new Promise<void>((resolve) => swapper.once('message', () => resolve()));

    const figures: FaultFigures = {
      trials: 0,
      recovered: 0,
      lost: 0,
      duplicated: 0,
      notes: { 'reads refused': 0 },
    };
    const leaks: string[] = [];
    for (let trial = 0; trial < 8; trial++) {
      figures.trials++;
      // Every other build starts from nothing (every file read), the others are incremental.
      if (trial % 2 === 0) {
        rmSync(ws.out, { recursive: true, force: true });
        rmSync(ws.state, { recursive: true, force: true });
      }
      const report = await buildHere(ws);
      const refused = [...report.rejected, ...report.warnings].filter((d) =>
        /symbolic link|not a regular file|changed while|vanished/.test(d.message),
      );
      figures.notes!['reads refused']! += refused.length;
      const leaked = publishedFiles(ws.out, CANARY);
      if (leaked.length) leaks.push(`build ${trial}: ${leaked.join(', ')}`);
      else figures.recovered++;
    }
    swapper.kill('SIGKILL');
    await new Promise((resolve) => swapper.once('exit', resolve));
    // Put the real files back where the swapper left a link, and build once more: nothing is lost.
    for (const name of names)
      if (lstatSync(join(ws.articles, name)).isSymbolicLink())
        renameSync(join(ws.articles, `.${name}.real`), join(ws.articles, name));
    const final = await buildHere(ws);
    const listed = readdirSync(ws.articles).filter((name) => name.endsWith('.txt'));
    const members = final.stories.flatMap((story) => story.members);
    figures.lost = listed.filter((name) => !members.includes(name)).length;
    figures.duplicated = members.length - new Set(members).size;
    printFigures('local symlink swaps', figures);
    expect(leaks).toEqual([]);
    expect(publishedFiles(ws.out, CANARY)).toEqual([]);
    expect(figures.lost + figures.duplicated).toBe(0);
    // The race was on: some reads met a link (or a file mid-swap) and were refused by name.
    expect(figures.notes!['reads refused']).toBeGreaterThan(0);
  });

  it('an article deleted or edited between deduplication and rendering is named; the others are published', async () => {
    const ws = workspace();
    const gone = join(ws.articles, S004);
    let deleted = false;
    let edited = false;
    // S003 vanishes after the listing, S004 after it was read and deduplicated, S002 is edited then.
    const report = await buildHere(ws, (deps) => {
      const inner = deps.source;
      const source: ArticleSource = {
        list: async () => {
          const entries = await inner.list();
          unlinkSync(join(ws.articles, S003));
          return entries;
        },
        read: async (key, version) => {
          const bytes = await inner.read(key, version);
          if (key === S004 && !deleted) {
            deleted = true;
            unlinkSync(gone);
          }
          if (key === S002 && !edited) {
            edited = true;
            appendFileSync(join(ws.articles, S002), '\nA paragraph added while the build ran.\n');
          }
          return bytes;
        },
      };
      return { source };
    });
    expect(deleted && edited).toBe(true);
    expect(report.rejected.map((d) => d.message)).toEqual([
      `${S003}: vanished while the build was reading it`,
    ]);
    const warnings = report.warnings.filter((d) => d.code === 'skipped').map((d) => d.message);
    expect(warnings.sort()).toEqual([
      expect.stringMatching(
        new RegExp(`^${S002}: changed while the build was reading it .*left out of this build's pages$`),
      ),
      expect.stringMatching(new RegExp(`^${S004}: vanished during the build; its story \\w+ is left out`)),
    ]);
    // The story of S001 (with S000 merged into it) is published, in its page and the feeds.
    const s001 = report.stories.find((story) => story.members.includes(S001))!;
    const site = siteBytes(ws.out);
    expect(site.has(`articles/${s001.slug}.html`)).toBe(true);
    expect(site.get('feed.xml')).toContain(s001.title.replace(/&/g, '&amp;'));
    for (const key of [S002, S004]) {
      const story = report.stories.find((s) => s.members.includes(key))!;
      expect(site.has(`articles/${story.slug}.html`)).toBe(false);
    }

    // The next build takes the changes in; its pages and feeds are a clean build's.
    const next = await buildHere(ws);
    expect(next.rejected).toEqual([]);
    expect(next.warnings.filter((d) => d.code === 'skipped')).toEqual([]);
    const clean = workspaceWith(ws.articles);
    await buildHere(clean);
    const diff = siteDiff(siteBytes(clean.out), siteBytes(ws.out));
    // The digest differs by design: the first build's edition went out without the two stories it could not read.
    const isDigest = (path: string) => path.startsWith('digest') || path === 'index.html';
    // So does the sitemap's one entry for the digest archive (its lastmod is the newest edition's date);
    // every other entry must be a clean build's.
    const withoutDigestArchive = (out: string) =>
      siteBytes(out)
        .get('sitemap.xml')!
        .toString()
        .replace(/<url>\s*<loc>[^<]*\/digests\/index\.html<\/loc>[\s\S]*?<\/url>/, '');
    expect(withoutDigestArchive(ws.out)).not.toContain('digests/index.html');
    expect(withoutDigestArchive(ws.out)).toBe(withoutDigestArchive(clean.out));
    expect({
      missing: diff.missing,
      extra: diff.extra,
      changed: diff.changed.filter((path) => !isDigest(path) && path !== 'sitemap.xml'),
    }).toEqual({ missing: [], extra: [], changed: [] });
    printFigures('local files vanishing or changing mid-build', {
      trials: 1,
      recovered: 1,
      lost: 0,
      duplicated: 0,
      notes: { 'named in one line': report.rejected.length + warnings.length },
    });
  });

  it('a folder nested beyond the path length limit is named in one line; the other articles are published', () => {
    const ws = workspace();
    // Made step by step from inside (no single path that long can be given to mkdir).
    const made = spawnSync(
      'python3',
      [
        '-c',
        'import os,sys\nos.chdir(sys.argv[1])\nfor i in range(24):\n  os.mkdir("d"*200); os.chdir("d"*200)\nopen("deep.txt","w").write(" date 2021-09-05 Deep\\nToo deep to read.\\n")',
        ws.articles,
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    try {
      const run = runTool('build', ['--templates', join(process.cwd(), 'templates')], { cwd: ws.root });
      expect(run.stderr).not.toContain(STACK_FRAME);
      expect(run.stdout).not.toContain(STACK_FRAME);
      expect(run.status, run.stderr).toBe(1);
      const rejected = run.stdout.split('\n').filter((line) => line.startsWith('rejected: '));
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatch(
        /^rejected: d{60}…d{60} \(\d{4} characters\): the folder path is longer than the system allows$/,
      );
      expect(run.stdout).toContain('4 stories published');
      expect(readdirSync(join(ws.out, 'articles'))).toHaveLength(4);
      printFigures('local path too long', { trials: 1, recovered: 1, lost: 0, duplicated: 0 });
    } finally {
      spawnSync('python3', ['-c', 'import shutil,sys\nshutil.rmtree(sys.argv[1])', ws.root]);
    }
  });
});
