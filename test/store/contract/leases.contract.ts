import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../../src/errors.js';
import type { SessionStore } from '../../../src/store/types.js';
import { commitArgs, completeRun, decision, failArgs, openArgs, served } from './fixtures.js';
import { useStores, type StoreFactory } from './store-factory.js';

/** Leases and fencing: renewal, takeover, and what a run that lost its lease can still write. */
export function leasesContract(factory: StoreFactory): void {
  describe(`${factory.name}: lease renewal`, () => {
    const stores = useStores(factory);

    it('extends the expiry and keeps the token', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
      const renewed = await store.renewLease(lease, 1_400, 500);
      expect(renewed).toEqual({ ...lease, expiresAt: 1_900 });
      // the renewed expiry is what a second run sees: busy at 1_600 (the original lease would have expired at 1_500)
      await expect(store.openRun(openArgs('r2', 's1', { now: 1_600, lockWaitMs: 0 }))).rejects.toMatchObject({ code: 'SESSION_BUSY' });
    });

    it('rejects with LeaseLostError once another run has taken the session over', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
      await store.openRun(openArgs('r2', 's1', { now: 1_501 }));
      await expect(store.renewLease(lease, 1_502, 500)).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('still renews a lease that expired but that nobody took over (the token is what fences)', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
      expect((await store.renewLease(lease, 9_000, 500)).expiresAt).toBe(9_500);
    });
  });

  describe(`${factory.name}: takeover of an expired lease`, () => {
    const stores = useStores(factory);

    it('bumps the fencing token on every grant, and marks a dead holder abandoned', async () => {
      const store = await stores.open();
      const first = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
      const second = await store.openRun(openArgs('r2', 's1', { now: 1_500 }));
      expect(second.lease.token).toBe(first.lease.token + 1);
      expect(await store.getRun('r1')).toMatchObject({ status: 'abandoned', finishedAt: 1_500 });
      expect((await store.getRun('r2'))?.status).toBe('running');
    });

    it('does not take a lease before it expires', async () => {
      const store = await stores.open();
      await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
      await expect(store.openRun(openArgs('r2', 's1', { now: 1_499, lockWaitMs: 0 }))).rejects.toMatchObject({ code: 'SESSION_BUSY' });
      expect((await store.getRun('r1'))?.status).toBe('running');
    });

    it('tokens keep growing across releases', async () => {
      const store = await stores.open();
      const tokens: number[] = [];
      for (let i = 0; i < 4; i++) tokens.push((await completeRun(store, `r${i}`, 's1')).token);
      expect(tokens).toEqual([1, 2, 3, 4]);
    });
  });

  describe(`${factory.name}: a run whose lease was stolen`, () => {
    const stores = useStores(factory);

    async function stolen(store: SessionStore) {
      await completeRun(store, 'r0', 's1', 100);
      const { lease } = await store.openRun(openArgs('slow', 's1', { now: 1_000, leaseTtlMs: 500 }));
      // the slow run hangs past its expiry; the next run takes the session over and commits
      const thief = await store.openRun(openArgs('thief', 's1', { now: 1_600 }));
      await store.commitRun(thief.lease, commitArgs('thief', { now: 1_700 }));
      return lease;
    }

    it('gets LeaseLostError on commit, and its reply and decisions are kept as an orphan', async () => {
      const store = await stores.open();
      const lease = await stolen(store);
      const decisions = [decision('select'), decision('persist')];
      const args = commitArgs('slow', { now: 1_800, messages: [{ role: 'user', content: 'late question' }], reply: { role: 'assistant', content: 'late answer' }, decisions });
      await expect(store.commitRun(lease, args)).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.listOrphans()).toEqual([
        { runId: 'slow', sessionId: 's1', messages: [{ role: 'user', content: 'late question' }], reply: { role: 'assistant', content: 'late answer' }, servedBy: served, finishedAt: 1_800 },
      ]);
      const run = await store.getRun('slow');
      expect(run).toMatchObject({ status: 'orphaned', servedBy: served, decisions });
      expect(run?.attempts).toHaveLength(1);
      // nothing of the slow run reached the session, and the thief's turns are intact
      expect((await store.listTurns('s1')).map((t) => t.runId)).toEqual(['r0', 'r0', 'thief', 'thief']);
    });

    it('a repeated commit of the orphan rejects again and keeps one orphan', async () => {
      const store = await stores.open();
      const lease = await stolen(store);
      await expect(store.commitRun(lease, commitArgs('slow'))).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.commitRun(lease, commitArgs('slow'))).rejects.toBeInstanceOf(LeaseLostError);
      expect((await store.listOrphans()).map((o) => o.runId)).toEqual(['slow']);
    });

    it('failRun records the failure on its own row, without touching the session', async () => {
      const store = await stores.open();
      const lease = await stolen(store);
      const next = await store.openRun(openArgs('next', 's1', { now: 1_900 }));
      await store.failRun(lease, failArgs('slow', 's1', { errorCode: 'LEASE_LOST', errorMessage: 'lost', now: 1_950 }));
      expect(await store.getRun('slow')).toMatchObject({ status: 'failed', errorCode: 'LEASE_LOST' });
      // the current holder still holds: its renewal works and its commit lands
      await expect(store.renewLease(next.lease, 1_960, 500)).resolves.toMatchObject({ expiresAt: 2_460 });
      await store.commitRun(next.lease, commitArgs('next', { now: 2_000 }));
      expect((await store.listTurns('s1')).map((t) => t.runId)).toEqual(['r0', 'r0', 'thief', 'thief', 'next', 'next']);
    });

    it('failRun after the orphaned commit keeps the orphan listed and notes the error', async () => {
      const store = await stores.open();
      const lease = await stolen(store);
      await expect(store.commitRun(lease, commitArgs('slow'))).rejects.toBeInstanceOf(LeaseLostError);
      await store.failRun(lease, failArgs('slow', 's1', { errorCode: 'LEASE_LOST', errorMessage: 'lost', now: 1_950 }));
      expect(await store.getRun('slow')).toMatchObject({ status: 'orphaned', errorCode: 'LEASE_LOST' });
      expect(await store.listOrphans()).toHaveLength(1);
    });
  });

  describe(`${factory.name}: two connections (as two processes)`, () => {
    const stores = useStores(factory);

    it('a waiter in one gets the session after the other commits, with its history', async () => {
      const a = await stores.open();
      const b = await stores.connect(a);
      const held = await a.openRun(openArgs('r0', 's1'));
      const waiting = b.openRun(openArgs('r1', 's1', { lockWaitMs: 5_000 }));
      await new Promise((r) => setTimeout(r, 10));
      await a.commitRun(held.lease, commitArgs('r0'));
      const { history, lease } = await waiting;
      expect(history.map((t) => t.runId)).toEqual(['r0', 'r0']);
      await b.commitRun(lease, commitArgs('r1'));
      expect((await a.listTurns('s1')).map((t) => t.runId)).toEqual(['r0', 'r0', 'r1', 'r1']);
    });

    it('a commit in one fences a run of the other that lost its lease', async () => {
      const a = await stores.open();
      const b = await stores.connect(a);
      const slow = await a.openRun(openArgs('slow', 's1', { now: 1_000, leaseTtlMs: 100 }));
      const thief = await b.openRun(openArgs('thief', 's1', { now: 1_200 }));
      await b.commitRun(thief.lease, commitArgs('thief'));
      await expect(a.commitRun(slow.lease, commitArgs('slow'))).rejects.toMatchObject({ code: 'LEASE_LOST' });
      expect((await b.listOrphans()).map((o) => o.runId)).toEqual(['slow']);
    });

    it('cooldowns written by one are read by the other', async () => {
      const a = await stores.open();
      const b = await stores.connect(a);
      await a.putCooldown({ provider: 'openai-codex', until: 9_000, reason: 'quota_exhausted', failures: 1 });
      expect(await b.activeCooldowns(['openai-codex'], 1_000)).toEqual([{ provider: 'openai-codex', until: 9_000, reason: 'quota_exhausted', failures: 1 }]);
      await b.clearCooldowns([{ provider: 'openai-codex' }]);
      expect(await a.activeCooldowns(['openai-codex'], 1_000)).toEqual([]);
    });
  });
}
