/**
 * The ports through which the pure core talks to the world. `functions/adapters/` implements them:
 * local files for the embedded default, AWS SDK v3 for the cloud. Only the composition roots in `functions/compose/` pick.
 */
import type { OutputFile } from './model.js';

/** One input article as listed by its source. */
export interface SourceEntry {
  /** Key relative to the articles root, with `/` separators (e.g. `000_8e65.txt`). */
  key: string;
  size: number;
  /** Changes whenever the content may have changed: mtime+size locally, ETag or version id in S3. */
  version: string;
  /**
   * Set when the listing found the entry but it cannot be read (a folder nested beyond the system's
   * path length, one without permission): why, in words. The build rejects it by name.
   */
  unreadable?: string;
}

export interface ArticleSource {
  list(): Promise<SourceEntry[]>;
  /**
   * Throws `ArticleNotFoundError` when the source no longer holds the article. With `version`, the
   * local folder throws `ArticleChangedError` unless the bytes read are that version, and it throws
   * `ArticleUnreadableError` for anything but a regular file (a symbolic link is never followed);
   * S3 reads are not versioned here and ignore it (the cloud ingest tracks versions itself).
   */
  read(key: string, version?: string): Promise<Uint8Array>;
  /**
   * The version of a file beside the articles (an image an article names), in the form `list()`
   * gives articles; undefined when there is none. The local folder has it: its build re-reads an
   * article whose images changed. Absent on S3 (the publish function reads images at each render).
   */
  version?(key: string): Promise<string | undefined>;
}

/** An article that was changed since the build listed or ingested it: read again by the next build. */
export class ArticleChangedError extends Error {
  override name = 'ArticleChangedError';
  readonly reason = 'changed while the build was reading it (the next build reads it again)';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super('', options);
    this.message = `${key}: ${this.reason}`;
  }
}

/** An article path that cannot be read as an article: `reason` says why in words. */
export class ArticleUnreadableError extends Error {
  override name = 'ArticleUnreadableError';
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${key}: ${reason}`, options);
  }
}

/** An article the source no longer holds: deleted since it was listed or ingested. */
export class ArticleNotFoundError extends Error {
  override name = 'ArticleNotFoundError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`${key}: the article is no longer in the source`, options);
  }
}

/** Where the published site goes. */
export interface SiteSink {
  /** Writes a file unless its bytes are unchanged; returns whether it wrote. */
  write(file: OutputFile): Promise<boolean>;
  remove(path: string): Promise<void>;
  /** Whether a file exists (to repair a site whose files were deleted by hand). */
  exists(path: string): Promise<boolean>;
}

/** Stores the build state between runs (a git-ignored folder locally). */
export interface BlobStore {
  get(name: string): Promise<Uint8Array | undefined>;
  /** Reads `length` bytes at `offset` of a blob (one stored doc out of a large segment). */
  getRange(name: string, offset: number, length: number): Promise<Uint8Array>;
  /** `get`, synchronously: optional (local stores have it; a report's lazily computed lists use it). */
  getSync?(name: string): Uint8Array | undefined;
  /** Atomically replaces the blob; chunks are written in turn (a large state never exists as one buffer). */
  put(name: string, bytes: Uint8Array | Iterable<Uint8Array>): Promise<void>;
  delete(name: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** Progress reporting for long runs. */
export interface Progress {
  update(phase: string, done: number, total: number): void;
  done(): void;
}

export const silentProgress: Progress = { update() {}, done() {} };
