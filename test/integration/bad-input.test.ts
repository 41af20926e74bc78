import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, workspace } from '../helpers/cli.js';
import { parseWithFeedparser, xmllintCheck } from '../helpers/readers.js';

describe('bad input never stops the good articles', () => {
  const ws = workspace();
  writeFileSync(join(ws.articles, 'empty.txt'), '');
  writeFileSync(
    join(ws.articles, 'binary.txt'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0]),
  );
  writeFileSync(
    join(ws.articles, 'latin1.txt'),
    Buffer.from('Caf\xe9 society returns to Kabul as the markets reopen.\n', 'latin1'),
  );
  writeFileSync(join(ws.articles, 'huge.txt'), `Big news.\n\n${'word '.repeat(220_000)}`);
  writeFileSync(
    join(ws.articles, 'hostile.txt'),
    ' date 2021-08-30 Markets <script>alert(1)</script> reopen in \u0001Kabul\u0007 ]]> as banks resume work\n' +
      'Banks in Kabul reopened on Saturday for the first time since the Taliban takeover, with <b>long queues</b> outside branches. ]]> Customers said withdrawals were capped.\n',
  );
  const run = runCli(ws);

  it('exits 1 and names each rejected file with its problem', () => {
    expect(run.status).toBe(1);
    const byFile = new Map(run.report.rejected.map((d) => [d.source, d]));
    expect(byFile.get('empty.txt')?.code).toBe('empty');
    expect(byFile.get('binary.txt')?.code).toBe('binary');
    expect(byFile.get('latin1.txt')?.code).toBe('invalid-utf8');
    expect(byFile.get('huge.txt')?.code).toBe('too-large');
    for (const [file, diagnostic] of byFile) expect(diagnostic.message).toContain(file);
    expect(byFile.has('hostile.txt')).toBe(false);
  });

  it('publishes the seeds and the hostile article, escaped, with warnings naming it', () => {
    expect(run.report.stories).toHaveLength(5);
    const codes = run.report.warnings.filter((w) => w.source === 'hostile.txt').map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['control-chars', 'html-stripped']));
    const feed = parseWithFeedparser(join(ws.out, 'feed.xml'));
    expect(feed.bozo).toBe(false);
    const hostile = feed.entries.find((entry) => entry.title?.startsWith('Markets'));
    expect(hostile?.title).toContain(']]>');
    expect(hostile?.title).not.toContain('<script');
    expect(hostile?.title).not.toMatch(/[\u0001\u0007]/);
    expect(xmllintCheck([join(ws.out, 'feed.xml'), join(ws.out, 'atom.xml')]).ok).toBe(true);
  });

  it('reports the same rejections on a rebuild without re-reading them', () => {
    const again = runCli(ws);
    expect(again.report.changed).toBe(false);
    expect(again.status).toBe(1);
    expect(again.report.rejected.map((d) => d.source).sort()).toEqual([
      'binary.txt',
      'empty.txt',
      'huge.txt',
      'latin1.txt',
    ]);
  });
});
