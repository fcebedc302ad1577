import { StoreError, isLlmFailoverError } from '../errors.js';

export const sqliteCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
};

export const isCorruption = (code: string | undefined): boolean =>
  code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');

/**
 * Another connection holds the lock (SQLITE_BUSY, also _SNAPSHOT and _RECOVERY, and
 * SQLITE_LOCKED): trying the whole transaction again later can succeed.
 */
export const isBusy = (e: unknown): boolean => {
  const code = sqliteCode(e);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};

/** An I/O error that may pass (a read or write the OS failed once); a full disk is not one. */
export const isPassingIoError = (e: unknown): boolean => sqliteCode(e)?.startsWith('SQLITE_IOERR') === true;

/**
 * Turns a raw better-sqlite3 error into a StoreError with a stable code, so the engine never
 * has to know SQLite's codes; our own typed errors pass through untouched.
 */
export function toStoreError(e: unknown, path: string, doing: string): unknown {
  if (isLlmFailoverError(e)) return e;
  const code = sqliteCode(e);
  if (code === undefined) return e;
  const detail = e instanceof Error ? e.message : String(e);
  if (isCorruption(code)) {
    return new StoreError('STORE_CORRUPT', path, `Database ${path} is corrupt or not a SQLite database (${code}: ${detail}) while ${doing}`, { cause: e });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('STORE_BUSY', path, `Database ${path} stayed locked by another connection while ${doing} (${code})`, { cause: e });
  }
  return new StoreError('STORE_FAILED', path, `SQLite failed while ${doing} on ${path} (${code}: ${detail})`, { cause: e });
}
