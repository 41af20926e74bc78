/**
 * The WebSub publish ping over HTTP(S), with Node's own `fetch`: one form-encoded POST per feed. Used by
 * the local build and by the publish Lambda alike (an outbound call: no AWS permission involved).
 */
import type { HubNotifier } from '../../core/websub.js';

export class HubRejectedError extends Error {
  override name = 'HubRejectedError';
}

export class HttpHubNotifier implements HubNotifier {
  constructor(private readonly timeoutMs = 10_000) {}

  async publish(hub: string, feedUrl: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      const reason =
        cause instanceof Error
          ? ((cause.cause as Error | undefined)?.message ?? cause.message)
          : String(cause);
      throw new HubRejectedError(`cannot reach the hub: ${reason}`, { cause });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok)
      throw new HubRejectedError(`the hub answered ${response.status} ${response.statusText}`.trim());
  }
}
