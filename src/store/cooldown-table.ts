import type Database from 'better-sqlite3';
import { ConfigError } from '../errors.js';
import type { CooldownEntry, CooldownKey } from '../types.js';
import { checkText } from './text-checks.js';
import { rowToCooldown, type CooldownRow } from './row-mapping.js';
import { CooldownEntryPool } from './cooldown-entry-pool.js';
import type { CooldownMatch } from './types.js';


/**
 * How long an ended cooldown is remembered without a success: its failure count keeps the next
 * backoff growing, and its key is probed by one run at a time. A success deletes it at once.
 */
export const ENDED_COOLDOWN_MEMORY_MS = 24 * 60 * 60_000;

interface KeyParams {
  provider: string;
  profileId: string;
  model: string;
}

// '' stands for an absent key part: NULLs would never collide in the primary key
const keyParams = (k: CooldownKey): KeyParams => ({ provider: k.provider, profileId: k.profileId ?? '', model: k.model ?? '' });


/**
 * Cooldowns shared by every run and process using the database. Reads go through the primary
 * key (provider first); expired rows are deleted through the `until` index, at most once per
 * `cleanupIntervalMs` of the callers' clock, so no call pays for a scan. Cleanup only runs
 * with a `now` a caller gave (openRun's), never the wall clock: under a simulated engine clock
 * the wall clock would call every entry expired.
 */
