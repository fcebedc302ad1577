import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CooldownEntry } from '../../src/types.js';
import { openArgs, openStore, tempDbPath } from './helpers.js';

const entry = (over: Partial<CooldownEntry> = {}): CooldownEntry => ({ provider: 'openai-codex', until: 2_000, reason: 'quota_exhausted', failures: 1, ...over });

describe('cooldowns', () => {
  it('keeps the four key shapes apart and returns absent parts as absent', () => {
    const store = openStore();
    const keys = [{}, { profileId: 'p1' }, { profileId: 'p1', model: 'gpt-5.5' }, { model: 'gpt-5.5' }];
    keys.forEach((k, i) => store.putCooldown(entry({ ...k, until: 2_000 + i })));
    const active = store.activeCooldowns(['openai-codex'], 1_000);
    expect(active).toHaveLength(4);
    expect(active).toContainEqual(entry({ until: 2_000 }));
    expect(active).toContainEqual(entry({ profileId: 'p1', until: 2_001 }));
    expect(active).toContainEqual(entry({ profileId: 'p1', model: 'gpt-5.5', until: 2_002 }));
    expect(active).toContainEqual(entry({ model: 'gpt-5.5', until: 2_003 }));
    expect(active.find((e) => e.until === 2_000)).not.toHaveProperty('profileId');
  });

  it('returns only entries of the given providers that are still active', () => {
    const store = openStore();
    store.putCooldown(entry({ provider: 'a', until: 1_500 }));
    store.putCooldown(entry({ provider: 'a', profileId: 'x', until: 1_000 }));
    store.putCooldown(entry({ provider: 'b', until: 5_000 }));
    store.putCooldown(entry({ provider: 'c', until: 5_000 }));
    expect(store.activeCooldowns(['a', 'b', 'a'], 1_000).map((e) => [e.provider, e.profileId ?? ''])).toEqual([
      ['a', ''],
      ['b', ''],
    ]);
    expect(store.activeCooldowns([], 1_000)).toEqual([]);
  });

  it('upserts keeping the later until and taking the new reason and failure count', () => {
    const store = openStore();
    store.putCooldown(entry({ profileId: 'p1', until: 5_000, reason: 'rate_limit', failures: 1 }));
    store.putCooldown(entry({ profileId: 'p1', until: 3_000, reason: 'quota_exhausted', failures: 2 }));
    expect(store.activeCooldowns(['openai-codex'], 0)).toEqual([entry({ profileId: 'p1', until: 5_000, reason: 'quota_exhausted', failures: 2 })]);
    store.putCooldown(entry({ profileId: 'p1', until: 8_000, reason: 'billing', failures: 3 }));
    expect(store.activeCooldowns(['openai-codex'], 0)).toEqual([entry({ profileId: 'p1', until: 8_000, reason: 'billing', failures: 3 })]);
  });

  it('an entry until Infinity stays active (a profile disabled for good)', () => {
    const store = openStore();
    store.putCooldown(entry({ until: Number.POSITIVE_INFINITY }));
    expect(store.activeCooldowns(['openai-codex'], 1e15)).toEqual([entry({ until: Number.POSITIVE_INFINITY })]);
  });

  it.each([
    [{ until: Number.NaN }, 'cooldown.until'],
    [{ failures: 1.5 }, 'cooldown.failures'],
    [{ provider: '' }, 'cooldown.provider'],
  ])('a malformed entry %j is refused naming the field', (bad, field) => {
    const store = openStore();
    expect(() => store.putCooldown(entry(bad))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field }));
    expect(store.activeCooldowns(['openai-codex', ''], 0)).toEqual([]);
  });

  it('clears exactly the given keys', () => {
    const store = openStore();
    store.putCooldown(entry());
    store.putCooldown(entry({ profileId: 'p1' }));
    store.putCooldown(entry({ profileId: 'p1', model: 'm' }));
    store.clearCooldowns([{ provider: 'openai-codex', profileId: 'p1' }, { provider: 'nobody' }]);
    expect(store.activeCooldowns(['openai-codex'], 0).map((e) => [e.profileId, e.model])).toEqual([
      [undefined, undefined],
      ['p1', 'm'],
    ]);
  });

  it('are shared by every store on the same file', () => {
    const path = tempDbPath();
    const a = openStore({ path });
    const b = openStore({ path });
    a.putCooldown(entry({ until: 9_000 }));
    expect(b.activeCooldowns(['openai-codex'], 1_000)).toEqual([entry({ until: 9_000 })]);
    b.clearCooldowns([{ provider: 'openai-codex' }]);
    expect(a.activeCooldowns(['openai-codex'], 1_000)).toEqual([]);
  });

  it('expired rows are deleted by openRun at most once per cleanup interval', async () => {
    const path = tempDbPath();
    const store = openStore({ path, cooldownCleanupIntervalMs: 1_000 });
    const raw = new Database(path, { readonly: true });
    const rows = () => raw.prepare('SELECT count(*) AS n FROM cooldowns').get() as { n: number };
    try {
      store.putCooldown(entry({ provider: 'a', until: 100 }));
      store.putCooldown(entry({ provider: 'b', until: 10_000 }));
      await store.openRun(openArgs('r1', 's1', { now: 500 }));
      expect(rows().n).toBe(1); // 'a' ended at 100
      store.putCooldown(entry({ provider: 'c', until: 600 }));
      await store.openRun(openArgs('r2', 's2', { now: 1_000 }));
      expect(rows().n).toBe(2); // within the interval: 'c' stays although expired
      await store.openRun(openArgs('r3', 's3', { now: 1_500 }));
      expect(rows().n).toBe(1);
      expect(store.deleteExpiredCooldowns(20_000)).toBe(1);
      expect(rows().n).toBe(0);
    } finally {
      raw.close();
    }
  });

  it('cleanup goes through the expiry index, not a scan', () => {
    const path = tempDbPath();
    openStore({ path }).close();
    const raw = new Database(path, { readonly: true });
    try {
      const plan = raw.prepare('EXPLAIN QUERY PLAN DELETE FROM cooldowns WHERE until <= ?').all(1) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX cooldowns_until/);
    } finally {
      raw.close();
    }
  });
});
