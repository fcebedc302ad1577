import { describe, expect, it } from 'vitest';
import type { CooldownEntry } from '../../../src/types.js';
import { attempt, commitArgs, completeRun, decision, failArgs, openArgs, served } from './fixtures.js';
import { useStores, type StoreFactory } from './store-factory.js';

const cooldown = (over: Partial<CooldownEntry>): CooldownEntry => ({ provider: 'openai', until: 10_000, reason: 'rate_limit', failures: 1, ...over });

/** What the operations tools read and maintain: listings, timelines, cooldown clearing, pruning. */
export function operationsContract(factory: StoreFactory): void {
  describe(`${factory.name}: listing sessions and runs`, () => {
    const stores = useStores(factory);

    it('lists sessions most recently active first, with turn counts and the lease holder', async () => {
      const store = await stores.open();
      await completeRun(store, 'a1', 'A', 1_000);
      await completeRun(store, 'b1', 'B', 2_000);
      await completeRun(store, 'a2', 'A', 3_000);
      await store.openRun(openArgs('c1', 'C', { now: 4_000, leaseTtlMs: 5_000 }));
      expect(await store.listSessions()).toEqual([
        { sessionId: 'C', turns: 0, leaseOwner: 'c1', leaseExpiresAt: 9_000, lastActivityAt: 4_000 },
        { sessionId: 'A', turns: 4, lastActivityAt: 3_001 },
        { sessionId: 'B', turns: 2, lastActivityAt: 2_001 },
      ]);
      expect((await store.listSessions({ limit: 1 })).map((s) => s.sessionId)).toEqual(['C']);
      await expect(store.listSessions({ limit: 0 })).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'limit' });
    });

    it('shows one session with its turns and its runs, newest first', async () => {
      const store = await stores.open();
      await completeRun(store, 'a1', 'A', 1_000);
      const { lease } = await store.openRun(openArgs('a2', 'A', { now: 2_000 }));
      await store.failRun(lease, failArgs('a2', 'A', { now: 2_500 }));
      const detail = await store.getSession('A');
      expect(detail?.session).toEqual({ sessionId: 'A', turns: 2, lastActivityAt: 2_500 });
      expect(detail?.turns.map((t) => [t.seq, t.runId])).toEqual([
        [1, 'a1'],
        [2, 'a1'],
      ]);
      expect(detail?.runs.map((r) => [r.runId, r.status])).toEqual([
        ['a2', 'failed'],
        ['a1', 'succeeded'],
      ]);
      expect(await store.getSession('nobody')).toBeUndefined();
    });

    it('lists runs newest first, by session, only the failed ones, up to a limit', async () => {
      const store = await stores.open();
      await completeRun(store, 'r1', 'A', 1_000);
      const r2 = await store.openRun(openArgs('r2', 'B', { now: 2_000 }));
      await store.failRun(r2.lease, failArgs('r2', 'B', { now: 2_100 }));
      await completeRun(store, 'r3', 'A', 3_000);
      const r4 = await store.openRun(openArgs('r4', 'A', { now: 4_000 }));
      await store.failRun(r4.lease, failArgs('r4', 'A', { status: 'aborted', errorCode: 'RUN_ABORTED', now: 4_100 }));
      await store.openRun(openArgs('r5', 'C', { now: 5_000 }));
      const ids = async (q?: Parameters<typeof store.listRuns>[0]) => (await store.listRuns(q)).map((r) => r.runId);
      expect(await ids()).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
      expect(await ids({ sessionId: 'A' })).toEqual(['r4', 'r3', 'r1']);
      expect(await ids({ failed: true })).toEqual(['r4', 'r2']);
      expect(await ids({ sessionId: 'A', failed: true })).toEqual(['r4']);
      expect(await ids({ limit: 2 })).toEqual(['r5', 'r4']);
      expect((await store.listRuns({ limit: 1 }))[0]).toEqual({ runId: 'r5', sessionId: 'C', status: 'running', startedAt: 5_000 });
      expect((await store.listRuns({ sessionId: 'B' }))[0]).toMatchObject({ runId: 'r2', status: 'failed', errorCode: 'FALLBACK_EXHAUSTED', finishedAt: 2_100 });
    });

    it('a run reads back with its attempts and decisions, the timeline of what it did', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 'A'));
      const decisions = [
        decision('select', { provider: 'openai', model: 'm', profileId: 'k1' }),
        decision('rotate', { at: 1_100, reason: 'rate_limit', detail: 'rotating from k1 to k2', provider: 'openai', model: 'm', profileId: 'k2' }),
        decision('persist', { at: 1_200 }),
      ];
      const attempts = [attempt(1, { outcome: 'failed', reason: 'rate_limit', scope: 'profile', status: 429 }), attempt(2)];
      await store.commitRun(lease, commitArgs('r1', { attempts, decisions }));
      const run = await store.getRun('r1');
      expect(run?.decisions).toEqual(decisions);
      expect(run?.attempts).toEqual(attempts);
      expect(run?.servedBy).toEqual(served);
    });
  });

  describe(`${factory.name}: cooldown maintenance`, () => {
    const stores = useStores(factory);

    it('lists every cooldown in force, of every provider', async () => {
      const store = await stores.open();
      await store.putCooldown(cooldown({ provider: 'b', until: 5_000 }));
      await store.putCooldown(cooldown({ provider: 'a', profileId: 'k1', until: 6_000 }));
      await store.putCooldown(cooldown({ provider: 'a', until: 900 }));
      expect(await store.listCooldowns(1_000)).toEqual([cooldown({ provider: 'a', profileId: 'k1', until: 6_000 }), cooldown({ provider: 'b', until: 5_000 })]);
    });

    it('clears the cooldowns matching, an omitted field matching anything, and says how many', async () => {
      const store = await stores.open();
      await store.putCooldown(cooldown({ provider: 'openai' }));
      await store.putCooldown(cooldown({ provider: 'openai', profileId: 'k1' }));
      await store.putCooldown(cooldown({ provider: 'openai', profileId: 'k1', model: 'm1' }));
      await store.putCooldown(cooldown({ provider: 'openai', model: 'm1' }));
      await store.putCooldown(cooldown({ provider: 'anthropic', profileId: 'k1' }));
      expect(await store.clearCooldownsMatching({ profileId: 'k1', model: 'm1' })).toBe(1);
      expect(await store.clearCooldownsMatching({ profileId: 'k1' })).toBe(2);
      expect(await store.clearCooldownsMatching({ provider: 'nobody' })).toBe(0);
      expect((await store.listCooldowns(0)).map((c) => [c.provider, c.profileId, c.model])).toEqual([
        ['openai', undefined, undefined],
        ['openai', undefined, 'm1'],
      ]);
      expect(await store.clearCooldownsMatching({ provider: 'openai' })).toBe(2);
      expect(await store.listCooldowns(0)).toEqual([]);
    });
  });

  describe(`${factory.name}: prune`, () => {
    const stores = useStores(factory);

    it('deletes finished runs, their attempts and orphans older than `before`; never a running run, never turns', async () => {
      const store = await stores.open();
      await completeRun(store, 'old-ok', 'A', 1_000); // finished 1_001, one attempt
      const failed = await store.openRun(openArgs('old-failed', 'B', { now: 1_100 }));
      await store.failRun(failed.lease, failArgs('old-failed', 'B', { attempts: [attempt(1, { outcome: 'failed' }), attempt(2, { outcome: 'failed' })], now: 1_200 }));
      const orphan = await store.openRun(openArgs('old-orphan', 'C', { now: 1_300 }));
      const uncommitted = { messages: [{ role: 'user' as const, content: 'q' }], reply: { role: 'assistant' as const, content: 'a' }, servedBy: served };
      await store.failRun(orphan.lease, failArgs('old-orphan', 'C', { uncommitted, now: 1_400 }));
      await store.openRun(openArgs('old-running', 'D', { now: 1_500 }));
      await completeRun(store, 'new-ok', 'A', 5_000);

      expect(await store.prune({ before: 3_000 })).toEqual({ runs: 2, attempts: 3, orphans: 1 });
      expect((await store.listRuns()).map((r) => r.runId).sort()).toEqual(['new-ok', 'old-running']);
      expect(await store.getRun('old-ok')).toBeUndefined();
      expect(await store.listOrphans()).toEqual([]);
      // the session keeps every turn, including those of pruned runs
      expect((await store.listTurns('A')).map((t) => t.runId)).toEqual(['old-ok', 'old-ok', 'new-ok', 'new-ok']);
      expect(await store.prune({ before: 3_000 })).toEqual({ runs: 0, attempts: 0, orphans: 0 });
    });

    it('prunes more runs than one batch', async () => {
      const store = await stores.open();
      for (let i = 0; i < 1_234; i++) {
        const { lease } = await store.openRun(openArgs(`r${i}`, `s${i % 7}`, { now: i }));
        await store.failRun(lease, failArgs(`r${i}`, `s${i % 7}`, { attempts: [attempt(1)], now: i + 0.5 }));
      }
      expect(await store.prune({ before: 2_000 })).toEqual({ runs: 1_234, attempts: 1_234, orphans: 0 });
      expect(await store.listRuns()).toEqual([]);
    });
  });
}
