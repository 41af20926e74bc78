/**
 * The local CLI: builds an articles folder into a static site with feeds and a digest preview.
 * Thin by design: parse arguments, compose the local adapters, run the pipeline, print, exit.
 */
import { parseArgs } from 'node:util';
import { composeLocal } from './compose.js';
import { ConfigError } from './core/config.js';
import { type BuildReport, build } from './core/pipeline/build.js';
import type { Progress } from './core/ports.js';
import { explainCommand, formatReport } from './explain-command.js';

const USAGE = `Usage: npm start -- [options]

Builds every article in the articles folder into a deduplicated site with RSS, Atom and JSON feeds
and the next email digest. Only files added, changed or removed since the last run are processed.

Options:
  --articles DIR   articles folder (default: articles)
  --out DIR        output folder (default: public)
  --state DIR      state folder (default: .state)
  --config FILE    JSON config file (default: site.config.json when present)
  --templates DIR  templates folder (default: templates)
  --workers N      worker threads for large runs (default: number of cores)
  --explain A B    explain whether articles A and B are one story, and why (after a build)
  --json           print a machine-readable summary
  --quiet          print nothing but errors
  -h, --help       show this help

Exit status: 0 when every article was published, 1 when any was rejected, 2 on a fatal error.`;

function terminalProgress(enabled: boolean): Progress {
  let last = 0;
  let shown = false;
  return {
    update(phase, done, total) {
      if (!enabled || total < 500) return;
      const now = Date.now();
      if (now - last < 250 && done < total) return;
      last = now;
      shown = true;
      process.stderr.write(`\r${phase} ${done}/${total}   `);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

export function humanSummary(report: BuildReport): string {
  const { counts } = report;
  const lines: string[] = [];
  if (!report.changed) lines.push('Nothing changed since the last build.');
  lines.push(
    `${counts.files} files read, ${counts.processed} processed, ${counts.merged} merged as duplicates, ` +
      `${counts.stories} stories published, ${counts.rejected} rejected; ${counts.written} files written, ${counts.removed} removed.`,
  );
  const MERGES_SHOWN = 20;
  for (const merge of report.merges.slice(0, MERGES_SHOWN)) {
    lines.push(
      `  merged ${merge.source} into ${merge.into} (story ${merge.story}, containment ${merge.containment.toFixed(2)}, coverage ${merge.coverage.toFixed(2)})`,
    );
  }
  if (report.edition)
    lines.push(
      `Digest ${report.edition.id}: "${report.edition.subject}" (${report.edition.stories} stories)`,
    );
  for (const held of report.held)
    lines.push(`held: ${held.source} until ${held.until} (dated in the future)`);
  for (const warning of report.warnings) lines.push(`warning: ${warning.message}`);
  for (const error of report.rejected) lines.push(`rejected: ${error.message}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = (list: string[]) =>
    parseArgs({
      args: list,
      options: {
        articles: { type: 'string', default: 'articles' },
        out: { type: 'string', default: 'public' },
        state: { type: 'string', default: '.state' },
        config: { type: 'string' },
        templates: { type: 'string', default: 'templates' },
        workers: { type: 'string' },
        json: { type: 'boolean', default: false },
        explain: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.explain || positionals.length > 0) {
    if (!values.explain || positionals.length !== 2) {
      process.stderr.write('--explain takes two article files: npm start -- --explain FILE_A FILE_B\n');
      return 2;
    }
    try {
      const report = await explainCommand({
        files: positionals,
        articlesDir: values.articles,
        stateDir: values.state,
        ...(values.config ? { configPath: values.config } : {}),
      });
      process.stdout.write(
        values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`,
      );
      return 0;
    } catch (error) {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    process.stderr.write('--workers must be a whole number of at least 1\n');
    return 2;
  }
  let local: Awaited<ReturnType<typeof composeLocal>> | undefined;
  try {
    local = await composeLocal({
      articlesDir: values.articles,
      outDir: values.out,
      stateDir: values.state,
      templatesDir: values.templates,
      ...(values.config ? { configPath: values.config } : {}),
      ...(workers ? { workers } : {}),
      progress: terminalProgress(!values.json && !values.quiet && process.stderr.isTTY === true),
    });
    const report = await build(local.deps, local.options);
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (!values.quiet) process.stdout.write(`${humanSummary(report)}\n`);
    else for (const error of report.rejected) process.stderr.write(`rejected: ${error.message}\n`);
    return report.rejected.length ? 1 : 0;
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`error: ${message}\n`);
    return 2;
  } finally {
    await local?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
