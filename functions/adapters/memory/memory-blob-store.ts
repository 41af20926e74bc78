import type { BlobStore } from '../../core/ports.js';

/** Build state in memory: for evaluations and tests that need no files. */
export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<string, Uint8Array>();

  async get(name: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(name);
  }

  getSync(name: string): Uint8Array | undefined {
    return this.blobs.get(name);
  }

  async getRange(name: string, offset: number, length: number): Promise<Uint8Array> {
    const blob = this.blobs.get(name);
    if (!blob || offset + length > blob.length)
      throw new Error(`${name}: no bytes ${offset}–${offset + length}`);
    return blob.subarray(offset, offset + length);
  }

  async put(name: string, bytes: Uint8Array | Iterable<Uint8Array>): Promise<void> {
    if (bytes instanceof Uint8Array) {
      this.blobs.set(name, bytes.slice());
      return;
    }
    const parts = [...bytes];
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    this.blobs.set(name, out);
  }

  async delete(name: string): Promise<void> {
    this.blobs.delete(name);
  }
}
