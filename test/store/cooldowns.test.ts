import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CooldownEntry } from '../../src/types.js';
import { openArgs, openStore, tempDbPath } from './helpers.js';

// The SQLite side of cooldowns; what every store does with them is in contract/cooldowns.contract.ts.
const entry = (over: Partial<CooldownEntry> = {}): CooldownEntry => ({ provider: 'openai-codex', until: 2_000, reason: 'quota_exhausted', failures: 1, ...over });

describe('expired cooldown rows (SQLite)', () => {
  it('are forgotten by openRun a day after they ended, at most once per cleanup interval', async () => {
    const DAY = 24 * 3_600_000;
    const path = tempDbPath();
    const store = openStore({ path, cooldownCleanupIntervalMs: 1_000 });
    const raw = new Database(path, { readonly: true });
    const rows = () => raw.prepare('SELECT count(*) AS n FROM cooldowns').get() as { n: number };
    try {
      await store.putCooldown(entry({ provider: 'a', until: 100 }));
      await store.putCooldown(entry({ provider: 'b', until: DAY + 10_000 }));
      await store.openRun(openArgs('r0', 's0', { now: 500 }));
      expect(rows().n).toBe(2); // 'a' ended, but its failures still count
      await store.openRun(openArgs('r1', 's1', { now: DAY + 500 }));
      expect(rows().n).toBe(1); // 'a' ended a day ago
      await store.putCooldown(entry({ provider: 'c', until: 600 }));
      await store.openRun(openArgs('r2', 's2', { now: DAY + 1_000 }));
      expect(rows().n).toBe(2); // within the interval: 'c' stays although long ended
      await store.openRun(openArgs('r3', 's3', { now: DAY + 1_500 }));
      expect(rows().n).toBe(1);
      expect(await store.deleteExpiredCooldowns(DAY + 20_000)).toBe(1);
      expect(rows().n).toBe(0);
    } finally {
      raw.close();
    }
  });

  it('go through the expiry index, not a scan', async () => {
    const path = tempDbPath();
    await openStore({ path }).close();
    const raw = new Database(path, { readonly: true });
    try {
      const plan = raw.prepare('EXPLAIN QUERY PLAN DELETE FROM cooldowns WHERE until <= ?').all(1) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX cooldowns_until/);
    } finally {
      raw.close();
    }
  });
});

describe('reading the cooldowns of a chain (SQLite)', () => {
  it('reads every provider in one statement, in key order, whatever the chain length', async () => {
    const store = openStore();
    const providers = Array.from({ length: 40 }, (_, i) => `p${String(39 - i).padStart(2, '0')}`);
    for (const p of providers) await store.putCooldown(entry({ provider: p, until: 5_000 }));
    await store.putCooldown(entry({ provider: 'p39', profileId: 'k', until: 5_000 }));
    let all = 0;
    const probe = new Database(':memory:');
    const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { all: (...a: unknown[]) => unknown };
    probe.close();
    const original = proto.all;
    proto.all = function (this: unknown, ...a: unknown[]) {
      all++;
      return original.apply(this, a);
    };
    try {
      const read = await store.activeCooldowns([...providers, 'p39', 'nobody'], 1_000);
      expect(all).toBe(1);
      const sorted = [...providers].sort();
      expect(read.map((e) => `${e.provider}${e.profileId ? `:${e.profileId}` : ''}`)).toEqual([...sorted, 'p39:k']);
    } finally {
      proto.all = original;
      await store.close();
    }
  });
});

describe('the cooldowns a run opens with (SQLite)', () => {
  // Runs in flight hold their chain's cooldowns to their end: an unchanged row gives every run the
  // same (frozen) entry (src/store/cooldown-table.ts); a changed one a new entry, as read.
  it('are the entries activeCooldowns reads, the same objects while their rows do not change', async () => {
    const store = openStore();
    try {
      const providers = ['a', 'b', 'c', 'd', 'e'];
      await store.putCooldown(entry({ provider: 'a', until: 5_000 }));
      await store.putCooldown(entry({ provider: 'd', until: 5_000 }));
      // more keys of one provider: each row its own entry
      await store.putCooldown(entry({ provider: 'e', until: 5_000 }));
      await store.putCooldown(entry({ provider: 'e', model: 'm', until: 5_100 }));
      await store.putCooldown(entry({ provider: 'e', profileId: 'e:k', until: 5_200 }));
      await store.putCooldown(entry({ provider: 'e', profileId: 'e:k', model: 'm', until: 5_300 }));
      await store.putCooldown(entry({ provider: 'b', profileId: 'b:k', model: 'm', until: 6_000, reason: 'rate_limit', failures: 2 }));
      await store.putCooldown(entry({ provider: 'c', model: 'm', until: 400 }));
      const opened = async (runId: string, now: number) => (await store.openRun(openArgs(runId, `s-${runId}`, { now, providers }))).cooldowns;
      const first = await opened('r1', 1_000);
      expect(first).toEqual(await store.activeCooldowns(providers, 1_000));
      expect(first.every((e) => Object.isFrozen(e))).toBe(true);
      const second = await opened('r2', 1_000);
      expect(second).toEqual(first);
      second.forEach((e, i) => expect(e).toBe(first[i]));

      // each way a row can change: a later end, another reason, another count, a probe claimed
      await store.putCooldown(entry({ provider: 'a', until: 7_000 }));
      await store.putCooldown(entry({ provider: 'd', until: 5_000, failures: 3 }));
      await store.putCooldown(entry({ provider: 'b', profileId: 'b:k', model: 'm', until: 6_000, reason: 'server_error', failures: 2 }));
      expect(await store.claimProbe!([{ provider: 'c', model: 'm' }], 'prober', 1_000, 5_000)).toBe(true);
      const third = await opened('r3', 1_000);
      expect(third).toEqual(await store.activeCooldowns(providers, 1_000));
      expect(third.map((e) => e.failures)).toEqual([1, 2, 1, 3, 1, 1, 1, 1]);
      expect(third.slice(4).map((e) => e.until)).toEqual([5_000, 5_100, 5_200, 5_300]);
      expect(third[0]!.until).toBe(7_000);
      expect(third[1]!.reason).toBe('server_error');
      expect(third[2]).toMatchObject({ probeRunId: 'prober', probeUntil: 6_000 });
      third.slice(0, 4).forEach((e, i) => expect(e).not.toBe(first[i]));
      // the rows that did not change: still the same entries
      third.slice(4).forEach((e, i) => expect(e).toBe(first[4 + i]));
      // the claim's end passes: read as no claim again
      const fourth = await opened('r4', 7_000);
      expect(fourth).toEqual(await store.activeCooldowns(providers, 7_000));
      expect(fourth.find((e) => e.provider === 'c')).not.toHaveProperty('probeRunId');
    } finally {
      await store.close();
    }
  });
});
