import { ConfigError } from '../errors.js';
import type { HistoryCacheLimits } from './history-cache.js';

/** The history cache's bounds, the same options for every store (openSqliteStore, openPostgresStore). */
export interface HistoryCacheOptions {
  /**
   * Bytes of session history kept in memory, so a run reads only the turns added since: each
   * turn counts its text plus 32 bytes (PostgreSQL: plus about 24 bytes once per run for its
   * id); least recently used sessions go first. The `{ role, content }` objects runs are given
   * are not counted: built when a run needs them, they are dropped by a collection once no run
   * holds them. Default 64 MiB; 0 turns the cache off.
   */
  historyCacheBytes?: number;
  /** At most this many sessions in the history cache as well (default: no bound but the bytes); 0 turns it off. */
  historyCacheSessions?: number;
}

export const HISTORY_CACHE_DEFAULTS = {
  historyCacheBytes: 64 * 1024 * 1024,
  historyCacheSessions: Number.MAX_SAFE_INTEGER,
} as const;

/** The checked bounds, defaults filled in; either bound at 0 turns the cache off. */
export function resolveHistoryCacheLimits(options: HistoryCacheOptions): HistoryCacheLimits {
  const o = { ...HISTORY_CACHE_DEFAULTS, ...options };
  for (const field of ['historyCacheBytes', 'historyCacheSessions'] as const) {
    const v: unknown = o[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ConfigError(field, `must be a non-negative integer, got ${String(v)}`);
  }
  return { maxBytes: o.historyCacheSessions === 0 ? 0 : o.historyCacheBytes, maxSessions: o.historyCacheSessions };
}
