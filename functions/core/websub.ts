/**
 * WebSub (W3C Recommendation, section 7): after a publish that changed a feed, the publisher tells the
 * hub (`hub.mode=publish`, `hub.url=<the feed>`), and the hub fetches the feed and pushes it to the
 * subscribers. A hub that cannot be reached must never fail the build: each feed is tried a few times,
 * then one line says which feeds the hub was not told about.
 */

/** Sends one publish notification; throws when the hub did not accept it (a network error, a non-2xx). */
export interface HubNotifier {
  publish(hub: string, feedUrl: string): Promise<void>;
}

export interface NotifyOptions {
  /** Tries per feed (the first included). */
  attempts?: number;
  /** Wait before each retry, doubled each time. */
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Where the one failure line goes. */
  warn(line: string): void;
}

export interface NotifyResult {
  notified: string[];
  failed: string[];
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function notifyHub(
  notifier: HubNotifier,
  hub: string,
  feedUrls: readonly string[],
  options: NotifyOptions,
): Promise<NotifyResult> {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? wait;
  const result: NotifyResult = { notified: [], failed: [] };
  let lastError = '';
  for (const url of feedUrls) {
    // A hub that refused one feed every time is down: the others are not tried (and waited on) in turn.
    if (result.failed.length) {
      result.failed.push(url);
      continue;
    }
    let delay = options.retryDelayMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        await notifier.publish(hub, url);
        result.notified.push(url);
        break;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        if (attempt >= attempts) {
          result.failed.push(url);
          break;
        }
        await sleep(delay);
        delay *= 2;
      }
    }
  }
  if (result.failed.length)
    options.warn(
      `warning: WebSub hub ${hub} was not told about ${result.failed.length} changed feed(s) after ${attempts} tries (${lastError}): ${result.failed.join(', ')}; subscribers get them at their next poll`,
    );
  return result;
}
