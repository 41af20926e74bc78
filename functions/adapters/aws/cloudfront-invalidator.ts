import { createHash, randomUUID } from 'node:crypto';
import {
  type CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
} from '@aws-sdk/client-cloudfront';
import type { CacheInvalidator } from '../../core/cloud/ports.js';

/**
 * Above this many paths one wildcard is cheaper: CloudFront bills each listed path (beyond 1,000 a
 * month) and a `/*` counts as one.
 */
export const MAX_LISTED_PATHS = 30;

export class CloudFrontInvalidator implements CacheInvalidator {
  constructor(
    private readonly cloudfront: CloudFrontClient,
    private readonly distributionId: string,
  ) {}

  async invalidate(paths: string[]): Promise<string | undefined> {
    if (!paths.length) return undefined;
    const unique = [
      ...new Set(paths.map((path) => encodeURI(path.startsWith('/') ? path : `/${path}`))),
    ].sort();
    const items = unique.length > MAX_LISTED_PATHS ? ['/*'] : unique;
    // The reference makes a retried request idempotent; it must differ between two real requests,
    // even for the same paths (the same page can change twice).
    const reference = `${createHash('sha256').update(items.join('\n')).digest('hex').slice(0, 16)}-${Date.now()}-${randomUUID().slice(0, 8)}`;
    const { Invalidation } = await this.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: { CallerReference: reference, Paths: { Quantity: items.length, Items: items } },
      }),
    );
    return Invalidation?.Id;
  }

  /** `GetInvalidation`: its status is `InProgress` until every edge location has dropped the paths. */
  async isComplete(id: string): Promise<boolean> {
    const { Invalidation } = await this.cloudfront.send(
      new GetInvalidationCommand({ DistributionId: this.distributionId, Id: id }),
    );
    return Invalidation?.Status === 'Completed';
  }
}

/** For a site served without a CDN (and for local runs). */
export const noopInvalidator: CacheInvalidator = {
  async invalidate() {
    return undefined;
  },
};
