/** What the local build gives the site besides its stories: the digest archive's editions, WebSub. */
import type { SiteConfig } from '../model.js';
import type { EditionListing } from '../render/site-listings.js';
import { type HubNotifier, notifyHub } from '../websub.js';
import type { BuildState } from './state.js';

/** Every local edition with those of its stories that still exist (only the newest edition's HTML is kept). */
export function editionListings(state: BuildState): EditionListing[] {
  return state.editions.map((edition) => ({
    number: edition.number,
    date: edition.date,
    subject: edition.subject,
    stories: edition.storyIds.flatMap((id) => {
      const record = state.stories[id];
      return record ? [{ title: record.title, slug: record.slug }] : [];
    }),
  }));
}

export interface LocalWebSub {
  notifier: HubNotifier;
  /** Where the one failure line goes (stderr). */
  warn(line: string): void;
  retryDelayMs?: number;
}

/** Tells the configured hub about the feeds this build changed; never throws. */
export async function pingHub(config: SiteConfig, websub: LocalWebSub | undefined, feeds: readonly string[]) {
  if (!config.websub || !websub || !feeds.length) return;
  await notifyHub(websub.notifier, config.websub.hub, feeds, {
    warn: websub.warn,
    ...(websub.retryDelayMs !== undefined ? { retryDelayMs: websub.retryDelayMs } : {}),
  });
}
