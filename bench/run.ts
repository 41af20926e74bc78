/**
 * `npm run bench`: cold and incremental builds over generated corpora of 1,000, 10,000 and 100,000
 * articles, each compared with figures measured in the same run: a floor (reading and tokenizing
 * the same files) and, where Debian's `hugo` is installed, Hugo building an RSS feed from the same
 * corpus. Prints figures; asserts nothing (these machines are noisy).
 *
 *   npm run bench                 # all sizes
 *   npm run bench -- 1000 10000   # chosen sizes
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CORPUS_KIND, incrementFiles, writeCorpus } from './corpus.js';

const REPO = resolve(import.meta.dirname, '..');
const WORK = join(REPO, 'bench', '.corpus');
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [1_000, 10_000, 100_000];
const INCREMENT = 100;
/** Output and state of the runs, deleted at the end (and, left over from an interrupted run, at the start). */
const RUNS = join(WORK, 'runs');

interface Timed {
  seconds: number;
  peakBytes?: number;
  status: number;
  output: string;
}

function timeCommand(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Timed {
  const peakFile = join(WORK, `peak-${process.pid}.txt`);
  rmSync(peakFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PEAK_RSS_FILE: peakFile, ...env },
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const timed: Timed = {
    seconds,
    status: result.status ?? -1,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
  if (existsSync(peakFile)) timed.peakBytes = Number(readFileSync(peakFile, 'utf8'));
  return timed;
}

/**
 * Lets the disk finish the previous step's writes and deletions before a timed run: measured here, a
 * build started right after deleting 100,000 files took twice as long (the file system was still
 * discarding the freed blocks).
 */
function settle(): void {
  spawnSync('sync');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
}

function buildCli(articles: string, dir: string): Timed {
  const result = timeCommand(
    process.execPath,
    [
      '--import',
      join(REPO, 'bench', 'peak-rss.mjs'),
      // What `npm start` runs: the bundled CLI, made by the first run when stale (see scripts/cli-bundle.mjs).
      join(REPO, 'scripts', 'start.mjs'),
      '--articles',
      articles,
      '--out',
      join(dir, 'public'),
      '--state',
      join(dir, 'state'),
      '--templates',
      join(REPO, 'templates'),
      '--quiet',
    ],
    REPO,
    { SOURCE_DATE_EPOCH: '1764000000' },
  );
  if (result.status !== 0)
    throw new Error(`build failed (${result.status}):\n${result.output.slice(0, 2000)}`);
  return result;
}

/** Every file under `dir`, at any depth (the newsroom corpus has a folder per outlet). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The floor: read every file and tokenize it, on every core, with no parsing, dedup or writing. */
async function floor(dir: string): Promise<number> {
  const files = filesUnder(dir);
  const workers = availableParallelism();
  const start = process.hrtime.bigint();
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    let tokens = 0;
    for (const file of workerData) {
      const text = readFileSync(file, 'utf8').normalize('NFKC').toLowerCase();
      tokens += text.split(/[^\\p{L}\\p{N}]+/u).length;
    }
    parentPort.postMessage(tokens);`;
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const share = files.filter((_, i) => i % workers === w);
      return new Promise<number>((done, fail) => {
        const worker = new Worker(source, { eval: true, workerData: share });
        worker.once('message', (n: number) => {
          done(n);
          void worker.terminate();
        });
        worker.once('error', fail);
      });
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function hugoAvailable(): boolean {
  return spawnSync('hugo', ['version'], { encoding: 'utf8' }).status === 0;
}

/** The same corpus as a Hugo site (one Markdown page per article), with minimal layouts and RSS on. */
function prepareHugoSite(dir: string, articlesDir: string): string {
  const site = join(dir, 'hugo');
  if (existsSync(join(site, '.ready'))) return site;
  rmSync(site, { recursive: true, force: true });
  mkdirSync(join(site, 'content', 'posts'), { recursive: true });
  mkdirSync(join(site, 'layouts', '_default'), { recursive: true });
  writeFileSync(
    join(site, 'hugo.toml'),
    'baseURL = "https://example.org/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]\n[outputs]\nhome = ["HTML", "RSS"]\nsection = ["HTML"]\n[services.rss]\nlimit = 50\n',
  );
  writeFileSync(
    join(site, 'layouts', '_default', 'single.html'),
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n',
  );
  writeFileSync(
    join(site, 'layouts', '_default', 'list.html'),
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><ul>{{ range first 100 .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n',
  );
  for (const path of filesUnder(articlesDir)) {
    const name = relative(articlesDir, path).replace(/[\\/]/g, '--');
    const text = readFileSync(path, 'utf8');
    const match = /^ date (\d{4}-\d{2}-\d{2}) /.exec(text);
    const body = match ? text.slice(match[0].length) : text;
    const title = (body.split(/[.\n]/)[0] ?? name).slice(0, 90).replace(/"/g, "'");
    writeFileSync(
      join(site, 'content', 'posts', name.replace(/\.txt$/, '.md')),
      `---\ntitle: "${title}"\ndate: ${match?.[1] ?? '2021-01-01'}\n---\n\n${body}`,
    );
  }
  writeFileSync(join(site, '.ready'), '');
  return site;
}

function corpusDir(size: number): string {
  const dir = join(WORK, CORPUS_KIND === 'easy' ? `easy-${size}` : String(size));
  const articles = join(dir, 'articles');
  if (!existsSync(join(dir, '.ready'))) {
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`generating ${size} articles… `);
    writeCorpus(articles, size);
    writeFileSync(join(dir, '.ready'), '');
    process.stdout.write('done\n');
  }
  return dir;
}

const mib = (bytes?: number) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`);
const secs = (s: number) => `${s.toFixed(2)} s`;

async function main(): Promise<void> {
  // `npm run bench -- bundles`: the Lambda bundle table alone (no corpus, no Hugo), in about a minute.
  if (process.argv.includes('bundles')) {
    console.log(await (await import('./bundles.js')).benchBundles());
    return;
  }
  mkdirSync(WORK, { recursive: true });
  if (existsSync(RUNS)) {
    rmSync(RUNS, { recursive: true, force: true });
    spawnSync('sync');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);
  }
  const hugo = hugoAvailable();
  console.log(
    `cores: ${availableParallelism()}, node ${process.version}, hugo: ${hugo ? 'yes' : 'not installed'}, corpus: ${CORPUS_KIND}`,
  );
  const rows: string[][] = [];
  const incrementBySize = new Map<number, number>();
  for (const size of SIZES) {
    const dir = corpusDir(size);
    const articles = join(dir, 'articles');
    // Each run writes into folders of its own, deleted only after every measurement: deleting a
    // 100,000-file tree makes the file system slow for a while afterwards (discards and journal
    // work), which measured here as a doubled build time for whatever ran next.
    const run = join(RUNS, String(size));

    const floorSeconds = await floor(articles);
    settle();
    const cold = buildCli(articles, run);
    // Incremental: 100 new articles into the state the cold build left.
    const added: string[] = [];
    for (const file of incrementFiles(size, INCREMENT)) {
      const path = join(articles, file.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
      added.push(path);
    }
    settle();
    const incremental = buildCli(articles, run);
    for (const path of added) rmSync(path);
    incrementBySize.set(size, incremental.seconds);
    settle();
    const undo = buildCli(articles, run); // removes the 100 again: a second incremental run
    settle();
    const unchanged = buildCli(articles, run); // nothing changed since the last build

    let hugoSeconds = 'n/a';
    if (hugo && size <= Number(process.env.BENCH_HUGO_MAX ?? 100_000)) {
      const site = prepareHugoSite(dir, articles);
      settle();
      const hugoRun = timeCommand('hugo', ['--quiet', '--destination', join(run, 'hugo-public')], site);
      hugoSeconds = hugoRun.status === 0 ? secs(hugoRun.seconds) : `failed: ${hugoRun.output.slice(0, 200)}`;
    }
    rows.push([
      String(size),
      secs(cold.seconds),
      `${Math.round(size / cold.seconds)}/s`,
      mib(cold.peakBytes),
      secs(floorSeconds),
      hugoSeconds,
      secs(incremental.seconds),
      secs(undo.seconds),
      secs(unchanged.seconds),
    ]);
    console.log(
      `${size} articles: cold ${secs(cold.seconds)} (${Math.round(size / cold.seconds)} articles/s, peak ${mib(cold.peakBytes)}), ` +
        `floor ${secs(floorSeconds)}, hugo ${hugoSeconds}, +${INCREMENT} incremental ${secs(incremental.seconds)} ` +
        `(peak ${mib(incremental.peakBytes)}), -${INCREMENT} ${secs(undo.seconds)}, unchanged ${secs(unchanged.seconds)}`,
    );
  }
  const header = [
    'articles',
    'cold build',
    'rate',
    'peak memory',
    'floor (read+tokenize)',
    'hugo',
    `+${INCREMENT} incremental`,
    `-${INCREMENT} incremental`,
    'nothing changed',
  ];
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  const small = incrementBySize.get(Math.min(...incrementBySize.keys()));
  const large = incrementBySize.get(Math.max(...incrementBySize.keys()));
  if (small && large)
    console.log(`\nincremental ratio largest/smallest state: ${(large / small).toFixed(2)}×`);
  try {
    console.log(`\n${await (await import('./bundles.js')).benchBundles()}`);
  } catch (error) {
    // The build figures above stand on their own: a bundle that does not load is said, not fatal.
    console.log(`\nbundles: ${(error as Error).message.split('\n')[0]}`);
  }
  rmSync(RUNS, { recursive: true, force: true });
}

await main();
