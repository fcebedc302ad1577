import { StoreError, isLlmFailoverError } from '../../errors.js';

// What node-postgres throws, sorted into the store's typed errors. A server error carries a
// 5-character SQLSTATE; a dropped socket or a refused connection carries a Node errno code or
// none at all (only its message says so), so those are matched too.

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const NODE_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const DROPPED = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Client was closed|terminating connection/i;

/** The server went away, restarted or could not be reached: a later try on a new connection can work. */
export function isUnavailable(e: unknown): boolean {
  const code = codeOf(e);
  if (code !== undefined) {
    if (NODE_CONNECTION_CODES.has(code)) return true;
    // 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown, cannot connect now
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  return e instanceof Error && DROPPED.test(e.message);
}

/** Two transactions collided (serialization failure, deadlock): the whole transaction may be run again. */
export const isConflict = (e: unknown): boolean => codeOf(e) === '40001' || codeOf(e) === '40P01';

/** A lock or statement timeout: the database is busy. */
export const isBusy = (e: unknown): boolean => codeOf(e) === '55P03' || codeOf(e) === '57014';

export const isUniqueViolation = (e: unknown, constraint?: string): boolean =>
  codeOf(e) === '23505' && (constraint === undefined || (e as { constraint?: unknown }).constraint === constraint);

/** Worth running the whole transaction again, on a fresh connection, while the caller's bound lasts. */
export const isRetryable = (e: unknown): boolean => isUnavailable(e) || isConflict(e) || isBusy(e);

/**
 * A pg error as the store's typed error; our own typed errors pass through. The message names
 * the store by its redacted location (never the connection string, which may hold a password).
 */
export function toStoreError(e: unknown, where: string, doing: string): unknown {
  if (isLlmFailoverError(e)) return e;
  const code = codeOf(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (isUnavailable(e)) {
    return new StoreError('STORE_UNAVAILABLE', where, `PostgreSQL at ${where} could not be reached or dropped the connection while ${doing} (${code ?? 'no code'}: ${detail})`, { cause: e });
  }
  if (isConflict(e) || isBusy(e)) {
    return new StoreError('STORE_BUSY', where, `PostgreSQL at ${where} stayed busy while ${doing} (${code}: ${detail})`, { cause: e });
  }
  if (code === 'SQLITE_CORRUPT') {
    // what turn-rows.ts reports for a JSON column it cannot read
    return new StoreError('STORE_CORRUPT', where, `A row of ${where} is damaged (${detail}) while ${doing}`, { cause: e });
  }
  return new StoreError('STORE_FAILED', where, `PostgreSQL failed while ${doing} on ${where} (${code ?? 'no code'}: ${detail})`, { cause: e });
}
