import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
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

  getSync(name: string): Uint8Array | undefined {
    try {
      return readFileSync(join(this.root, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async getRange(name: string, offset: number, length: number): Promise<Uint8Array> {
    const bytes = new Uint8Array(length);
    const fd = openSync(join(this.root, name), 'r');
    try {
      let read = 0;
      while (read < length) {
        const n = readSync(fd, bytes, read, length - read, offset + read);
        if (n === 0)
          throw new Error(`${name} is shorter than expected (state is damaged; delete it to rebuild)`);
        read += n;
      }
    } finally {
      closeSync(fd);
    }
    return bytes;
  }

  async put(name: string, bytes: Uint8Array | Iterable<Uint8Array>): Promise<void> {
    if (!this.made) {
      await mkdir(this.root, { recursive: true });
      this.made = true;
    }
    const path = join(this.root, name);
    const tmp = `${path}.${process.pid}.tmp`;
    if (bytes instanceof Uint8Array) {
      await writeFile(tmp, bytes);
    } else {
      const fd = openSync(tmp, 'w');
      try {
        for (const chunk of bytes) {
          let written = 0;
          while (written < chunk.length) written += writeSync(fd, chunk, written);
        }
      } finally {
        closeSync(fd);
      }
    }
    await rename(tmp, path);
  }

  async delete(name: string): Promise<void> {
    await rm(join(this.root, name), { force: true });
  }
}
