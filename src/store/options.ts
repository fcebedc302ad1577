import { ConfigError } from '../errors.js';
import { MAX_TIMER_MS } from '../timer-bounds.js';
import type { HistoryCacheLimits } from './history-cache.js';
import { HISTORY_CACHE_DEFAULTS, resolveHistoryCacheLimits, type HistoryCacheOptions } from './history-cache-options.js';

export type SynchronousMode = 'NORMAL' | 'FULL';

export interface SqliteStoreOptions extends HistoryCacheOptions {
  /** Database file; `':memory:'` (the default) keeps everything in this process. */
  path?: string;
  /**
   * `NORMAL` (default) is durable against process crashes in WAL mode; `FULL` also against
   * power loss, at the cost of an fsync per commit.
   */
  synchronous?: SynchronousMode;
  /**
   * How long one statement waits, synchronously, for another connection's write lock (SQLite's
   * `busy_timeout`). Kept short, at most 1 000 ms: longer waits are asynchronous retries
   * (`busyWaitMs`), so a locked database never freezes the process.
   */
  busyTimeoutMs?: number;
  /**
   * How long a call retries a busy database, asynchronously with backoff, when its caller gives
   * no bound of its own (the engine gives `lockWaitMs`). Then `STORE_BUSY`.
   */
  busyWaitMs?: number;
  /** How long opening waits, asynchronously, for a write lock it needs (creating or migrating the schema). */
  openTimeoutMs?: number;
  /** Run `PRAGMA quick_check` when opening a file, so a damaged one is refused at once (default true). */
  quickCheck?: boolean;
  /**
   * The store clock, read only while a run waits for a busy session (to tell when the holder's
   * lease has expired). Pass the engine's clock when it is simulated; by default the wait
   * advances the caller's `now` by the real time waited.
   */
  now?: () => number;
  /** Expired cooldown rows are deleted at most once per this interval (store clock). */
  cooldownCleanupIntervalMs?: number;
}

export interface ResolvedStoreOptions {
  path: string;
  synchronous: SynchronousMode;
  busyTimeoutMs: number;
  busyWaitMs: number;
  openTimeoutMs: number;
  quickCheck: boolean;
  now: (() => number) | undefined;
  cooldownCleanupIntervalMs: number;
  historyCache: HistoryCacheLimits;
}

/** The longest synchronous wait a statement may make: beyond it the process visibly stalls. */
export const MAX_BUSY_TIMEOUT_MS = 1_000;

const DEFAULTS = {
  path: ':memory:',
  synchronous: 'NORMAL',
  busyTimeoutMs: 20,
  busyWaitMs: 30_000,
  openTimeoutMs: 30_000,
  quickCheck: true,
  cooldownCleanupIntervalMs: 60_000,
  ...HISTORY_CACHE_DEFAULTS,
} as const;

const KNOWN_OPTIONS = new Set([...Object.keys(DEFAULTS), 'now']);

function checkMs(field: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ConfigError(field, `must be a non-negative integer number of milliseconds, got ${String(v)}`);
  }
  if (v > max) throw new ConfigError(field, `must be at most ${max} ms, got ${v}`);
  return v;
}

export function resolveStoreOptions(options: SqliteStoreOptions = {}): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', 'must be an object');
  }
  // a misspelt `path` would otherwise silently give an in-memory store and lose every session
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new ConfigError(key, 'is not an option of openSqliteStore');
  }
  const o = { ...DEFAULTS, ...options };
  if (typeof o.path !== 'string' || o.path.length === 0) {
    throw new ConfigError('path', 'must be a non-empty string (a file path or ":memory:")');
  }
  if (o.synchronous !== 'NORMAL' && o.synchronous !== 'FULL') {
    throw new ConfigError('synchronous', `must be 'NORMAL' or 'FULL', got ${JSON.stringify(o.synchronous)}`);
  }
  if (o.now !== undefined && typeof o.now !== 'function') {
    throw new ConfigError('now', 'must be a function returning the current time in ms');
  }
  if (typeof o.quickCheck !== 'boolean') throw new ConfigError('quickCheck', 'must be a boolean');
  return {
    path: o.path,
    synchronous: o.synchronous,
    busyTimeoutMs: checkMs('busyTimeoutMs', o.busyTimeoutMs, MAX_BUSY_TIMEOUT_MS),
    busyWaitMs: checkMs('busyWaitMs', o.busyWaitMs, MAX_TIMER_MS),
    openTimeoutMs: checkMs('openTimeoutMs', o.openTimeoutMs, MAX_TIMER_MS),
    quickCheck: o.quickCheck,
    now: o.now,
    cooldownCleanupIntervalMs: checkMs('cooldownCleanupIntervalMs', o.cooldownCleanupIntervalMs, Number.MAX_SAFE_INTEGER),
    historyCache: resolveHistoryCacheLimits(o),
  };
}
