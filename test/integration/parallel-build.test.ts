import { describe, expect, it } from 'vitest';
import { writeEasyCorpus } from '../../bench/corpus.js';
import { runCli, snapshot, workspace } from '../helpers/cli.js';

describe('a large build on worker threads', () => {
  it('gives byte-identical output to the same build on one thread, duplicates merged', () => {
    // 450 articles: above the size at which the build spreads reading and page writing over workers.
    const parallel = workspace(false);
    const sequential = workspace(false);
    writeEasyCorpus(parallel.articles, 0, 450);
    writeEasyCorpus(sequential.articles, 0, 450);
    const a = runCli(parallel, ['--workers', '2']);
    const b = runCli(sequential, ['--workers', '1']);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    // The generator makes one in five articles a near-copy of an earlier one.
    expect(a.report.counts.merged).toBeGreaterThan(80);
    expect(a.report.stories).toEqual(b.report.stories);
    const left = snapshot(parallel.out);
    const right = snapshot(sequential.out);
    expect([...left.keys()].sort()).toEqual([...right.keys()].sort());
    for (const [path, file] of left) expect(file.bytes, path).toBe(right.get(path)!.bytes);
  });
});
