import type { ParsedArticle } from '../model.js';

/**
 * The text deduplication compares: the title when the author wrote it (a derived title only repeats
 * the body), the standfirst, then every block, one per line.
 */
export function articleText(a: ParsedArticle): string {
  const parts: string[] = [];
  if (!a.titleDerived) parts.push(a.title);
  if (a.standfirst) parts.push(a.standfirst);
  for (const block of a.blocks) parts.push(block.text);
  return parts.join('\n');
}
