import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { OutputFile } from '../../core/model.js';
import type { SiteSink } from '../../core/ports.js';
import { isMissingObject } from './s3-errors.js';

export class UnsafeSitePathError extends Error {
  override name = 'UnsafeSitePathError';
  constructor(path: string) {
    super(`refusing to publish outside the site root: "${path}"`);
  }
}

const FEEDS = new Set(['feed.xml', 'atom.xml', 'feed.json']);

/**
 * Browser and CDN lifetime of a page: listings (feeds, index, month archives) change with every new
 * story and are invalidated anyway, so they stay short; an article page rarely changes after publishing.
 */
export function cacheControlFor(path: string): string {
  // Published images are named by their content hash: a new image is a new name.
  if (path.startsWith('media/')) return 'public, max-age=31536000, immutable';
  if (FEEDS.has(path) || path === 'index.html' || path.startsWith('archive/')) return 'public, max-age=300';
  if (path.startsWith('articles/') || path.startsWith('digests/')) return 'public, max-age=3600';
  return 'public, max-age=300';
}

function checkedKey(path: string): string {
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..'))
    throw new UnsafeSitePathError(path);
  return path;
}

/**
 * The published site in a bucket. Each object carries the SHA-256 of its body in its metadata, so a
 * rebuild that renders the same bytes costs one HEAD and no PUT (and no CloudFront invalidation).
 */
export interface S3SiteSinkOptions {
  /**
   * HEAD each object first and skip the PUT when its bytes are unchanged (default). Off for a
   * writer that only adds new objects (the edition archive): it then needs PutObject alone, since
   * a HEAD of a missing key without ListBucket answers 403, not 404.
   */
  skipUnchanged?: boolean;
}

export class S3SiteSink implements SiteSink {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly options: S3SiteSinkOptions = {},
  ) {}

  async write(file: OutputFile): Promise<boolean> {
    const key = checkedKey(file.path);
    const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const cacheControl = cacheControlFor(file.path);
    const head = this.options.skipUnchanged === false ? undefined : await this.head(key);
    // Headers count as content too: a changed type or cache policy is written even when bytes are not.
    if (
      head?.Metadata?.sha256 === sha256 &&
      head.ContentType === file.contentType &&
      head.CacheControl === cacheControl
    ) {
      return false;
    }
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: file.contentType,
        CacheControl: cacheControl,
        Metadata: { sha256 },
      }),
    );
    return true;
  }

  async remove(path: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkedKey(path) }));
  }

  async exists(path: string): Promise<boolean> {
    return (await this.head(checkedKey(path))) !== undefined;
  }

  private async head(key: string): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }
}
