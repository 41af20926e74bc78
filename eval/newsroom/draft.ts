/** An article while its block of the corpus is being built, before it has a path and a file. */
import type { NewsEvent } from './events.js';
import type { Outlet } from './outlets.js';
import type { Content } from './stories.js';

export interface Draft {
  /** Content as published: in the outlet's house style (copies keep their original's). */
  content: Content;
  outlet: Outlet;
  /** Publication day (days since EPOCH): the file's date and the path's. */
  day: number;
  /** Whether the file carries its date. */
  showDate: boolean;
  /** A date other than the publication day written in the file (redated copies). */
  shownDay?: number;
  event: string;
  /** The event this one's event follows up (the inquiry after the crash): related coverage. */
  follows?: string;
  /** The article this one is a copy of; undefined for an original. */
  original?: Draft;
  kind: string;
  /** Other corpus articles whose text this one carries pieces of (roundups, story pages, quotes, background). */
  includes?: Draft[];
  /** A short brief of an outlet that publishes many. */
  short?: boolean;
  /** The event it was written from, for constructs that write more on it (undefined for constructs). */
  source?: NewsEvent;
  path?: string;
}

/** The draft an article's label points at: its original, or itself. */
export function rootOf(draft: Draft): Draft {
  return draft.original ?? draft;
}
