import {
  GetObjectCommand,
  type GetObjectCommandInput,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectReader } from '../../core/cloud/ingest.js';
import { ArticleNotFoundError, type ArticleSource, type SourceEntry } from '../../core/ports.js';
import { isMissingObject, s3ErrorStatus } from './s3-errors.js';

const unquote = (etag: string | undefined) => (etag ?? '').replace(/"/g, '');

async function getBytes(s3: S3Client, input: GetObjectCommandInput): Promise<Uint8Array> {
  const { Body } = await s3.send(new GetObjectCommand(input));
  if (!Body) throw new Error(`s3://${input.Bucket}/${input.Key}: GetObject returned no body`);
  return Body.transformToByteArray();
}

/**
 * Articles under a prefix of a bucket, keys relative to it. Every object counts (as in the ingest,
 * which filters nothing but "folder" markers), so the reconciler's listing matches what ingest saw.
 */
export class S3ArticleSource implements ArticleSource {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async list(): Promise<SourceEntry[]> {
    const entries: SourceEntry[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: this.prefix },
    )) {
      for (const object of page.Contents ?? []) {
        if (!object.Key?.startsWith(this.prefix) || object.Key.endsWith('/')) continue;
        entries.push({
          key: object.Key.slice(this.prefix.length),
          size: object.Size ?? 0,
          version: unquote(object.ETag),
        });
      }
    }
    return entries;
  }

  /**
   * A missing key is `ArticleNotFoundError`. S3 answers 404 for it only to a caller that may list the
   * bucket (403 otherwise): the publisher holds a list grant on the articles prefix for that reason, so
   * a denied read stays an error rather than passing for a deleted article.
   */
  async read(key: string): Promise<Uint8Array> {
    try {
      return await getBytes(this.s3, { Bucket: this.bucket, Key: `${this.prefix}${key}` });
    } catch (error) {
      if (isMissingObject(error)) throw new ArticleNotFoundError(key, { cause: error });
      throw error;
    }
  }
}

/** How an event names an object version in an unversioned bucket: its ETag (MD5, or MD5-parts). */
const ETAG = /^[0-9a-f]{32}(-\d+)?$/;

/** Reads one object (version) by full key for the ingest. */
export class S3ObjectReader implements ObjectReader {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * Undefined when the object or version is gone (a removal event follows). The ingest role may not
   * list the bucket, and S3 then answers a missing key with 403 rather than 404: read as gone too.
   * A version that is an ETag (events from an unversioned bucket) is asked for with If-Match; a
   * mismatch means the object was replaced since, and the newer event will be applied instead.
   */
  async read(key: string, version?: string): Promise<Uint8Array | undefined> {
    const selector: Partial<GetObjectCommandInput> = !version
      ? {}
      : ETAG.test(version)
        ? { IfMatch: `"${version}"` }
        : { VersionId: version };
    try {
      return await getBytes(this.s3, { Bucket: this.bucket, Key: key, ...selector });
    } catch (error) {
      const { name, status } = s3ErrorStatus(error);
      if (isMissingObject(error) || name === 'AccessDenied' || status === 403) return undefined;
      if (name === 'PreconditionFailed' || status === 412) return undefined;
      throw error;
    }
  }
}
