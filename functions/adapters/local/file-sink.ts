import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../../core/model.js';
import type { SiteSink } from '../../core/ports.js';

/** Writes the site into a folder, leaving files whose bytes are unchanged untouched (mtime included). */
export class FileSiteSink implements SiteSink {
  private readonly madeDirs = new Set<string>();
  constructor(readonly root: string) {}

  async write(file: OutputFile): Promise<boolean> {
    const path = this.resolve(file.path);
    const bytes = Buffer.from(file.body, 'utf8');
    try {
      const existing = await readFile(path);
      if (existing.equals(bytes)) return false;
    } catch {
      // Missing: write it.
    }
    const dir = dirname(path);
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    await writeFile(path, bytes);
    return true;
  }

  async remove(path: string): Promise<void> {
    await rm(this.resolve(path), { force: true });
  }

  async exists(path: string): Promise<boolean> {
    try {
      return (await stat(this.resolve(path))).isFile();
    } catch {
      return false;
    }
  }

  private resolve(path: string): string {
    if (path.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`refusing to write outside the site folder: ${path}`);
    }
    return join(this.root, ...path.split('/'));
  }
}
