/**
 * The cloud ingest's template learning: the same rule and update as the local build's
 * (`dedup/template-lines.ts`, `dedup/template-update.ts`), over the corpus index in the story table
 * (`CorpusIndexStore`). One event changes one doc: its lines are counted again, the postings and the
 * marks of common lines follow, and every line whose verdict could have changed is tested again.
 *
 * Replayable: every count is taken without the event's own doc and then adds what the doc carries
 * now, so an attempt that died after writing some postings plans the same on its retry. The template
 * set itself changes only through the plan (`IngestPlan.templates`).
 */
import { lineHashSet, type StoredFeatures } from '../dedup/doc-features.js';
import { type CarrierLines, COMMON_LINE_DOCS, TEMPLATE_SAMPLE } from '../dedup/template-lines.js';
import { updateTemplates } from '../dedup/template-update.js';
import type { CorpusIndexStore } from './ports.js';

/** Reads in flight at once (lookups of one line or entity each). */
export const INDEX_READS_IN_FLIGHT = 16;

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** What an event's template step decided. */
export interface TemplateStep {
  /** The template lines once the event is applied. */
  templates: ReadonlySet<number>;
  added: number[];
  removed: number[];
  /** Other docs carrying a line whose verdict flipped: they are deduplicated again. */
  replace: string[];
}

const EMPTY = new Uint32Array(0);

/**
 * The carriers of lines as they are once the event is applied: whatever the postings say of the
 * event's doc, it carries the line iff its new version does.
 */
class LineCarriers {
  private readonly cache = new Map<number, { ids: string[]; complete: boolean }>();
  constructor(
    private readonly index: CorpusIndexStore,
    private readonly docId: string,
    private readonly carries: (line: number) => boolean,
  ) {}

  async read(line: number, limit?: number): Promise<string[]> {
    const known = this.cache.get(line);
    if (known && (known.complete || (limit !== undefined && known.ids.length >= limit)))
      return limit === undefined ? known.ids : known.ids.slice(0, limit);
    // One more than asked: the event's doc may be among them.
    const raw = await this.index.lineCarriers(line, limit === undefined ? undefined : limit + 1);
    const ids = raw.filter((id) => id !== this.docId);
    if (this.carries(line)) ids.push(this.docId);
    ids.sort();
    const complete = limit === undefined || raw.length <= limit;
    this.cache.set(line, { ids, complete });
    return limit === undefined ? ids : ids.slice(0, limit);
  }

  /** Carriers without the event's doc, for counting before and after. */
  async others(line: number, limit: number): Promise<number> {
    return (await this.read(line, limit)).filter((id) => id !== this.docId).length;
  }
}

/**
 * Updates the line and entity postings and the common marks for the key's doc going from `old` to
 * `now` (either may be absent), relearns the template lines this can change, and says which docs
 * must be placed again. `linesOf` reads a stored doc's lines.
 */
export async function learnTemplates(
  index: CorpusIndexStore,
  docId: string,
  old: StoredFeatures | undefined,
  now: StoredFeatures | undefined,
  linesOf: (docId: string) => Promise<CarrierLines>,
): Promise<TemplateStep> {
  const templates = await index.templates();
  const oldLines = new Set(old ? lineHashSet(old) : EMPTY);
  const newLines = new Set(now ? lineHashSet(now) : EMPTY);
  const carriers = new LineCarriers(index, docId, (line) => newLines.has(line));
  const touched = [...new Set([...oldLines, ...newLines])];

  // Counts before and after, with the first carriers (the sample) cached for the test.
  const before = new Map<number, number>();
  const after = new Map<number, number>();
  await inParallel(touched, INDEX_READS_IN_FLIGHT, async (line) => {
    const others = await carriers.others(line, TEMPLATE_SAMPLE + 1);
    before.set(line, others + (oldLines.has(line) ? 1 : 0));
    after.set(line, others + (newLines.has(line) ? 1 : 0));
  });
  const common = (count: number | undefined) => (count ?? 0) >= COMMON_LINE_DOCS;
  const becameCommon = touched.filter((line) => !common(before.get(line)) && common(after.get(line)));
  const noLongerCommon = touched.filter((line) => common(before.get(line)) && !common(after.get(line)));
  await index.setCommon(becameCommon, noLongerCommon);

  const commonCache = new Map<number, boolean>();
  for (const line of touched) commonCache.set(line, common(after.get(line)));
  const was = new Set(templates);
  const working = new Set(templates);
  const flipped = await updateTemplates<string>(
    {
      count: async (line) => after.get(line) ?? (await carriers.read(line, TEMPLATE_SAMPLE)).length,
      carriers: (line) => carriers.read(line),
      sample: (line) => carriers.read(line, TEMPLATE_SAMPLE),
      templates: working,
      linesOf,
      commonness: async (lines) => {
        const unknown = [...lines].filter((line) => !commonCache.has(line));
        const marked = await index.commonLines(unknown);
        for (const line of unknown) commonCache.set(line, marked.has(line));
        return (line) => commonCache.get(line) ?? false;
      },
    },
    new Map(touched.map((line) => [line, before.get(line)!])),
  );
  const replace = new Set<string>();
  for (const line of flipped) {
    for (const id of await carriers.read(line)) if (id !== docId) replace.add(id);
  }
  return {
    templates: working,
    added: flipped.filter((line) => !was.has(line)),
    removed: flipped.filter((line) => was.has(line)),
    replace: [...replace].sort(),
  };
}
