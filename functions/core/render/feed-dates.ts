import type { Story } from '../model.js';

export class InvalidFeedDateError extends Error {
  override name = 'InvalidFeedDateError';
  constructor(readonly value: string) {
    super(`not a usable ISO 8601 date for a feed: "${value}"`);
  }
}

// Both formats below have four-digit years; outside this range they would silently produce invalid dates.
const MIN_TIME = Date.UTC(1000, 0, 1);
const MAX_TIME = Date.UTC(10000, 0, 1) - 1;

function parseDate(iso: string): Date {
  const time = Date.parse(iso);
  if (Number.isNaN(time) || time < MIN_TIME || time > MAX_TIME) throw new InvalidFeedDateError(iso);
  return new Date(time);
}

/** RFC 822 date as RSS wants it, always in GMT: `Mon, 23 Aug 2021 00:00:00 GMT`. */
export function rfc822(iso: string): string {
  return parseDate(iso).toUTCString();
}

/** RFC 3339 date-time in UTC, as Atom and JSON Feed want it: `2021-08-23T00:00:00.000Z`. */
export function rfc3339(iso: string): string {
  return parseDate(iso).toISOString();
}

/** The newest `updated` among the stories (compared as instants, not strings), or undefined for none. */
export function newestUpdated(stories: readonly Story[]): string | undefined {
  let newest: string | undefined;
  let newestTime = Number.NEGATIVE_INFINITY;
  for (const story of stories) {
    const time = parseDate(story.updated).getTime();
    if (time > newestTime) {
      newest = story.updated;
      newestTime = time;
    }
  }
  return newest;
}
