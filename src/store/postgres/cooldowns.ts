import { ConfigError } from '../../errors.js';
import type { CooldownEntry, CooldownKey } from '../../types.js';
import { rowToCooldown, type CooldownRow } from '../row-mapping.js';
import { CooldownEntryPool } from '../cooldown-entry-pool.js';
import type { CooldownMatch } from '../types.js';
import type { Queryable } from './database.js';
import type { PgStatements } from './statements.js';
import { ENDED_COOLDOWN_MEMORY_MS } from '../cooldown-table.js';
import { checkPgText } from './text.js';



function checkEntry(e: CooldownEntry): void {
  if (typeof e.provider !== 'string' || e.provider === '') throw new ConfigError('cooldown.provider', 'must be a non-empty string');
  if (typeof e.until !== 'number' || Number.isNaN(e.until)) throw new ConfigError('cooldown.until', 'must be a time in ms (Infinity allowed)');
  if (!Number.isSafeInteger(e.failures) || e.failures < 0 || e.failures > 2 ** 31 - 1) throw new ConfigError('cooldown.failures', 'must be a non-negative integer');
  // the key must read back exactly, or the entry could never be cleared
  checkPgText('cooldown.provider', e.provider);
  if (e.profileId !== undefined) checkPgText('cooldown.profileId', e.profileId);
  if (e.model !== undefined) checkPgText('cooldown.model', e.model);
  checkPgText('cooldown.reason', e.reason);
}

/**
 * Cooldowns shared by every host using the schema: the point of a shared store (host B honours
 * the exhaustion host A just saw). Expired rows are deleted at most once per interval of the
 * callers' clock, inside a run's opening, never on the wall clock (a simulated engine clock
 * would call every entry expired).
 */
export function createPgCooldowns(q: PgStatements, cleanupIntervalMs: number) {
  let lastCleanupAt: number | undefined;
  const read = async (c: Queryable, providers: readonly string[], now: number): Promise<CooldownRow[]> => {
    if (providers.length === 0) return [];
    return (await c.query<CooldownRow>(q.activeCooldowns, [[...new Set(providers)], now, now - ENDED_COOLDOWN_MEMORY_MS])).rows;
  };
  const opened = new CooldownEntryPool();
  return {
    async active(c: Queryable, providers: readonly string[], now: number): Promise<CooldownEntry[]> {
      return (await read(c, providers, now)).map(rowToCooldown);
    },
    /** As `active`, for a run that opens: equal entries shared between runs (frozen; see CooldownEntryPool). */
    async activeShared(c: Queryable, providers: readonly string[], now: number): Promise<CooldownEntry[]> {
      return (await read(c, providers, now)).map(opened.entry);
    },
    async maybeCleanup(c: Queryable, now: number): Promise<void> {
      if (lastCleanupAt !== undefined && now >= lastCleanupAt && now - lastCleanupAt < cleanupIntervalMs) return;
      lastCleanupAt = now;
      await c.query(q.forgetEndedCooldowns, [now - ENDED_COOLDOWN_MEMORY_MS]);
    },
    /** Checks before any I/O, so a bad entry is a ConfigError naming the field, never a server error. */
    check: checkEntry,
    async put(c: Queryable, e: CooldownEntry): Promise<void> {
      await c.query(q.upsertCooldown, [e.provider, e.profileId ?? '', e.model ?? '', e.until, e.reason, e.failures]);
    },
    /**
     * The entries written in one statement, as `put` of each in their order would leave the rows:
     * entries of one key are merged first (one statement cannot upsert a row twice), the later
     * end of the two kept and the later entry's reason and count taken, as two upserts do.
     */
    async putMany(c: Queryable, entries: readonly CooldownEntry[]): Promise<void> {
      if (entries.length === 1) {
        const e = entries[0]!;
        await c.query(q.upsertCooldown, [e.provider, e.profileId ?? '', e.model ?? '', e.until, e.reason, e.failures]);
        return;
      }
      const byKey = new Map<string, CooldownEntry>();
      for (const e of entries) {
        // NUL never reaches a key (checkPgText refuses it): a safe separator
        const key = `${e.provider}\u0000${e.profileId ?? ''}\u0000${e.model ?? ''}`;
        const before = byKey.get(key);
        byKey.set(key, before && before.until > e.until ? { ...e, until: before.until } : e);
      }
      const merged = [...byKey.values()];
      await c.query(q.upsertCooldowns, [
        merged.map((e) => e.provider),
        merged.map((e) => e.profileId ?? ''),
        merged.map((e) => e.model ?? ''),
        merged.map((e) => e.until),
        merged.map((e) => e.reason),
        merged.map((e) => e.failures),
      ]);
    },
    /** See RunStore.claimProbe: one statement, so it is atomic without a transaction of its own. */
    async claimProbe(c: Queryable, keys: readonly CooldownKey[], runId: string, now: number, holdMs: number): Promise<boolean> {
      if (keys.length === 0) return true;
      const { rows } = await c.query<{ ok: boolean }>(q.claimProbe, [
        keys.map((k) => k.provider),
        keys.map((k) => k.profileId ?? ''),
        keys.map((k) => k.model ?? ''),
        runId,
        now,
        now + holdMs,
      ]);
      return rows[0]?.ok === true;
    },
    async clear(c: Queryable, keys: readonly CooldownKey[]): Promise<void> {
      if (keys.length === 0) return;
      await c.query(q.deleteCooldowns, [keys.map((k) => k.provider), keys.map((k) => k.profileId ?? ''), keys.map((k) => k.model ?? '')]);
    },
    async deleteExpired(c: Queryable, now: number): Promise<number> {
      lastCleanupAt = now;
      return (await c.query(q.deleteExpiredCooldowns, [now])).rowCount ?? 0;
    },
    async all(c: Queryable, now: number): Promise<CooldownEntry[]> {
      return (await c.query<CooldownRow>(q.allCooldowns, [now])).rows.map(rowToCooldown);
    },
    async clearMatching(c: Queryable, m: CooldownMatch): Promise<number> {
      return (await c.query(q.deleteCooldownsMatching, [m.provider ?? null, m.profileId ?? null, m.model ?? null])).rowCount ?? 0;
    },
  };
}

export type PgCooldowns = ReturnType<typeof createPgCooldowns>;
