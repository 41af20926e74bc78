/**
 * The local CLI: builds an articles folder into a static site with feeds and a digest preview.
 * Thin by design: parse arguments, compose the local adapters, run the pipeline, print, exit.
 */
import { join } from 'node:path';
import { FolderError, requireReadableFolder, requireWritableFolder } from '../../adapters/local/folders.js';
import { ARTICLE_EXTENSIONS } from '../../core/article/article-key.js';
import { ConfigError } from '../../core/config.js';
import { CandidateIndexFormatError } from '../../core/dedup/candidate-index.js';
import type { BuildReport } from '../../core/local/report.js';
import { StateFormatError } from '../../core/local/state.js';
import type { Progress } from '../../core/ports.js';
import { PackFormatError } from '../../core/stories/shingle-pack.js';
import { defineCommand, EXIT_OK, EXIT_PARTIAL, runCommand, UsageError, UserError } from '../support.js';

/** One entry per option: the parser and `--help` both read this table. */
const BUILD_COMMAND = defineCommand({
  invocation: 'npm start --',
  synopsis: 'npm start -- [options]',
  description: `Builds every article in the articles folder into a deduplicated site with RSS, Atom and JSON feeds
and the next email digest. Only files added, changed or removed since the last run are processed.`,
  options: {
    articles: {
      type: 'string',
      default: 'articles',
      value: 'DIR',
      help: 'articles folder (default: articles)',
    },
    out: { type: 'string', default: 'public', value: 'DIR', help: 'output folder (default: public)' },
    state: { type: 'string', default: '.state', value: 'DIR', help: 'state folder (default: .state)' },
    config: {
      type: 'string',
      value: 'FILE',
      help: 'JSON config file (default: site.config.json when present)',
    },
    templates: {
      type: 'string',
      default: 'templates',
      value: 'DIR',
      help: 'templates folder (default: templates)',
    },
    workers: {
      type: 'string',
      value: 'N',
      help: 'worker threads for large runs (default: number of cores)',
    },
    json: { type: 'boolean', default: false, help: 'print a machine-readable summary' },
    explain: {
      type: 'boolean',
      default: false,
      help: 'with two article files after it: whether they are one story, and why (run a build first)',
    },
    quiet: {
      type: 'boolean',
      default: false,
      help: 'print nothing but errors, rejected files and an empty-folder warning',
    },
  },
  epilogue: 'Exit status: 0 when every article was published, 1 when any was rejected, 2 on a fatal error.',
  positionals: true,
  userErrors: [ConfigError, FolderError],
});

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

/** Merges listed in the human summary; `--json` lists them all. */
export const MERGES_SHOWN = 20;

export function humanSummary(report: BuildReport): string {
  const { counts } = report;
  const lines: string[] = [];
  if (!report.changed) lines.push('Nothing changed since the last build.');
  lines.push(
    `${counts.files} files read, ${counts.processed} processed, ${counts.merged} merged as duplicates, ` +
      `${counts.stories} stories published, ${counts.rejected} rejected; ${counts.written} files written, ${counts.removed} removed.`,
  );
  for (const merge of report.merges.slice(0, MERGES_SHOWN)) {
    lines.push(
      `  merged ${merge.source} into ${merge.into} (story ${merge.story}, containment ${merge.containment.toFixed(2)}, coverage ${merge.coverage.toFixed(2)})`,
    );
  }
  const more = report.merges.length - MERGES_SHOWN;
  if (more > 0) lines.push(`  … and ${more} more merge${more === 1 ? '' : 's'} (--json lists them all)`);
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

function workerCount(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const workers = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!(workers >= 1)) throw new UsageError(`--workers takes a whole number of at least 1, not "${raw}"`);
  return workers;
}

/** The stored state cannot be decoded: a rebuild from scratch is the fix. */
const isDamagedState = (error: unknown) =>
  error instanceof StateFormatError ||
  error instanceof PackFormatError ||
  error instanceof CandidateIndexFormatError;

export async function main(argv: string[]): Promise<number> {
  return runCommand(BUILD_COMMAND, argv, async (values, positionals) => {
    if (values.explain || positionals.length > 0) {
      if (!values.explain)
        throw new UsageError(`unexpected argument "${positionals[0]}" (did you mean --explain A B?)`);
      if (positionals.length !== 2)
        throw new UsageError('--explain takes two article files: npm start -- --explain FILE_A FILE_B');
      const { explainCommand, formatReport } = await import('./explain.js');
      const report = await explainCommand({
        files: positionals,
        articlesDir: values.articles,
        stateDir: values.state,
        ...(values.config ? { configPath: values.config } : {}),
      });
      process.stdout.write(
        values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`,
      );
      return EXIT_OK;
    }
    const workers = workerCount(values.workers);
    requireReadableFolder(values.articles, {
      what: 'articles folder',
      fix: 'pass --articles DIR',
      ifMissing: 'create it and put articles in it, or pass --articles DIR',
    });
    requireReadableFolder(values.templates, {
      what: 'templates folder',
      fix: 'pass --templates DIR',
      ifMissing: "pass --templates DIR (this project's templates/ folder has every template)",
    });
    requireWritableFolder(values.out, { what: 'output folder', fix: 'pass --out DIR' });
    requireWritableFolder(values.state, { what: 'state folder', fix: 'pass --state DIR' });
    // Loaded once the arguments and folders are known to be good: --help and a mistake answer at once.
    const [{ composeLocal }, { build }, { TemplateError }] = await Promise.all([
      import('../../compose/local.js'),
      import('../../core/local/build.js'),
      import('../../core/render/templates.js'),
    ]);
    const localOptions: Parameters<typeof composeLocal>[0] = {
      articlesDir: values.articles,
      outDir: values.out,
      stateDir: values.state,
      templatesDir: values.templates,
      ...(values.config ? { configPath: values.config } : {}),
      ...(workers ? { workers } : {}),
      progress: terminalProgress(!values.json && !values.quiet && process.stderr.isTTY === true),
    };
    let local: Awaited<ReturnType<typeof composeLocal>> | undefined;
    try {
      local = await composeLocal(localOptions);
      const report = await build(local.deps, local.options);
      // Said even under --quiet and --json (on stderr): a rebuild re-reads every article, and the
      // digest numbering starts again.
      if (report.stateRebuilt)
        process.stderr.write(
          `warning: state file ${join(values.state, report.stateRebuilt.file)} ${report.stateRebuilt.problem}: ` +
            'the state was rebuilt from the articles\n',
        );
      if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (!values.quiet) process.stdout.write(`${humanSummary(report)}\n`);
      else for (const error of report.rejected) process.stderr.write(`rejected: ${error.message}\n`);
      // Most likely a wrong folder (or one not mounted): said even under --quiet, on stderr.
      if (report.counts.files === 0)
        process.stderr.write(
          `warning: articles folder ${values.articles} has no articles (${ARTICLE_EXTENSIONS.join(', ')} files): ` +
            'nothing to publish; put articles in it, or pass --articles DIR\n',
        );
      return report.rejected.length ? EXIT_PARTIAL : EXIT_OK;
    } catch (error) {
      // The renderers know the template's file name only: the folder makes it a path to open.
      if (error instanceof TemplateError)
        throw new UserError(
          error.message.replace(
            `template ${error.template}`,
            `template ${join(values.templates, error.template)}`,
          ),
          { cause: error },
        );
      if (isDamagedState(error))
        throw new UserError(
          `the state in ${values.state} is damaged (${(error as Error).message}): delete that folder and run again to rebuild`,
          { cause: error },
        );
      throw error;
    } finally {
      await local?.close();
    }
  });
}
