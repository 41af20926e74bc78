/**
 * How `npm run dev:cloud` hands S3 events to the ingest handler: in batches of at most 10, as the
 * SQS event source mapping does on AWS (`infra/constructs/article-intake.ts`), with one summary line
 * per batch, so a burst shows progress every few seconds instead of one silent batch of everything.
 */
export const INGEST_BATCH_SIZE = 10;

/** `batch 3: 10 objects ingested in 1.2 s (9 published, 1 quarantined)`, from the per-object lines. */
export function batchLine(number: number, outcomes: readonly string[], ms: number): string {
  const counts = new Map<string, number>();
  for (const line of outcomes) {
    // Each outcome line is `articles/<key>: <outcome>…`; the key may hold ': ' too, the outcome word does not.
    const word = /: (published|removed|quarantined|held|stale|ignored|failed)\b/.exec(line)?.[1] ?? 'other';
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const parts = [...counts].map(([word, n]) => `${n} ${word}`).join(', ');
  const objects = `${outcomes.length} object${outcomes.length === 1 ? '' : 's'}`;
  return `batch ${number}: ${objects} ingested in ${(ms / 1000).toFixed(1)} s (${parts})`;
}
