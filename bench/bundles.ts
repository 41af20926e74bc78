/**
 * Lambda bundle sizes and load times, a cold-start proxy: each handler is bundled as the stack
 * bundles it (`infra/lambda-bundle.ts`) and imported by fresh `node` processes that can reach no
 * node_modules. A bundle that does nothing but export `handler` gives Node's own start-up cost.
 *
 *   npx tsx bench/bundles.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BUNDLE_FILE,
  bundleLambda,
  type FreshImport,
  importInFreshNode,
  LAMBDA_HANDLERS,
} from '../infra/lambda-bundle.js';

const RUNS = 5;

/** A bundle whose import fails makes the figures meaningless: the benchmark stops instead. */
export class BundleLoadError extends Error {
  constructor(name: string, probe: FreshImport) {
    super(
      `the ${name} bundle did not load in plain Node (exit ${probe.status}): ${probe.stderr.slice(0, 500)}`,
    );
    this.name = 'BundleLoadError';
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

interface Row {
  name: string;
  bytes?: number;
  mapBytes?: number;
  buildMs?: number;
  loads: FreshImport[];
  /** As deployed: the stack sets NODE_OPTIONS=--enable-source-maps, which makes Node read the map too. */
  mappedLoads?: FreshImport[];
}

function load(name: string, file: string, flags: string[] = []): FreshImport[] {
  return Array.from({ length: RUNS }, () => {
    const probe = importInFreshNode(file, flags);
    if (probe.status !== 0) throw new BundleLoadError(name, probe);
    return probe;
  });
}

export async function benchBundles(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    const rows: Row[] = [];
    const baseline = join(root, 'baseline');
    mkdirSync(baseline);
    writeFileSync(join(baseline, BUNDLE_FILE), 'export const handler = async () => {};\n');
    rows.push({ name: 'node alone (empty handler)', loads: load('baseline', join(baseline, BUNDLE_FILE)) });
    for (const handler of LAMBDA_HANDLERS) {
      const began = performance.now();
      const bundle = await bundleLambda(handler, join(root, handler.name));
      const buildMs = performance.now() - began;
      rows.push({
        name: handler.name,
        bytes: bundle.bytes,
        mapBytes: bundle.mapBytes,
        buildMs,
        loads: load(handler.name, bundle.file),
        mappedLoads: load(handler.name, bundle.file, ['--enable-source-maps']),
      });
    }
    const header = [
      'bundle',
      'size (minified)',
      'source map',
      'esbuild',
      `import (median of ${RUNS})`,
      'process start → imported',
      'child wall time',
      'start → imported, --enable-source-maps',
    ];
    const lines = [
      `Lambda bundles (${process.version} here; Lambda runs Node 22 on arm64):`,
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((row) => {
        const cells = [
          row.name,
          row.bytes === undefined ? '-' : kib(row.bytes),
          row.mapBytes === undefined ? '-' : kib(row.mapBytes),
          row.buildMs === undefined ? '-' : ms(row.buildMs),
          ms(median(row.loads.map((probe) => probe.importMs ?? Number.NaN))),
          ms(median(row.loads.map((probe) => probe.sinceStartMs ?? Number.NaN))),
          ms(median(row.loads.map((probe) => probe.wallMs))),
          row.mappedLoads
            ? ms(median(row.mappedLoads.map((probe) => probe.sinceStartMs ?? Number.NaN)))
            : '-',
        ];
        return `| ${cells.join(' | ')} |`;
      }),
    ];
    return lines.join('\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename))
  console.log(await benchBundles());
