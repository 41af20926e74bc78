/**
 * The edition id comes from the schedule time alone (UTC, minute precision): a schedule that fires
 * twice, or an invocation retried, names the same edition, and the conditional create of that one
 * edition item is what makes the second run a no-op.
 */

/** The scheduler's input is not a usable time: nothing was created. */
export class InvalidScheduleTimeError extends Error {
  override name = 'InvalidScheduleTimeError';
}

/** ISO 8601 date-time with a zone: what EventBridge Scheduler's `<aws.scheduler.scheduled-time>` gives. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const EDITION_ID = /^e-\d{4}-\d{2}-\d{2}T\d{4}Z$/;

export interface ScheduledEdition {
  /** `e-YYYY-MM-DDTHHMMZ`. */
  editionId: string;
  /** The schedule time as `toISOString()` gives it, the format of story `createdAt` (they compare as text). */
  scheduledTime: string;
}

/** Reads the scheduler's `scheduledTime`; a missing, zone-less or impossible time is refused, naming it. */
export function scheduledEdition(scheduledTime: unknown): ScheduledEdition {
  if (typeof scheduledTime !== 'string' || !ISO_WITH_ZONE.test(scheduledTime)) {
    throw new InvalidScheduleTimeError(
      `scheduledTime must be an ISO 8601 time with a zone, such as 2026-11-25T07:00:00Z; got ${JSON.stringify(scheduledTime)}`,
    );
  }
  const ms = Date.parse(scheduledTime);
  // Date.parse rolls 2026-02-31 over to March; a round trip of the date part catches it.
  if (Number.isNaN(ms) || !sameCalendarDate(scheduledTime, ms)) {
    throw new InvalidScheduleTimeError(`scheduledTime ${scheduledTime} is not a real time`);
  }
  const time = new Date(ms);
  const year = time.getUTCFullYear();
  if (year < 2000 || year > 9999)
    throw new InvalidScheduleTimeError(`scheduledTime ${scheduledTime} is out of range`);
  const iso = time.toISOString();
  return { editionId: `e-${iso.slice(0, 13)}${iso.slice(14, 16)}Z`, scheduledTime: iso };
}

export function isEditionId(value: unknown): value is string {
  return typeof value === 'string' && EDITION_ID.test(value);
}

/** The written local date (in its own zone) must survive the parse: no February 31st. */
function sameCalendarDate(text: string, ms: number): boolean {
  const zone = text.endsWith('Z') ? 0 : offsetMinutes(text.slice(-6));
  const local = new Date(ms + zone * 60_000).toISOString();
  return local.slice(0, 16) === text.slice(0, 16);
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}
