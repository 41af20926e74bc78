/**
 * Which files are articles, on both paths: the local folder lists only these, and the cloud ingest and
 * reconciler leave any other object under the articles prefix alone (an image beside its article is
 * read by the publisher when it renders the page, never parsed as an article).
 */

/** File endings read as articles; anything else beside them (images, notes) is left alone. */
export const ARTICLE_EXTENSIONS = ['.txt', '.text', '.md', '.markdown'];

export function isArticleKey(key: string): boolean {
  const name = key.toLowerCase();
  return ARTICLE_EXTENSIONS.some((ext) => name.endsWith(ext));
}
