/**
 * Reads a subscriber list exported by Mailchimp, Buttondown or listmonk (or any CSV with an address
 * column) into rows to import. Parsing is csv-parse's (quoted fields, embedded commas and line
 * breaks, a BOM); here is only what the three exports mean: which column holds the address, which
 * the opt-in time, and which rows the source list itself says are unsubscribed, bounced or blocked
 * (those are never imported as subscribers). Each bad row is reported by its line and skips only itself.
 */
import { parse } from 'csv-parse/sync';
import { normalizeAddress } from './address.js';

export type CsvSource = 'mailchimp' | 'buttondown' | 'listmonk' | 'csv';

export interface ImportRow {
  /** 1-based line in the file where the row starts. */
  line: number;
  /** Normalised. */
  address: string;
  /** When the person opted in at the source (ISO), if the export says. */
  optedInAt?: string;
}

export interface RowProblem {
  line: number;
  reason: string;
}

export interface ParsedImport {
  source: CsvSource;
  emailColumn: string;
  rows: ImportRow[];
  /** Rows that could not be read: a bad address, a missing field. */
  invalid: RowProblem[];
  /** Rows the source list marks as not subscribed (unsubscribed, cleaned, blocklisted …). */
  notSubscribed: RowProblem[];
  /** A later row with an address already seen, naming the line of the first. */
  duplicates: RowProblem[];
}

/** The CSV as a whole cannot be imported (no address column, not CSV at all). */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

const EMAIL_COLUMNS = ['email address', 'email', 'email_address', 'e-mail', 'e-mail address', 'mail'];
/** The first one with a time wins: a confirmation time says more about consent than a sign-up time. */
const OPT_IN_COLUMNS = [
  'confirm_time',
  'optin_time',
  'subscription_date',
  'creation_date',
  'date',
  'created_at',
];
/** Columns whose non-empty value means the person left or was removed (Mailchimp's per-status exports). */
const LEFT_COLUMNS = ['unsub_time', 'clean_time'];
const STATUS_COLUMNS = ['status', 'subscriber_type', 'type'];
const NOT_SUBSCRIBED = new Set([
  'unsubscribed',
  'blocklisted',
  'blacklisted',
  'blocked',
  'cleaned',
  'bounced',
  'complained',
  'spammy',
  'removed',
  'unactivated',
]);

function detectSource(headers: readonly string[]): CsvSource {
  const has = (name: string) => headers.includes(name);
  if (has('email address') && (has('optin_time') || has('member_rating') || has('leid'))) return 'mailchimp';
  if (has('uuid') && has('email') && has('attributes')) return 'listmonk';
  if (has('subscriber_type') || (has('email') && has('creation_date'))) return 'buttondown';
  return 'csv';
}

function isoTime(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  // Mailchimp writes "2024-03-01 12:34:56" (UTC); the others ISO 8601.
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value.trim())
    ? `${value.trim().replace(' ', 'T')}Z`
    : value.trim();
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** `emailColumn` overrides the detection (matched without regard to case). */
export function parseImportCsv(text: string, options: { emailColumn?: string } = {}): ParsedImport {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new ImportFileError(`not a readable CSV file: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw new ImportFileError('the file is empty');
  const headers = header.record.map((name) => name.trim().toLowerCase());
  const wanted = options.emailColumn?.trim().toLowerCase();
  const emailIndex = wanted ? headers.indexOf(wanted) : headers.findIndex((h) => EMAIL_COLUMNS.includes(h));
  if (emailIndex < 0) {
    throw new ImportFileError(
      wanted
        ? `no column "${options.emailColumn}" in the header (${header.record.join(', ')})`
        : `no address column found (looked for ${EMAIL_COLUMNS.join(', ')}); name it with --email-column`,
    );
  }
  const column = (names: readonly string[]) => {
    const name = names.find((n) => headers.includes(n));
    return name === undefined ? -1 : headers.indexOf(name);
  };
  const optInIndexes = OPT_IN_COLUMNS.map((n) => headers.indexOf(n)).filter((i) => i >= 0);
  const statusIndex = column(STATUS_COLUMNS);
  const leftIndexes = LEFT_COLUMNS.map((n) => headers.indexOf(n)).filter((i) => i >= 0);

  const parsed: ParsedImport = {
    source: detectSource(headers),
    emailColumn: header.record[emailIndex] ?? '',
    rows: [],
    invalid: [],
    notSubscribed: [],
    duplicates: [],
  };
  const firstLine = new Map<string, number>();
  for (const { record, info } of body) {
    // csv-parse counts the line a record ends on; a quoted field may span several.
    const line = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const raw = record[emailIndex];
    if (raw === undefined || raw === '') {
      parsed.invalid.push({ line, reason: `no value in column "${parsed.emailColumn}"` });
      continue;
    }
    const address = normalizeAddress(raw);
    if (!address.ok) {
      parsed.invalid.push({ line, reason: `"${raw}": ${address.reason}` });
      continue;
    }
    const status = statusIndex >= 0 ? record[statusIndex]?.toLowerCase() : undefined;
    const left = leftIndexes.some((i) => (record[i] ?? '') !== '');
    if ((status && NOT_SUBSCRIBED.has(status)) || left) {
      parsed.notSubscribed.push({
        line,
        reason: `${address.address}: ${status && NOT_SUBSCRIBED.has(status) ? status : 'unsubscribed'} in the source list`,
      });
      continue;
    }
    const seen = firstLine.get(address.address);
    if (seen !== undefined) {
      parsed.duplicates.push({ line, reason: `${address.address}: already on line ${seen}` });
      continue;
    }
    firstLine.set(address.address, line);
    const row: ImportRow = { line, address: address.address };
    const optedInAt = optInIndexes.map((i) => isoTime(record[i])).find((time) => time !== undefined);
    if (optedInAt) row.optedInAt = optedInAt;
    parsed.rows.push(row);
  }
  return parsed;
}
