/** ` date 2021-08-23 ` at the very start of a plain-text article, glued to the text that follows. */
const DATE_LINE = /^\s*date[ \t]+(\d{4}-\d{2}-\d{2})(?=\s|$)[ \t]*/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

export type DateValue = { ok: true; iso: string } | { ok: false; text: string };

/** Splits the leading date line off a plain-text article; `rest` keeps the text glued after it. */
export function splitDateLine(text: string): { date?: string; rest: string } {
  const match = DATE_LINE.exec(text);
  if (match === null) return { rest: text };
  return { date: match[1]!, rest: text.slice(match[0].length) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

function fromText(text: string): DateValue {
  const m = DATE_TIME.exec(text);
  if (m === null) return { ok: false, text };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { ok: false, text };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, text };
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  // A time without a zone is taken as UTC: the build must not depend on the machine's time zone.
  return { ok: true, iso: new Date(date.getTime() - offsetMinutes(m[8]) * 60_000).toISOString() };
}

/**
 * Reads a date (`YYYY-MM-DD`, an ISO date-time, or a `Date` from a YAML parser) as ISO 8601 in UTC.
 */
export function readDate(value: unknown): DateValue {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { ok: false, text: String(value) }
      : { ok: true, iso: value.toISOString() };
  }
  if (typeof value === 'string') return fromText(value.trim());
  return { ok: false, text: String(value) };
}
