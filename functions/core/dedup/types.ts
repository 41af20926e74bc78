/**
 * Contracts of the deduplication core. The pure functions live in this folder; the pipeline
 * (`../stories/`, `../local/`, `../cloud/`) drives them against a repository port, so the same logic runs over the local
 * state files and over DynamoDB.
 */

/** What the clustering needs to know about one article. */
export interface DedupDoc {
  /** Stable article id (see `articleId`). */
  docId: string;
  /** First-seen sequence number: strictly increasing in the order articles were first seen. */
  seq: number;
  /** Sorted, unique 32-bit hashes of the article's word shingles (see `shingleSet`). */
  shingles: Uint32Array;
  /** The story the doc belongs to before this clustering, if any. */
  storyId?: string;
  /** Sorted unique hashes of the first shingles (how the text opens): enables the truncation rule. */
  lead?: Uint32Array;
  /** Sorted unique hashes of the word 2-shingles: enables the rewording rule. */
  pairs?: Uint32Array;
}

/** Why one member was merged into its story's canonical member. */
export interface MergeEvidence {
  docId: string;
  /** Canonical member it was compared with. */
  into: string;
  /** |A ∩ B| / |smaller|: how much of the smaller article the larger contains. */
  containment: number;
  /** |A ∩ B| / |larger|: how much of the larger article the smaller covers. */
  coverage: number;
}

export interface Cluster {
  /** The story id: inherited from an earlier story when the cluster continues one, else the docId of its first-seen member. */
  storyId: string;
  /** The most complete member: its content represents the story. */
  canonical: string;
  /** Every member docId, canonical first, then by seq. */
  members: string[];
  /** One entry per non-canonical member. */
  evidence: MergeEvidence[];
}
