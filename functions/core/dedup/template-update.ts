/**
 * Keeps the set of template lines right as articles come and go: after the line index has taken a
 * run's (or an event's) additions and removals, every line whose verdict could have changed is tested
 * again, and the lines whose verdict flipped are returned (their carriers must be deduplicated again:
 * a merge made only because a template was not yet known is undone once it is).
 *
 * A verdict (see `template-lines.ts`) depends on the line's carriers and on which lines are common,
 * so a line is tested again when its carriers changed, or when a line carried by the same articles
 * became common or stopped being common. That is what makes the template set, and so the stories,
 * the same whatever order the articles arrived in.
 *
 * Shared by the local build (`core/local/ingest.ts`, carriers are docNums of the in-memory line
 * index) and the cloud ingest (`core/cloud/template-plan.ts`, carriers are docIds read from the
 * story table): the context says how to read the line index, the rule is the same.
 */
import {
  type CarrierDoc,
  COMMON_LINE_DOCS,
  isTemplateLine,
  samePlace,
  TEMPLATE_WITNESSES,
  templateWitnesses,
} from './template-lines.js';

export interface TemplateUpdateContext<Id> {
  /** Articles carrying the line now (after the changes); at least `COMMON_LINE_DOCS` may be reported as such. */
  count(line: number): Promise<number>;
  /** Every article carrying the line now. */
  carriers(line: number): Promise<readonly Id[]>;
  /** The carriers to examine: the `TEMPLATE_SAMPLE` with the lowest sampling key (see `templateSample`). */
  sample(line: number): Promise<readonly Id[]>;
  /** The template lines; updated in place. */
  templates: Set<number>;
  /** A doc's lines: hash → number of words, and hash → relative position. */
  linesOf(id: Id): Promise<Pick<CarrierDoc, 'lines' | 'positions'>>;
  /** Which of `lines` are common (carried by `COMMON_LINE_DOCS` articles or more), as a lookup. */
  commonness(lines: ReadonlySet<number>): Promise<(line: number) => boolean>;
}

/**
 * Whether `line` is template now. `witnessMemo` holds witness counts by sample: every line of one
 * template (or of one article copied many times) has the same carriers, so one count serves them all
 * (the count does not depend on which frame line is tested: all carriers carry it).
 */
export async function testLine<Id>(
  ctx: TemplateUpdateContext<Id>,
  line: number,
  witnessMemo: Map<string, number> = new Map(),
): Promise<boolean> {
  if ((await ctx.count(line)) < TEMPLATE_WITNESSES) return false;
  const picked = await ctx.sample(line);
  const sample = [];
  for (const carrier of picked) sample.push(await ctx.linesOf(carrier));
  const words = sample[0]?.lines.get(line) ?? 0;
  const key = picked.join(',');
  let witnesses = witnessMemo.get(key);
  if (witnesses === undefined) {
    const all = new Set<number>();
    for (const doc of sample) for (const other of doc.lines.keys()) all.add(other);
    witnesses = templateWitnesses(line, sample, await ctx.commonness(all));
    witnessMemo.set(key, witnesses);
  }
  return isTemplateLine(words, sample.length, witnesses, samePlace(line, sample));
}

/**
 * Tests again the lines `touched` (each with its carrier count before the changes) and those
 * affected through commonness; returns the lines whose verdict flipped, ascending.
 */
export async function updateTemplates<Id>(
  ctx: TemplateUpdateContext<Id>,
  touched: ReadonlyMap<number, number>,
): Promise<number[]> {
  const recheck = new Set(touched.keys());
  for (const [line, before] of touched) {
    const after = await ctx.count(line);
    if (before >= COMMON_LINE_DOCS === after >= COMMON_LINE_DOCS) continue;
    for (const carrier of await ctx.carriers(line)) {
      for (const other of (await ctx.linesOf(carrier)).lines.keys()) recheck.add(other);
    }
  }
  const flipped: number[] = [];
  const witnessMemo = new Map<string, number>();
  for (const line of Uint32Array.from(recheck).sort()) {
    const was = ctx.templates.has(line);
    const now = await testLine(ctx, line, witnessMemo);
    if (now === was) continue;
    if (now) ctx.templates.add(line);
    else ctx.templates.delete(line);
    flipped.push(line);
  }
  return flipped;
}

/** The sampling key of a doc: the first 32 bits of its id (a hash of its key), so no arrival order. */
export function rankOfDocId(docId: string): number {
  return Number.parseInt(docId.slice(0, 8), 16) >>> 0;
}

/** A doc's lines as the template test reads them: words and relative position of each. */
export function carrierLines(lines: readonly { hash: number; start: number; end: number }[]): {
  lines: Map<number, number>;
  positions: Map<number, { index: number; count: number }>;
} {
  const words = new Map<number, number>();
  const positions = new Map<number, { index: number; count: number }>();
  lines.forEach((line, index) => {
    words.set(line.hash, line.end - line.start);
    if (!positions.has(line.hash)) positions.set(line.hash, { index, count: lines.length });
  });
  return { lines: words, positions };
}
