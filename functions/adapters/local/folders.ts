/**
 * Checks that the local folders a command was given can be used, before any work starts, so a
 * mistyped or unwritable path is one clear line instead of an error from deep in a run; and the
 * plain-words form of the file-system errors that can still happen later (a disk that fills up).
 */
import { accessSync, constants, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A folder given on the command line cannot be used; the message names it, the problem and the fix. */
export class FolderError extends Error {
  override name = 'FolderError';
  constructor(
    message: string,
    readonly path: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

export interface FolderRole {
  /** What the folder is for, in words: "articles folder". */
  what: string;
  /** How to give another one: "pass --articles DIR". */
  fix: string;
  /** The fix when the folder does not exist, if it differs: "create it, or pass --articles DIR". */
  ifMissing?: string;
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** A file-system error in words ("permission denied"); undefined for anything else. */
export function describeFsError(error: unknown): string | undefined {
  const code = errno(error);
  switch (code) {
    case undefined:
      return undefined;
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the disk';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return /^E[A-Z]+$/.test(code) ? `${(error as Error).message}` : undefined;
  }
}

/** The folder exists, is a folder and can be listed. */
export function requireReadableFolder(path: string, role: FolderRole): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    const dangling = danglingLink(path);
    if (dangling)
      throw new FolderError(`${role.what} ${path} ${dangling}: ${role.fix}`, path, { cause: error });
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR')
      throw new FolderError(`${role.what} ${path} does not exist: ${role.ifMissing ?? role.fix}`, path, {
        cause: error,
      });
    throw new FolderError(
      `${role.what} ${path} cannot be read: ${describeFsError(error)}: ${role.fix}`,
      path,
      {
        cause: error,
      },
    );
  }
  if (!isFolder) throw new FolderError(`${role.what} ${path} is a file, not a folder: ${role.fix}`, path);
  try {
    accessSync(path, constants.R_OK | constants.X_OK);
  } catch (error) {
    throw new FolderError(
      `${role.what} ${path} cannot be read: ${describeFsError(error)}: fix its permissions, or ${role.fix}`,
      path,
      { cause: error },
    );
  }
}

/**
 * The folder can be written: it exists and is writable, or it can be created because the nearest
 * folder above it that exists is writable. Nothing is created here.
 */
export function requireWritableFolder(path: string, role: FolderRole): void {
  const info = statOrMissing(path);
  if (info) {
    if (!info.isDirectory())
      throw new FolderError(`${role.what} ${path} is a file, not a folder: ${role.fix}`, path);
    const problem = notWritable(path);
    if (problem)
      throw new FolderError(
        `${role.what} ${path} is not writable: ${problem.reason}: ${problem.permission ? `fix its permissions, or ${role.fix}` : role.fix}`,
        path,
      );
    return;
  }
  // Node's recursive mkdir never returns when a folder on the way is a link to nothing: caught here.
  const missingLink = (at: string) => {
    const dangling = danglingLink(at);
    if (dangling)
      throw new FolderError(
        `${role.what} ${path} cannot be created: ${at === path ? 'it' : at} ${dangling}: ${role.fix}`,
        path,
      );
  };
  missingLink(path);
  let parent = dirname(resolve(path));
  for (;;) {
    const above = statOrMissing(parent);
    if (!above) missingLink(parent);
    if (above) {
      if (!above.isDirectory())
        throw new FolderError(
          `${role.what} ${path} cannot be created: ${parent} is a file, not a folder: ${role.fix}`,
          path,
        );
      const problem = notWritable(parent);
      if (problem)
        throw new FolderError(
          `${role.what} ${path} cannot be created in ${parent}: ${problem.reason}: ${role.fix}` +
            (problem.permission ? `, or fix the permissions of ${parent}` : ''),
          path,
        );
      return;
    }
    const next = dirname(parent);
    if (next === parent) return;
    parent = next;
  }
}

/** Undefined when nothing is there (or a file stands where a folder of the path should be). */
function statOrMissing(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** "is a symbolic link to X, which does not exist" when `path` is one; undefined otherwise. */
function danglingLink(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink() || statOrMissing(path)) return undefined;
    return `is a symbolic link to ${readlinkSync(path)}, which does not exist`;
  } catch {
    return undefined;
  }
}

function notWritable(path: string): { reason: string; permission: boolean } | undefined {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const code = errno(error);
    return {
      reason: describeFsError(error) ?? String(error),
      permission: code === 'EACCES' || code === 'EPERM',
    };
  }
}
