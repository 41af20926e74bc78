import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../../core/ports.js';

/** Build state as files in a (git-ignored) folder; each put is atomic (write, then rename). */
export class FileBlobStore implements BlobStore {
  private made = false;
  constructor(readonly root: string) {}

  async get(name: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.root, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(name: string, bytes: Uint8Array): Promise<void> {
    if (!this.made) {
      await mkdir(this.root, { recursive: true });
      this.made = true;
    }
    const path = join(this.root, name);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  async delete(name: string): Promise<void> {
    await rm(join(this.root, name), { force: true });
  }
}
