import { createHash } from 'node:crypto';
import { articleText } from '../article/article-text.js';
import { ArticleRejectedError, parseArticle } from '../article/parse-article.js';
import { type StoredFeatures, storedFeatures } from '../dedup/doc-features.js';
import { entityHashes } from '../dedup/entities.js';
import { checkMedia, localImageRefs, mediaKey } from '../media/publish-media.js';
import type { Diagnostic, ParsedArticle } from '../model.js';
import { ArticleNotFoundError, type SourceEntry } from '../ports.js';
import { concatBytes, decodeDoc, encodeDoc } from './shingle-pack.js';

/** The stable id of an article: derived from its key relative to the articles root, so the local and cloud paths agree. */
export function articleId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** What deduplication and the state need of one article; the body itself is re-read when a page is rendered. */
export interface PreparedDoc extends StoredFeatures {
  key: string;
  version: string;
  docId: string;
  title: string;
  /** Front matter tags, as written (absent when none). */
  tags?: string[];
  /** The article's own date (ISO), when it has a usable one; it may be in the future (an embargo). */
  date?: string;
  /** Keys of the local images it names (inside the articles root): a change to one re-reads it. */
  media?: string[];
  /** The feature arrays packed (`encodeDoc`); the arrays above are views into it. */
  encoded: Uint8Array;
  warnings: Diagnostic[];
}

export type PrepareOutcome =
  | { ok: true; doc: PreparedDoc }
  | { ok: false; key: string; version: string; diagnostic: Diagnostic };

export interface PrepareOptions {
  maxBytes: number;
  /** ISO time of the build: the parser reports dates after it. */
  now: string;
}

/** Parses, cleans and fingerprints one article. Pure; safe to run in a worker thread. */
export function prepareArticle(
  entry: SourceEntry,
  bytes: Uint8Array,
  options: PrepareOptions,
  /** Sees the parsed article (to check its images, which needs I/O). */
  onParsed?: (article: ParsedArticle) => void,
): PrepareOutcome {
  let parsed: { article: ParsedArticle; warnings: Diagnostic[] };
  try {
    parsed = parseArticle(entry.key, bytes, { maxBytes: options.maxBytes, now: new Date(options.now) });
  } catch (error) {
    if (error instanceof ArticleRejectedError) {
      return { ok: false, key: entry.key, version: entry.version, diagnostic: error.toDiagnostic() };
    }
    throw error;
  }
  onParsed?.(parsed.article);
  const lines = articleText(parsed.article).split('\n');
  const encoded = encodeDoc(storedFeatures(lines, !parsed.article.titleDerived, entityHashes(lines)));
  const doc: PreparedDoc = {
    key: entry.key,
    version: entry.version,
    docId: articleId(entry.key),
    title: parsed.article.title,
    ...decodeDoc(encoded),
    encoded,
    warnings: parsed.warnings,
  };
  if (parsed.article.date) doc.date = parsed.article.date;
  if (parsed.article.tags.length) doc.tags = parsed.article.tags;
  const media = localImageRefs(parsed.article)
    .map((ref) => mediaKey(entry.key, ref))
    .filter((key): key is string => key !== undefined);
  if (media.length) doc.media = [...new Set(media)].sort();
  return { ok: true, doc };
}

/** A key as a message shows it: a path nested thousands of characters deep is shortened in the middle. */
export function shownKey(key: string): string {
  return key.length <= 160 ? key : `${key.slice(0, 60)}…${key.slice(-60)} (${key.length} characters)`;
}

/** A rejection for a file that could not even be read; `error` may carry a `reason` in words. */
export function unreadable(entry: SourceEntry, error: unknown): PrepareOutcome {
  const reason =
    error instanceof ArticleNotFoundError
      ? 'vanished while the build was reading it'
      : (error as { reason?: unknown }).reason;
  return {
    ok: false,
    key: entry.key,
    version: entry.version,
    diagnostic: {
      source: entry.key,
      severity: 'error',
      code: 'unreadable',
      message: `${shownKey(entry.key)}: ${typeof reason === 'string' ? reason : `cannot be read (${(error as Error).message})`}`,
    },
  };
}

/** Reads and prepares entries one after another; a file that cannot be read is rejected, not fatal. */
export async function prepareEntries(
  read: (key: string, version?: string) => Promise<Uint8Array>,
  entries: SourceEntry[],
  options: PrepareOptions,
): Promise<PrepareOutcome[]> {
  const outcomes: PrepareOutcome[] = [];
  for (const entry of entries) {
    if (entry.unreadable !== undefined) {
      outcomes.push(unreadable(entry, { reason: entry.unreadable }));
      continue;
    }
    let bytes: Uint8Array;
    try {
      // The version listed: a file changed since is rejected for this run and read again by the next.
      bytes = await read(entry.key, entry.version);
    } catch (error) {
      outcomes.push(unreadable(entry, error));
      continue;
    }
    let article: ParsedArticle | undefined;
    const outcome = prepareArticle(entry, bytes, options, (parsed) => {
      article = parsed;
    });
    // Missing or unreadable images are reported with the article that names them.
    if (outcome.ok && article)
      outcome.doc.warnings.push(...(await checkMedia({ read: (key) => read(key) }, article)));
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Re-homes the features of many prepared docs into ONE buffer (each doc's arrays become views into
 * it), so a worker transfers one buffer per chunk instead of four small ones per doc: a
 * 100,000-article build otherwise fragments the heap with 400,000 small allocations.
 */
export function packOutcomes(outcomes: PrepareOutcome[]): ArrayBuffer | undefined {
  const docs = outcomes.filter((o): o is { ok: true; doc: PreparedDoc } => o.ok).map((o) => o.doc);
  if (!docs.length) return undefined;
  const all = concatBytes(docs.map((doc) => doc.encoded));
  let at = 0;
  for (const doc of docs) {
    const encoded = all.subarray(at, at + doc.encoded.length);
    at += encoded.length;
    Object.assign(doc, decodeDoc(encoded), { encoded });
  }
  return all.buffer as ArrayBuffer;
}
