import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ArticleSource, SourceEntry } from '../../core/ports.js';

/** File endings read as articles; anything else in the folder (images, notes) is left alone. */
export const ARTICLE_EXTENSIONS = ['.txt', '.text', '.md', '.markdown'];

/** Articles in a local folder, searched recursively; hidden files and folders are skipped. */
export class FileArticleSource implements ArticleSource {
  constructor(readonly root: string) {}

  async list(): Promise<SourceEntry[]> {
    // Synchronous calls: a 100,000-file folder lists in a fraction of the time the promise API
    // takes, because each stat is one system call instead of a round trip through the thread pool.
    const result: SourceEntry[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile() && ARTICLE_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
          const info = statSync(path);
          result.push({
            key: relative(this.root, path).split(sep).join('/'),
            size: info.size,
            version: `${Math.trunc(info.mtimeMs)}-${info.size}`,
          });
        }
      }
    };
    walk(this.root);
    return result;
  }

  async read(key: string): Promise<Uint8Array> {
    // Synchronous on purpose: for small files it is several times faster than the promise API
    // (one call instead of open/stat/read/close round trips through the thread pool), and the
    // build reads one file at a time per thread anyway.
    return readFileSync(join(this.root, ...key.split('/')));
  }
}
