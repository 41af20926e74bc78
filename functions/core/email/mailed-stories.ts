/**
 * A story goes into at most one edition, ever, on AWS too (the local rule is `core/local/mailed.ts`).
 * When an edition is committed to its stories, the email table keeps what was mailed: each story id,
 * and each member article's doc id with its content features, indexed by fingerprint. A story first
 * published later is left out of every later edition when
 * - its id was mailed (a story re-created under the same id),
 * - or a member's doc id was mailed (an article's object deleted and put back: the doc id is the key's),
 * - or a member's content is a duplicate, by the clustering's own test, of a mailed article, whether
 *   or not that article still exists (put under a new key, replaced by a later fuller copy, or the
 *   story split after it was mailed).
 */
import type { DocItem, StoryItem } from '../cloud/ports.js';
import { DEFAULT_POSTING_CAP } from '../dedup/candidate-index.js';
import { contentFeatures, type StoredFeatures } from '../dedup/doc-features.js';
import { isDuplicate } from '../dedup/similarity.js';
import { contentKeys } from '../stories/content-keys.js';
import { articleId } from '../stories/prepare.js';

/** What was mailed, in the email table (`adapters/aws/mailed-store.ts`). */
export interface MailedStore {
  /** The edition each of these stories went out in, for those that did. */
  editionsOfStories(storyIds: readonly string[]): Promise<Map<string, string>>;
  /** The edition each of these docs went out in, for those that did. */
  editionsOfDocs(docIds: readonly string[]): Promise<Map<string, string>>;
  /** Mailed docs indexed under any of `keys`; keys indexed under `frequent` docs or more are not read. */
  docsSharing(keys: Uint32Array, frequent: number): Promise<string[]>;
  /** A mailed doc's content features (undefined when they were too large to keep) and its edition. */
  mailedDoc(docId: string): Promise<{ editionId: string; features?: StoredFeatures } | undefined>;
  /** Records the story as mailed in the edition, unless it already went out in one (the first stays). */
  rememberStory(storyId: string, editionId: string): Promise<void>;
  /** Records the doc (and indexes its fingerprints), unless it already went out in an edition. */
  rememberDoc(docId: string, editionId: string, features: StoredFeatures | undefined): Promise<void>;
}

/** The story table as the edition reads it: stories and their member docs. */
export interface StoryDocs {
  getStory(id: string): Promise<StoryItem | undefined>;
  getDoc(docId: string): Promise<DocItem | undefined>;
}

export interface MailedVerdict {
  fresh: StoryItem[];
  /** Stories left out, with the edition their content already went out in. */
  mailed: Array<{ storyId: string; editionId: string }>;
}

export class MailedStories {
  constructor(
    private readonly store: MailedStore,
    private readonly docs: StoryDocs,
  ) {}

  /** The stories none of whose identity or content went out in an edition before. */
  async unmailed(stories: readonly StoryItem[]): Promise<MailedVerdict> {
    const verdict: MailedVerdict = { fresh: [], mailed: [] };
    if (!stories.length) return verdict;
    const byStory = await this.store.editionsOfStories(stories.map((story) => story.id));
    const docIds = [...new Set(stories.flatMap((story) => story.members.map(articleId)))];
    const byDoc = await this.store.editionsOfDocs(docIds);
    for (const story of stories) {
      const editionId =
        byStory.get(story.id) ??
        story.members.map((key) => byDoc.get(articleId(key))).find((id) => id !== undefined) ??
        (await this.contentMailedIn(story));
      if (editionId === undefined) verdict.fresh.push(story);
      else verdict.mailed.push({ storyId: story.id, editionId });
    }
    return verdict;
  }

  private async contentMailedIn(story: StoryItem): Promise<string | undefined> {
    for (const key of story.members) {
      const doc = await this.docs.getDoc(articleId(key));
      if (!doc) continue;
      const features = contentFeatures(doc);
      for (const candidate of await this.store.docsSharing(contentKeys(doc, features), DEFAULT_POSTING_CAP)) {
        const mailed = await this.store.mailedDoc(candidate);
        if (mailed?.features && isDuplicate(features, contentFeatures(mailed.features)).duplicate)
          return mailed.editionId;
      }
    }
    return undefined;
  }

  /** The edition is committed to these stories: remember them and their members. Safe to repeat. */
  async remember(editionId: string, storyIds: readonly string[]): Promise<void> {
    for (const id of storyIds) {
      await this.store.rememberStory(id, editionId);
      const story = await this.docs.getStory(id);
      for (const key of story?.members ?? []) {
        const docId = articleId(key);
        const doc = await this.docs.getDoc(docId);
        await this.store.rememberDoc(docId, editionId, doc && featuresOf(doc));
      }
    }
  }
}

function featuresOf(doc: DocItem): StoredFeatures {
  const { tokens, lineEnds, fps, entities, particulars, flags } = doc;
  return { tokens, lineEnds, fps, entities, particulars, flags };
}
