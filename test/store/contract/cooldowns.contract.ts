import { describe, expect, it } from 'vitest';
import type { CooldownEntry } from '../../../src/types.js';
import { openArgs } from './fixtures.js';
import { useStores, type StoreFactory } from './store-factory.js';

const entry = (over: Partial<CooldownEntry> = {}): CooldownEntry => ({ provider: 'openai-codex', until: 2_000, reason: 'quota_exhausted', failures: 1, ...over });

/** Cooldowns shared by every run: keys, upserts, reads, clears. */
export function cooldownsContract(factory: StoreFactory): void {
  describe(`${factory.name}: cooldowns`, () => {
    const stores = useStores(factory);

    it('keeps the four key shapes apart and returns absent parts as absent', async () => {
      const store = await stores.open();
      const keys = [{}, { profileId: 'p1' }, { profileId: 'p1', model: 'gpt-5.5' }, { model: 'gpt-5.5' }];
      for (const [i, k] of keys.entries()) await store.putCooldown(entry({ ...k, until: 2_000 + i }));
      const active = await store.activeCooldowns(['openai-codex'], 1_000);
      expect(active).toHaveLength(4);
      expect(active).toContainEqual(entry({ until: 2_000 }));
      expect(active).toContainEqual(entry({ profileId: 'p1', until: 2_001 }));
      expect(active).toContainEqual(entry({ profileId: 'p1', model: 'gpt-5.5', until: 2_002 }));
      expect(active).toContainEqual(entry({ model: 'gpt-5.5', until: 2_003 }));
      expect(active.find((e) => e.until === 2_000)).not.toHaveProperty('profileId');
    });

    it('returns the entries of the given providers: in force, and ended within a day', async () => {
      const DAY = 24 * 3_600_000;
      const store = await stores.open();
      await store.putCooldown(entry({ provider: 'a', until: DAY + 1_500 }));
      await store.putCooldown(entry({ provider: 'a', profileId: 'x', until: DAY + 1_000 }));
      await store.putCooldown(entry({ provider: 'a', profileId: 'y', until: 1_000 }));
      await store.putCooldown(entry({ provider: 'b', until: DAY + 5_000 }));
      await store.putCooldown(entry({ provider: 'c', until: DAY + 5_000 }));
      expect((await store.activeCooldowns(['a', 'b', 'a'], DAY + 1_000)).map((e) => [e.provider, e.profileId ?? '', e.until > DAY + 1_000])).toEqual([
        ['a', '', true],
        ['a', 'x', false],
        ['b', '', true],
      ]);
      expect(await store.activeCooldowns([], 1_000)).toEqual([]);
    });

    it('one run at a time claims the probe of an ended cooldown; a put or a clear ends the claim', async () => {
      const store = await stores.open();
      const key = { provider: 'a', model: 'm' };
      await store.putCooldown({ ...key, until: 1_000, reason: 'overloaded', failures: 3 });
      expect(await store.claimProbe!([key], 'r1', 500, 10_000)).toBe(false); // still in force
      expect(await store.claimProbe!([key], 'r1', 1_000, 10_000)).toBe(true);
      expect(await store.claimProbe!([key], 'r2', 1_001, 10_000)).toBe(false);
      expect(await store.claimProbe!([key], 'r1', 1_002, 10_000)).toBe(true); // its own claim again
      expect(await store.activeCooldowns(['a'], 1_002)).toEqual([{ ...key, until: 1_000, reason: 'overloaded', failures: 3, probeRunId: 'r1', probeUntil: 11_002 }]);
      // its holder lets go (a claim held to zero): another run may probe at once
      expect(await store.claimProbe!([key], 'r1', 1_003, 0)).toBe(true);
      expect(await store.activeCooldowns(['a'], 1_003)).toEqual([{ ...key, until: 1_000, reason: 'overloaded', failures: 3 }]);
      expect(await store.claimProbe!([key], 'r1', 1_004, 10_000)).toBe(true);
      // the claim lapses: another run may probe
      expect(await store.claimProbe!([key], 'r2', 11_004, 10_000)).toBe(true);
      // the probe failed: a new cooldown, no claim, the count kept growing
      await store.putCooldown({ ...key, until: 20_000, reason: 'overloaded', failures: 4 });
      expect(await store.activeCooldowns(['a'], 12_000)).toEqual([{ ...key, until: 20_000, reason: 'overloaded', failures: 4 }]);
      expect(await store.claimProbe!([key], 'r3', 20_000, 10_000)).toBe(true);
      // the probe served: the key is cleared, nothing left to claim
      await store.clearCooldowns([key]);
      expect(await store.activeCooldowns(['a'], 20_001)).toEqual([]);
      expect(await store.claimProbe!([key], 'r4', 20_001, 10_000)).toBe(true);
    });

    it('claims all the keys or none', async () => {
      const store = await stores.open();
      await store.putCooldown({ provider: 'a', until: 100, reason: 'server_error', failures: 1 });
      await store.putCooldown({ provider: 'a', model: 'm', until: 100, reason: 'server_error', failures: 1 });
      expect(await store.claimProbe!([{ provider: 'a', model: 'm' }], 'r1', 200, 1_000)).toBe(true);
      expect(await store.claimProbe!([{ provider: 'a' }, { provider: 'a', model: 'm' }], 'r2', 300, 1_000)).toBe(false);
      expect((await store.activeCooldowns(['a'], 300)).map((e) => e.probeRunId ?? 'none')).toEqual(['none', 'r1']);
    });

    it('upserts keeping the later until and taking the new reason and failure count', async () => {
      const store = await stores.open();
      await store.putCooldown(entry({ profileId: 'p1', until: 5_000, reason: 'rate_limit', failures: 1 }));
      await store.putCooldown(entry({ profileId: 'p1', until: 3_000, reason: 'quota_exhausted', failures: 2 }));
      expect(await store.activeCooldowns(['openai-codex'], 0)).toEqual([entry({ profileId: 'p1', until: 5_000, reason: 'quota_exhausted', failures: 2 })]);
      await store.putCooldown(entry({ profileId: 'p1', until: 8_000, reason: 'billing', failures: 3 }));
      expect(await store.activeCooldowns(['openai-codex'], 0)).toEqual([entry({ profileId: 'p1', until: 8_000, reason: 'billing', failures: 3 })]);
    });

    it('an entry until Infinity stays active (a profile disabled for good)', async () => {
      const store = await stores.open();
      await store.putCooldown(entry({ until: Number.POSITIVE_INFINITY }));
      expect(await store.activeCooldowns(['openai-codex'], 1e15)).toEqual([entry({ until: Number.POSITIVE_INFINITY })]);
    });

    it.each([
      [{ until: Number.NaN }, 'cooldown.until'],
      [{ failures: 1.5 }, 'cooldown.failures'],
      [{ provider: '' }, 'cooldown.provider'],
      [{ profileId: 'key \uD800' }, 'cooldown.profileId'],
    ])('a malformed entry %j is refused naming the field', async (bad, field) => {
      const store = await stores.open();
      await expect(store.putCooldown(entry(bad))).rejects.toMatchObject({ code: 'CONFIG_INVALID', field });
      expect(await store.activeCooldowns(['openai-codex', ''], 0)).toEqual([]);
    });

    it('openRun reads each cooldown as it is now, however often its row was read unchanged before', async () => {
      // the SQLite and PostgreSQL stores give runs the same entry while a row is unchanged (src/store/cooldown-entry-pool.ts)
      const store = await stores.open();
      const other = await stores.connect(store); // another host changes the rows
      const providers = ['a', 'b', 'c', 'd'];
      await store.putCooldown(entry({ provider: 'a', until: 5_000 }));
      await store.putCooldown(entry({ provider: 'b', profileId: 'b:k', model: 'm', until: 6_000, reason: 'rate_limit', failures: 2 }));
      await store.putCooldown(entry({ provider: 'c', model: 'm', until: 400 }));
      await store.putCooldown(entry({ provider: 'd', until: 5_000 }));
      const opened = async (runId: string, now: number) => (await store.openRun(openArgs(runId, `cd-${runId}`, { now, providers }))).cooldowns;
      for (const runId of ['r1', 'r2']) expect(await opened(runId, 1_000)).toEqual(await store.activeCooldowns(providers, 1_000));
      // each way a row can change: a later end, another reason, another count, a probe claimed
      await other.putCooldown(entry({ provider: 'a', until: 7_000 }));
      await other.putCooldown(entry({ provider: 'b', profileId: 'b:k', model: 'm', until: 6_000, reason: 'server_error', failures: 2 }));
      await other.putCooldown(entry({ provider: 'd', until: 5_000, failures: 3 }));
      const claimed = other.claimProbe ? await other.claimProbe([{ provider: 'c', model: 'm' }], 'prober', 1_000, 5_000) : false;
      const third = await opened('r3', 1_000);
      expect(third).toEqual(await store.activeCooldowns(providers, 1_000));
      expect(third.map((e) => [e.until, e.reason, e.failures])).toEqual([
        [7_000, 'quota_exhausted', 1],
        [6_000, 'server_error', 2],
        [400, 'quota_exhausted', 1],
        [5_000, 'quota_exhausted', 3],
      ]);
      if (claimed) expect(third[2]).toMatchObject({ probeRunId: 'prober', probeUntil: 6_000 });
      // the claim's end passes: no claim again
      const fourth = await opened('r4', 7_000);
      expect(fourth).toEqual(await store.activeCooldowns(providers, 7_000));
      expect(fourth.find((e) => e.provider === 'c')).not.toHaveProperty('probeRunId');
    });

    it('puts made at once land as if made one after another, in the order they were called', async () => {
      // the PostgreSQL store writes the puts that queued up in one statement (src/store/postgres/open-postgres-store.ts)
      const store = await stores.open();
      const keys = [{ provider: 'a' }, { provider: 'a', profileId: 'k' }, { provider: 'b', model: 'm' }];
      const reasons = ['quota_exhausted', 'rate_limit', 'server_error'] as const;
      const puts = Array.from({ length: 30 }, (_, i) => entry({ ...keys[i % 3]!, until: 10_000 + ((i * 7919) % 23) * 100, reason: reasons[(i * 5) % 3]!, failures: i }));
      await Promise.all(puts.map((p) => store.putCooldown(p)));
      const expected = new Map<string, CooldownEntry>();
      for (const p of puts) {
        const k = `${p.provider}/${p.profileId ?? ''}/${p.model ?? ''}`;
        const before = expected.get(k);
        expected.set(k, before && before.until > p.until ? { ...p, until: before.until } : p);
      }
      const read = await store.activeCooldowns(['a', 'b'], 1_000);
      expect(read).toHaveLength(3);
      for (const e of read) expect(e).toEqual(expected.get(`${e.provider}/${e.profileId ?? ''}/${e.model ?? ''}`));
      // a clear called after puts lands after them, and a put after it after the clear
      await Promise.all([
        store.putCooldown(entry({ provider: 'c', until: 9_000 })),
        store.putCooldown(entry({ provider: 'd', until: 9_000 })),
        store.clearCooldowns([{ provider: 'c' }, { provider: 'd' }]),
        store.putCooldown(entry({ provider: 'd', until: 9_500 })),
      ]);
      expect((await store.activeCooldowns(['c', 'd'], 1_000)).map((e) => [e.provider, e.until])).toEqual([['d', 9_500]]);
    });

    it('clears exactly the given keys', async () => {
      const store = await stores.open();
      await store.putCooldown(entry());
      await store.putCooldown(entry({ profileId: 'p1' }));
      await store.putCooldown(entry({ profileId: 'p1', model: 'm' }));
      await store.clearCooldowns([{ provider: 'openai-codex', profileId: 'p1' }, { provider: 'nobody' }]);
      expect((await store.activeCooldowns(['openai-codex'], 0)).map((e) => [e.profileId, e.model])).toEqual([
        [undefined, undefined],
        ['p1', 'm'],
      ]);
    });
  });
}
