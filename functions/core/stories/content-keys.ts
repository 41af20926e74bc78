import { docLines, type StoredFeatures } from '../dedup/doc-features.js';
import type { DedupFeatures } from '../dedup/similarity.js';
import { intersect } from '../dedup/sorted-sets.js';

/**
 * The content index keys of a doc: its fingerprints that are shingles of its content (all of them
 * when no line of it is template, without computing its shingles).
 */
export function contentKeys(
  doc: StoredFeatures,
  features: DedupFeatures,
  isTemplate: (line: number) => boolean = () => false,
): Uint32Array {
  if (!docLines(doc).some((line) => isTemplate(line.hash))) return doc.fps;
  return intersect(doc.fps, features.shingles);
}
