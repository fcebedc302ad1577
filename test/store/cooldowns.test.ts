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
