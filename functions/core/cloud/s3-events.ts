/**
 * S3 event notifications as the ingest queue delivers them. Pure parsing: keys arrive URL-encoded
 * (spaces as `+`), and only the sequencer orders two events for the same key.
 */

export interface ObjectEvent {
  kind: 'created' | 'removed';
  bucket: string;
  /** The full object key, decoded. */
  key: string;
  size: number;
  /** Version id when the bucket is versioned, else the ETag (empty for deletes without either). */
  version: string;
  /** The ETag without quotes; empty for removals. */
  etag: string;
  /** S3's sequencer for the key; empty for synthetic events from the reconciler. */
  sequencer: string;
  /** ISO time S3 processed the request. */
  eventTime: string;
  /** Set on events the reconciler made up for objects no event was seen for. */
  reconciled?: boolean;
}

export class EventFormatError extends Error {
  override name = 'EventFormatError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** S3 keys in event notifications are URL-encoded with `+` for spaces. */
export function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch (cause) {
    throw new EventFormatError(`object key "${key}" is not valid URL encoding`, { cause });
  }
}

/**
 * Orders two sequencers for the same key: the shorter is right-padded with zeros, as S3's
 * documentation describes, then they compare as hexadecimal strings.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const pa = a.toUpperCase().padEnd(width, '0');
  const pb = b.toUpperCase().padEnd(width, '0');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

interface RawRecord {
  eventName?: unknown;
  eventTime?: unknown;
  s3?: {
    bucket?: { name?: unknown };
    object?: { key?: unknown; size?: unknown; eTag?: unknown; versionId?: unknown; sequencer?: unknown };
  };
  /** Set by the reconciler's enqueuer (`functions/adapters/aws/sqs-enqueue.ts`); S3 never sends it. */
  newsfeed?: { reconciled?: unknown };
}

/** Parses one SQS message body holding an S3 event; the `s3:TestEvent` S3 sends on setup yields nothing. */
export function parseS3Event(body: string): ObjectEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new EventFormatError('message body is not JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new EventFormatError('message body is not an object');
  if ((parsed as { Event?: unknown }).Event === 's3:TestEvent') return [];
  const records = (parsed as { Records?: unknown }).Records;
  if (!Array.isArray(records)) throw new EventFormatError('message has no Records array');
  return records.map((raw: RawRecord, i) => {
    const name = typeof raw.eventName === 'string' ? raw.eventName : '';
    const object = raw.s3?.object;
    const bucket = raw.s3?.bucket?.name;
    if (typeof bucket !== 'string' || typeof object?.key !== 'string') {
      throw new EventFormatError(`record ${i} has no bucket name or object key`);
    }
    const kind = name.startsWith('ObjectCreated')
      ? 'created'
      : name.startsWith('ObjectRemoved')
        ? 'removed'
        : undefined;
    if (!kind) throw new EventFormatError(`record ${i} has unsupported event "${name}"`);
    const size = Number(object.size ?? 0);
    const reconciled = raw.newsfeed?.reconciled === true;
    // A reconciled event names no version (a listing has none): the ingest reads the current object.
    const version =
      typeof object.versionId === 'string' && object.versionId && object.versionId !== 'null'
        ? object.versionId
        : typeof object.eTag === 'string' && !reconciled
          ? object.eTag
          : '';
    const event: ObjectEvent = {
      kind,
      bucket,
      key: decodeS3Key(object.key),
      size: Number.isFinite(size) ? size : 0,
      version,
      etag: typeof object.eTag === 'string' ? object.eTag.replace(/"/g, '') : '',
      sequencer: typeof object.sequencer === 'string' ? object.sequencer : '',
      eventTime: typeof raw.eventTime === 'string' ? raw.eventTime : '',
    };
    if (reconciled) event.reconciled = true;
    return event;
  });
}
