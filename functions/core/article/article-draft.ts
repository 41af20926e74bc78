import type { Block, Diagnostic, ImageRef } from '../model.js';

/** What the two formats produce before the shared validation and final clean-up. */
export interface Draft {
  title?: string;
  standfirst?: string;
  author?: string;
  tags: string[];
  link?: string;
  date?: unknown;
  blocks: Block[];
  image?: ImageRef;
  warnings: Diagnostic[];
}
