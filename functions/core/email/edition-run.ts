/**
 * The scheduled edition: pick the stories first published since the previous edition, render them
 * once, archive the public copy, queue every eligible recipient for the sender, and ask the site to
 * link the new edition. Each step is safe to run again, so a schedule that fires twice or a
 * retried invocation ends with one edition: the edition item's conditional create decides which
 * run plans it, and its status says where a crashed run stopped.
 */
import type { CacheInvalidator, StoryItem } from '../cloud/ports.js';
import type { SiteConfig, Story } from '../model.js';
import type { Clock, SiteSink } from '../ports.js';
import { compareStories } from '../stories/story-view.js';
import {
  archivePathFor,
  type DigestRender,
  newPlaceholder,
  publicCopy,
  renderEditionContent,
} from './edition-content.js';
import { scheduledEdition } from './edition-id.js';
import type { EditionRecord, EditionStore, Outbox, SiteRefresh, StoryFeed } from './edition-ports.js';
import { fanOut } from './fan-out.js';
import type { MailedStories } from './mailed-stories.js';
import type { RecipientDirectory } from './ports.js';

/**
 * Stories read from the window before picking the newest by date: the window is the stories of one
 * schedule period (a handful), except for the first edition after a bulk import, which this bounds.
 */
export const WINDOW_READ_CAP = 1000;

export interface EditionDeps {
  editions: EditionStore;
  stories: StoryFeed;
  /** A story's full content (its summary is read from its canonical article). */
  loadStory(item: StoryItem): Promise<Story>;
  renderer: DigestRender;
  config: SiteConfig;
  /** At most this many stories (DIGEST_MAX_STORIES, else `config.digest.maxStories`). */
  maxStories: number;
  sink: SiteSink;
  invalidator: CacheInvalidator;
  directory: Pick<RecipientDirectory, 'confirmedBefore'>;
  outbox: Outbox;
  siteRefresh: SiteRefresh;
  clock: Clock;
  placeholder?: () => string;
  /** One edition per story, ever: what went out before is left out, and what goes out is kept. */
  mailed?: Pick<MailedStories, 'unmailed' | 'remember'>;
}

export type EditionOutcome =
  | { action: 'duplicate'; editionId: string; status: EditionRecord['status'] }
  | { action: 'empty'; editionId: string; cutoff?: string }
  | {
      action: 'sent';
      editionId: string;
      resumed: boolean;
      stories: number;
      recipients: number;
      messages: number;
      archived: string;
    };

export async function runEdition(deps: EditionDeps, scheduledTimeInput: unknown): Promise<EditionOutcome> {
  const { editionId, scheduledTime } = scheduledEdition(scheduledTimeInput);
  const fresh: EditionRecord = {
    id: editionId,
    status: 'planning',
    scheduledTime,
    createdAt: deps.clock.now().toISOString(),
  };
  const created = await deps.editions.create(fresh);
  const record = created.created ? fresh : created.existing;
  if (record.status === 'sent' || record.status === 'empty') {
    return { action: 'duplicate', editionId, status: record.status };
  }
  const resumed = !created.created;

  let storyIds = record.storyIds ?? [];
  let archived: string;
  if (record.status === 'planning') {
    const planned = await plan(deps, record);
    if (planned.kind === 'empty') {
      // A concurrent run may have planned it meanwhile: only a planning edition becomes empty.
      if (!(await deps.editions.markEmpty(editionId, planned.cutoff))) return overtaken(deps, editionId);
      return planned.cutoff === undefined
        ? { action: 'empty', editionId }
        : { action: 'empty', editionId, cutoff: planned.cutoff };
    }
    storyIds = planned.storyIds;
    archived = planned.archived;
    const moved = await deps.editions.markSending(editionId, {
      ...(planned.cutoff === undefined ? {} : { cutoff: planned.cutoff }),
      storyIds,
      subject: planned.subject,
    });
    // Another run got there first and is queueing recipients: one of us is enough.
    if (!moved) return overtaken(deps, editionId);
  } else {
    // Resuming: the parts were stored before `sending`; the sender fails loudly if they were not.
    archived = archivePathFor(editionId);
  }
  // Once the edition is committed to its stories (`sending`), and again on a resumed run: idempotent.
  await deps.mailed?.remember(editionId, storyIds);

  // The stored time: a second firing within the same minute names the same edition, not a later bound.
  const { recipients, messages } = await fanOut(deps, editionId, record.scheduledTime);
  await deps.editions.markSent(editionId, recipients);
  // After `sent`: the publisher links the newest *sent* edition, and this wakes it to render the index.
  const lead = storyIds[0];
  if (lead !== undefined) await deps.siteRefresh.requestIndexRender(lead, editionId);
  return { action: 'sent', editionId, resumed, stories: storyIds.length, recipients, messages, archived };
}

async function overtaken(deps: EditionDeps, editionId: string): Promise<EditionOutcome> {
  const now = await deps.editions.get(editionId);
  return { action: 'duplicate', editionId, status: now?.status ?? 'planning' };
}

type Plan =
  | { kind: 'empty'; cutoff?: string }
  | { kind: 'planned'; cutoff?: string; storyIds: string[]; subject: string; archived: string };

/** Stories, rendering, stored content and the public copy: everything before recipients are queued. */
async function plan(deps: EditionDeps, record: EditionRecord): Promise<Plan> {
  const previous = await deps.editions.previousNonEmpty(record.id);
  const cutoff = previous?.scheduledTime;
  const created = await deps.stories.createdBetween(cutoff, record.scheduledTime, WINDOW_READ_CAP);
  // A story whose content already went out (put back, renamed, a fuller copy) is not new to readers.
  const window = deps.mailed ? (await deps.mailed.unmailed(created)).fresh : created;
  // Newest by story date, like the local build's digest; the id breaks ties.
  const picked = [...window].sort(compareStories).slice(0, deps.maxStories);
  const withCutoff = cutoff === undefined ? {} : { cutoff };
  if (!picked.length) return { kind: 'empty', ...withCutoff };

  const stories: Story[] = [];
  for (const item of picked) stories.push(await deps.loadStory(item));
  const content = renderEditionContent(
    deps.renderer,
    deps.config,
    { editionId: record.id, scheduledTime: record.scheduledTime, stories },
    (deps.placeholder ?? newPlaceholder)(),
  );
  await deps.editions.putContent(content);
  const written = await deps.sink.write({
    path: content.archivedPath,
    contentType: 'text/html; charset=utf-8',
    body: publicCopy(content, deps.config.siteUrl),
  });
  if (written) await deps.invalidator.invalidate([`/${content.archivedPath}`]);
  return {
    kind: 'planned',
    ...withCutoff,
    storyIds: picked.map((story) => story.id),
    subject: content.subject,
    archived: content.archivedPath,
  };
}
