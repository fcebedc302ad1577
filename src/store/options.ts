import { ConfigError } from '../errors.js';

export type SynchronousMode = 'NORMAL' | 'FULL';

export interface SqliteStoreOptions {
  /** Database file; `':memory:'` (the default) keeps everything in this process. */
  path?: string;
  /**
   * `NORMAL` (default) is durable against process crashes in WAL mode; `FULL` also against
   * power loss, at the cost of an fsync per commit.
   */
  synchronous?: SynchronousMode;
  /** How long a statement waits for another connection's write lock before failing. */
  busyTimeoutMs?: number;
  /**
   * The store clock, read only while a run waits for a busy session (to tell when the holder's
   * lease has expired). Pass the engine's clock when it is simulated; by default the wait
   * advances the caller's `now` by the real time waited.
   */
  now?: () => number;
  /** Expired cooldown rows are deleted at most once per this interval (store clock). */
  cooldownCleanupIntervalMs?: number;
  /** Sessions whose history is kept in memory, so a run reads only the turns added since; 0 turns it off. */
  historyCacheSessions?: number;
}

export interface ResolvedStoreOptions {
  path: string;
  synchronous: SynchronousMode;
  busyTimeoutMs: number;
  now: (() => number) | undefined;
  cooldownCleanupIntervalMs: number;
  historyCacheSessions: number;
}

const KNOWN_OPTIONS = new Set(['path', 'synchronous', 'busyTimeoutMs', 'now', 'cooldownCleanupIntervalMs', 'historyCacheSessions']);

const isNonNegativeInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function resolveStoreOptions(options: SqliteStoreOptions = {}): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', 'must be an object');
  }
  // a misspelt `path` would otherwise silently give an in-memory store and lose every session
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new ConfigError(key, 'is not an option of openSqliteStore');
  }
  const { path = ':memory:', synchronous = 'NORMAL', busyTimeoutMs = 5000, now, cooldownCleanupIntervalMs = 60_000, historyCacheSessions = 256 } = options;
  if (typeof path !== 'string' || path.length === 0) {
    throw new ConfigError('path', 'must be a non-empty string (a file path or ":memory:")');
  }
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new ConfigError('synchronous', `must be 'NORMAL' or 'FULL', got ${JSON.stringify(synchronous)}`);
  }
  if (!isNonNegativeInt(busyTimeoutMs)) {
    throw new ConfigError('busyTimeoutMs', 'must be a non-negative integer number of milliseconds');
  }
  if (now !== undefined && typeof now !== 'function') {
    throw new ConfigError('now', 'must be a function returning the current time in ms');
  }
  if (!isNonNegativeInt(cooldownCleanupIntervalMs)) {
    throw new ConfigError('cooldownCleanupIntervalMs', 'must be a non-negative integer number of milliseconds');
  }
  if (!isNonNegativeInt(historyCacheSessions)) {
    throw new ConfigError('historyCacheSessions', 'must be a non-negative integer');
  }
  return { path, synchronous, busyTimeoutMs, now, cooldownCleanupIntervalMs, historyCacheSessions };
}