export function createCooldownTable(db: Database.Database, cleanupIntervalMs: number) {
  const s = {
    // ended rows come too: they still count failures, and their probe may be claimed
    // Positional parameters (now, now, provider, now): every run opening reads this, and
    // better-sqlite3 looks a named parameter up by name on each call.
    active: db.prepare<[number, number, string, number], CooldownRow>(
      `SELECT provider, profile_id, model, until, reason, failures,
         CASE WHEN probe_until > ? THEN probe_run_id END AS probe_run_id, CASE WHEN probe_until > ? THEN probe_until END AS probe_until
       FROM cooldowns WHERE provider = ? AND until > ? - ${ENDED_COOLDOWN_MEMORY_MS} ORDER BY profile_id, model`,
    ),
    one: db.prepare<KeyParams, CooldownRow>(
      'SELECT provider, profile_id, model, until, reason, failures, probe_run_id, probe_until FROM cooldowns WHERE provider = @provider AND profile_id = @profileId AND model = @model',
    ),
    claim: db.prepare<KeyParams & { runId: string; probeUntil: number }>(
      'UPDATE cooldowns SET probe_run_id = @runId, probe_until = @probeUntil WHERE provider = @provider AND profile_id = @profileId AND model = @model',
    ),
    // every provider of a chain in one statement: the list goes in as one JSON array parameter
    // (now, now, providers, now), as `active`
    activeOf: db.prepare<[number, number, string, number], CooldownRow>(
      `SELECT provider, profile_id, model, until, reason, failures,
         CASE WHEN probe_until > ? THEN probe_run_id END AS probe_run_id, CASE WHEN probe_until > ? THEN probe_until END AS probe_until
       FROM cooldowns WHERE provider IN (SELECT value FROM json_each(?)) AND until > ? - ${ENDED_COOLDOWN_MEMORY_MS}
       ORDER BY provider, profile_id, model`,
    ),
    // positional, as `active`: a failing run writes one per failure
    upsert: db.prepare<[string, string, string, number, string, number]>(
      `INSERT INTO cooldowns (provider, profile_id, model, until, reason, failures)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (provider, profile_id, model) DO UPDATE SET
         until = max(until, excluded.until), reason = excluded.reason, failures = excluded.failures,
         probe_run_id = NULL, probe_until = NULL`,
    ),
    remove: db.prepare<KeyParams>('DELETE FROM cooldowns WHERE provider = @provider AND profile_id = @profileId AND model = @model'),
    removeExpired: db.prepare<[number]>('DELETE FROM cooldowns WHERE until <= ?'),
    forget: db.prepare<[number]>(`DELETE FROM cooldowns WHERE until <= ? - ${ENDED_COOLDOWN_MEMORY_MS}`),
    all: db.prepare<[number], CooldownRow>(
      'SELECT provider, profile_id, model, until, reason, failures FROM cooldowns WHERE until > ? ORDER BY provider, profile_id, model',
    ),
    removeMatching: db.prepare<{ provider: string | null; profileId: string | null; model: string | null }>(
      `DELETE FROM cooldowns WHERE (@provider IS NULL OR provider = @provider)
         AND (@profileId IS NULL OR profile_id = @profileId) AND (@model IS NULL OR model = @model)`,
    ),
  };
  let lastCleanupAt: number | undefined;

  /** Call inside a write transaction: deletes expired rows if the interval has passed. */
  const maybeCleanup = (now: number): void => {
    // a clock that went backwards (a fresh simulated clock) restarts the interval
    if (lastCleanupAt !== undefined && now >= lastCleanupAt && now - lastCleanupAt < cleanupIntervalMs) return;
    lastCleanupAt = now;
    s.forget.run(now);
  };

  /** In key order (provider, profile, model); one statement whatever the number of providers. */
  const read = (providers: readonly string[], now: number): CooldownRow[] => {
    if (providers.length === 0) return [];
    return providers.length === 1 ? s.active.all(now, now, providers[0]!, now) : s.activeOf.all(now, now, JSON.stringify(providers), now);
  };
  const active = (providers: readonly string[], now: number): CooldownEntry[] => read(providers, now).map(rowToCooldown);

  const opened = new CooldownEntryPool();
  /** As `active`, for a run that opens: equal entries shared between runs (frozen). */
  const activeShared = (providers: readonly string[], now: number): CooldownEntry[] => read(providers, now).map(opened.entry);

  const put = (e: CooldownEntry): void => {
    // caught here with the field named, rather than as a SQLite constraint message
    if (typeof e.provider !== 'string' || e.provider === '') throw new ConfigError('cooldown.provider', 'must be a non-empty string');
    if (typeof e.until !== 'number' || Number.isNaN(e.until)) throw new ConfigError('cooldown.until', 'must be a time in ms (Infinity allowed)');
    if (!Number.isSafeInteger(e.failures) || e.failures < 0) throw new ConfigError('cooldown.failures', 'must be a non-negative integer');
    // the key must read back exactly, or the entry could never be cleared
    checkText('cooldown.provider', e.provider);
    if (e.profileId !== undefined) checkText('cooldown.profileId', e.profileId);
    if (e.model !== undefined) checkText('cooldown.model', e.model);
    s.upsert.run(e.provider, e.profileId ?? '', e.model ?? '', e.until, e.reason, e.failures);
  };

  /**
   * All or nothing: each key that still has an ended cooldown gets this run as its prober, unless
   * a cooldown is in force again or another run's claim still holds. A key without a row (a
   * success cleared it) needs no claim.
   */
  const claim = db.transaction((keys: readonly CooldownKey[], runId: string, now: number, holdMs: number): boolean => {
    const rows: KeyParams[] = [];
    for (const k of keys) {
      const r = s.one.get(keyParams(k));
      if (!r) continue;
      if (r.until > now) return false;
      if (r.probe_until != null && r.probe_until > now && r.probe_run_id !== runId) return false;
      rows.push(keyParams(k));
    }
    for (const k of rows) s.claim.run({ ...k, runId, probeUntil: now + holdMs });
    return true;
  });

  const clear = db.transaction((keys: readonly CooldownKey[]) => {
    for (const k of keys) s.remove.run(keyParams(k));
  });

  return {
    active,
    activeShared,
    maybeCleanup,
    put,
    /** Deletes every row expired at `now`, whatever the interval; returns how many. */
    deleteExpired: (now: number): number => {
      lastCleanupAt = now;
      return s.removeExpired.run(now).changes;
    },
    clear: (keys: readonly CooldownKey[]): void => clear.immediate(keys),
    claimProbe: (keys: readonly CooldownKey[], runId: string, now: number, holdMs: number): boolean => claim.immediate(keys, runId, now, holdMs),
    /** Every entry in force at `now`, of every provider. */
    all: (now: number): CooldownEntry[] => s.all.all(now).map(rowToCooldown),
    /** Deletes the entries matching (an omitted field matches anything); returns how many. */
    clearMatching: (m: CooldownMatch): number =>
      s.removeMatching.run({ provider: m.provider ?? null, profileId: m.profileId ?? null, model: m.model ?? null }).changes,
  };
}

export type CooldownTable = ReturnType<typeof createCooldownTable>;
