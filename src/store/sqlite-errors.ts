import { StoreError, isLlmFailoverError } from '../errors.js';

const sqliteCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
};

export const isCorruption = (code: string | undefined): boolean =>
  code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');

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
  return new StoreError('STORE_FAILED', path, `SQLite failed while ${doing} on ${path} (${code}: ${detail})`, { cause: e });
}
