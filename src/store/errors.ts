/**
 * The one error type the store throws for problems a person has to fix (a
 * folder it cannot write, a damaged or too-new database), so start-up can show
 * the message and exit instead of printing a stack trace.
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** Advice for a database file that SQLite cannot make sense of. */
export function corruptDatabase(file: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    `${file} is not a valid database (${detail}). talks-bot left it untouched: move it aside ` +
      `or restore a backup, then start again (a missing file is created empty), or set DATA_DIR elsewhere.`,
    { cause },
  );
}

/** Advice for a folder or file the bot may not write (permissions, read-only disk, not a folder). */
export function unwritable(path: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    `Cannot write ${path} (${detail}). Fix its permissions (the bot needs to create and write ` +
      `files there), or set DATA_DIR to a writable folder.`,
    { cause },
  );
}

/**
 * Turns SQLite failures that come from the surroundings (the file, the folder,
 * the disk, another process) into advice; returns undefined for the rest, which
 * are bugs and keep their stack. SQLite reports extended codes such as
 * SQLITE_READONLY_DBMOVED, hence the prefix match.
 */
export function explainSqliteError(error: unknown, file: string): StoreError | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  const code = error.code;
  const is = (...prefixes: string[]) => prefixes.some((prefix) => code.startsWith(prefix));
  if (is('SQLITE_NOTADB', 'SQLITE_CORRUPT')) return corruptDatabase(file, error.message, error);
  if (is('SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_AUTH')) {
    return new StoreError(
      `Cannot open ${file} for writing (${error.message}). Fix the permissions of that file and ` +
        `of its folder ${dirname(file)}, or set DATA_DIR to a writable folder.`,
      { cause: error },
    );
  }
  if (is('SQLITE_BUSY', 'SQLITE_LOCKED')) {
    return new StoreError(
      `The database ${file} stayed locked by another process (${error.message}). Is another ` +
        `talks-bot using the same DATA_DIR? Stop it, or give this one its own DATA_DIR.`,
      { cause: error },
    );
  }
  if (is('SQLITE_FULL')) {
    return new StoreError(
      `The disk holding ${file} is full (${error.message}). Free some space, or set DATA_DIR ` +
        `to a folder on another disk.`,
      { cause: error },
    );
  }
  if (is('SQLITE_IOERR')) {
    return new StoreError(
      `Could not read or write ${file} (${error.message}, ${code}). Check the disk and the ` +
        `folder's permissions, or set DATA_DIR elsewhere.`,
      { cause: error },
    );
  }
  return undefined;
}
