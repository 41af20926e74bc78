/**
 * The images the articles name, tracked between builds: an article is read again when an image it
 * names was added, replaced or removed since the last build, so its page, feed entries and warnings
 * follow the file (an editor who adds the photo a warning said was missing sees it published).
 */
import type { ArticleSource } from '../ports.js';
import type { BuildState } from './state.js';

/** The version recorded for an image that was not there. */
export const MISSING_MEDIA = '-';

export class MediaVersions {
  private readonly seen = new Map<string, string>();

  constructor(private readonly source: Pick<ArticleSource, 'version'>) {}

  /** Whether the source can tell an image's version (the local folder can; S3 cannot). */
  get tracked(): boolean {
    return this.source.version !== undefined;
  }

  /** The current version of each key, read once per build. */
  async read(keys: Iterable<string>): Promise<void> {
    if (!this.source.version) return;
    for (const key of keys) {
      if (this.seen.has(key)) continue;
      this.seen.set(key, (await this.source.version(key)) ?? MISSING_MEDIA);
    }
  }

  /** Articles whose images changed since `state.media` was recorded, read before the build's reads. */
  async changedArticles(state: {
    files: Record<string, { media?: string[] }>;
    media?: Record<string, string>;
  }): Promise<Set<string>> {
    const changed = new Set<string>();
    if (!this.tracked) return changed;
    const named = Object.entries(state.files).filter(([, record]) => record.media);
    await this.read(named.flatMap(([, record]) => record.media!));
    for (const [key, record] of named)
      if (record.media!.some((image) => this.seen.get(image) !== state.media?.[image])) changed.add(key);
    return changed;
  }

  /**
   * Records in `state.media` the version of every image its articles now name, before the pages are
   * rendered (a change after this is seen by the next build). An image named for the first time is
   * looked at just after its article was read: had it changed in that moment, the article's image
   * warning would stay until the image changes again; its page shows the bytes read when rendered.
   */
  async record(state: BuildState): Promise<void> {
    if (!this.tracked) return;
    const named = new Set(Object.values(state.files).flatMap((record) => record.media ?? []));
    await this.read(named);
    const media: Record<string, string> = {};
    for (const key of [...named].sort()) media[key] = this.seen.get(key)!;
    if (named.size) state.media = media;
    else delete state.media;
  }
}
