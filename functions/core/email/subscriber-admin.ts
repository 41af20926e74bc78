/**
 * The list owner's operations on the subscriber list (`npm run subscribers`): import an existing
 * list, export it, and forget one person on request. Import never touches an address already on the
 * list in any state, so an unsubscribed or suppressed (or forgotten) address is never re-subscribed;
 * it confirms only when the owner vouches for prior opt-in (`confirmed`), and otherwise queues a
 * normal subscribe request, so the confirmation mail goes through the confirm mailer's per-address cap.
 */
import type { Clock } from '../ports.js';
import type { ImportRow } from './import-csv.js';
import type { Subscriber, SubscriberIdKeySource, SubscriberStatus } from './ports.js';
import { subscriberIdFor } from './subscriber-id.js';
import type { SubscribeQueue } from './subscriptions.js';

/** Where and when consent was given, kept on the profile for the owner's records. */
export interface Consent {
  /** e.g. `import:mailchimp:members.csv`; profiles made by the subscribe form have none (`form`). */
  source: string;
  /** ISO: the source's opt-in time when the export has one, else the import time. */
  at: string;
}

/** One line of the export. Erased profiles have no address. */
export interface ExportedSubscriber {
  id: string;
  address?: string;
  status: SubscriberStatus;
  confirmedAt?: string;
  source: string;
  consentAt?: string;
  suppressReason?: string;
}

/** What the admin operations need of the table beyond the `SubscriberStore` the handlers use. */
export interface SubscriberAdminStore {
  get(id: string): Promise<Subscriber | undefined>;
  /** Writes a new profile (pending, or confirmed at `confirmedAt`); false when one with its id exists. */
  createImported(subscriber: Subscriber, consent: Consent): Promise<boolean>;
  /** Every profile, erased ones included. */
  list(): AsyncIterable<ExportedSubscriber>;
  /**
   * Replaces the profile (or its absence) with a suppression entry holding only the keyed id: the
   * address, consent, times and bounce data are gone.
   */
  forget(id: string, at: string): Promise<void>;
}

/** The suppression reason of an erased profile. */
export const ERASED = 'erased';

export interface SubscriberAdminDeps {
  store: SubscriberAdminStore;
  idKey: SubscriberIdKeySource;
  /** Only used when importing without `confirmed`. */
  queue?: SubscribeQueue;
  clock: Clock;
}

export type ImportOutcome =
  | 'confirmed'
  | 'confirmation-queued'
  | 'already-on-list'
  | 'unsubscribed'
  | 'suppressed';

export interface ImportOptions {
  confirmed: boolean;
  dryRun: boolean;
  source: string;
}

export interface ImportResult {
  line: number;
  address: string;
  outcome: ImportOutcome;
}

/** Imports the rows one by one; a row that fails is reported through `onError` and skips only itself. */
export async function importSubscribers(
  deps: SubscriberAdminDeps,
  rows: readonly ImportRow[],
  options: ImportOptions,
  onError: (row: ImportRow, error: unknown) => void,
): Promise<ImportResult[]> {
  if (!options.confirmed && !options.dryRun && !deps.queue) {
    throw new Error('importing without --confirmed needs the subscribe queue');
  }
  const key = await deps.idKey.idKey();
  const results: ImportResult[] = [];
  for (const row of rows) {
    try {
      const outcome = await importOne(deps, key, row, options);
      results.push({ line: row.line, address: row.address, outcome });
    } catch (error) {
      onError(row, error);
    }
  }
  return results;
}

async function importOne(
  deps: SubscriberAdminDeps,
  key: Uint8Array,
  row: ImportRow,
  options: ImportOptions,
): Promise<ImportOutcome> {
  const id = subscriberIdFor(key, row.address);
  const existing = await deps.store.get(id);
  if (existing) return existingOutcome(existing);
  const outcome = options.confirmed ? 'confirmed' : 'confirmation-queued';
  if (options.dryRun) return outcome;
  const now = deps.clock.now().toISOString();
  const subscriber: Subscriber = {
    id,
    address: row.address,
    status: options.confirmed ? 'confirmed' : 'pending',
    generation: 0,
    createdAt: now,
    updatedAt: now,
    transientBounces: 0,
    ...(options.confirmed && { confirmedAt: now }),
  };
  const consent: Consent = { source: options.source, at: row.optedInAt ?? now };
  if (!(await deps.store.createImported(subscriber, consent))) {
    // Created meanwhile (a form subscribe racing the import): leave it as it is.
    const raced = await deps.store.get(id);
    return raced ? existingOutcome(raced) : 'already-on-list';
  }
  if (!options.confirmed) {
    await deps.queue?.enqueue({ kind: 'subscribe', address: row.address, requestedAt: now });
  }
  return outcome;
}

function existingOutcome(subscriber: Subscriber): ImportOutcome {
  if (subscriber.status === 'unsubscribed') return 'unsubscribed';
  if (subscriber.status === 'suppressed') return 'suppressed';
  return 'already-on-list';
}

export type ForgetOutcome = 'forgotten' | 'blocked' | 'already-forgotten' | 'would-forget' | 'would-block';

/**
 * Erases the person behind `address`, leaving the keyed id as a suppression entry. An address not on
 * the list gets the entry too (`blocked`): whoever asked to be forgotten is never mailed later.
 */
export async function forgetSubscriber(
  deps: Pick<SubscriberAdminDeps, 'store' | 'idKey' | 'clock'>,
  address: string,
  dryRun = false,
): Promise<{ id: string; outcome: ForgetOutcome }> {
  const id = subscriberIdFor(await deps.idKey.idKey(), address);
  const before = await deps.store.get(id);
  if (before?.status === 'suppressed' && before.address === '') return { id, outcome: 'already-forgotten' };
  if (dryRun) return { id, outcome: before ? 'would-forget' : 'would-block' };
  await deps.store.forget(id, deps.clock.now().toISOString());
  return { id, outcome: before ? 'forgotten' : 'blocked' };
}

const EXPORT_COLUMNS = [
  'address',
  'state',
  'confirmed_at',
  'source',
  'consent_at',
  'suppression_reason',
  'id',
];

function csvField(value: string | undefined): string {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The export as CSV lines, header first. */
export async function* exportCsv(store: SubscriberAdminStore): AsyncIterable<string> {
  yield EXPORT_COLUMNS.join(',');
  for await (const s of store.list()) {
    yield [s.address, s.status, s.confirmedAt, s.source, s.consentAt, s.suppressReason, s.id]
      .map(csvField)
      .join(',');
  }
}
