/**
 * `npm start -- --explain FILE_A FILE_B`: prints whether the two articles are one story and why,
 * with the template lines the last build learned (run `npm start` first to learn them).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FileBlobStore } from '../../adapters/local/file-blob-store.js';
import { loadConfig } from '../../compose/local.js';
import { systemClock } from '../../compose/shared.js';
import { formatExplanation } from '../../core/dedup/explain.js';
import { type ExplainReport, explainFiles } from '../../core/local/explain-files.js';

export interface ExplainOptions {
  files: string[];
  articlesDir: string;
  stateDir: string;
  configPath?: string;
}

/** The key the build state uses for a file under the articles folder; the path as given otherwise. */
function keyOf(articlesDir: string, path: string): string {
  const rel = relative(resolve(articlesDir), resolve(path));
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

export async function explainCommand(options: ExplainOptions): Promise<ExplainReport> {
  const [a, b] = options.files as [string, string];
  const config = await loadConfig(options.configPath);
  const read = async (path: string) => ({
    key: keyOf(options.articlesDir, path),
    bytes: await readFile(path),
  });
  return explainFiles(new FileBlobStore(resolve(options.stateDir)), await read(a), await read(b), {
    maxBytes: config.maxArticleBytes,
    now: systemClock().now(),
  });
}

export function formatReport(report: ExplainReport): string {
  const lines = [formatExplanation(report)];
  if (report.templatesKnown === 0)
    lines.push('  (no template lines learned yet: run `npm start` on the articles folder first)');
  else lines.push(`  template lines known from the last build: ${report.templatesKnown}`);
  if (report.lastBuild)
    lines.push(
      `  last build: ${report.lastBuild.sameStory ? `one story, ${report.lastBuild.storyA}` : `stories ${report.lastBuild.storyA} and ${report.lastBuild.storyB}`}`,
    );
  return lines.join('\n');
}
