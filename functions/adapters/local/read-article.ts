/**
 * Reads one article file exactly once, from a handle that is known to be a regular file. The listing
 * does not follow symbolic links; a plain `readFileSync` would, so a file swapped for a link to
 * `/etc/passwd` between the listing and the read would be published. Here the open refuses a link
 * (`O_NOFOLLOW`), the checks run on the open handle (`fstat`, no second lookup by path), and the
 * bytes returned are the ones read through it.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { ArticleChangedError, ArticleNotFoundError, ArticleUnreadableError } from '../../core/ports.js';
import { describeFsError } from './folders.js';

/** The version the listing gives a file, and the read checks: mtime and size. */
export const versionOf = (info: Pick<Stats, 'mtimeMs' | 'size'>) =>
  `${Math.trunc(info.mtimeMs)}-${info.size}`;

// O_NONBLOCK: a FIFO swapped in must not block the open waiting for a writer (it is refused after).
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** The article at `path` (`key` names it in errors); with `version`, only if it is still that version. */
export function readArticleFile(path: string, key: string, version?: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (error) {
    throw openError(key, error);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new ArticleUnreadableError(key, 'is not a regular file');
    if (version !== undefined && versionOf(info) !== version) throw new ArticleChangedError(key);
    const bytes = readFileSync(fd);
    // Written to while read: the bytes may be half old, half new.
    if (bytes.length !== info.size) throw new ArticleChangedError(key);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

function openError(key: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ArticleNotFoundError(key, { cause: error });
  // O_NOFOLLOW on a link: Linux answers ELOOP, the BSDs EMLINK.
  if (code === 'ELOOP' || code === 'EMLINK')
    return new ArticleUnreadableError(key, 'is a symbolic link (articles are read from regular files only)', {
      cause: error,
    });
  if (code === 'ENAMETOOLONG')
    return new ArticleUnreadableError(key, 'its path is longer than the system allows', { cause: error });
  return new ArticleUnreadableError(
    key,
    `cannot be read: ${describeFsError(error) ?? (error as Error).message}`,
    {
      cause: error,
    },
  );
}
