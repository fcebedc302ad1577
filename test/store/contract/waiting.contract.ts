import { describe, expect, it } from 'vitest';
import { SessionBusyError } from '../../../src/errors.js';
import type { SessionStore } from '../../../src/store/types.js';
import { commitArgs, failArgs, flush, openArgs } from './fixtures.js';
import { useStores, type StoreFactory } from './store-factory.js';

/** Starts openRun for each (store, id) in order and records the order in which they get the lease. */
function queueRuns(entries: [SessionStore, string][], sessionId: string, lockWaitMs = 5_000) {
  const order: string[] = [];
  const opened = entries.map(([store, id]) =>
    store.openRun(openArgs(id, sessionId, { lockWaitMs })).then((o) => {
      order.push(id);
      return { store, opened: o };
    }),
  );
  return { order, opened };
}

const until = async (cond: () => boolean, ms = 5_000): Promise<void> => {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};

/** Waiting for a busy session: first come first served, bounded, abortable, and never across sessions. */
export function waitingContract(factory: StoreFactory): void {
  describe(`${factory.name}: a busy session`, () => {
    const stores = useStores(factory);

    it('serves waiters in arrival order as each run commits', async () => {
      const store = await stores.open();
      const first = await store.openRun(openArgs('r0', 's1'));
      const ids = ['r1', 'r2', 'r3', 'r4'];
      const { order, opened } = queueRuns(
        ids.map((id) => [store, id]),
        's1',
      );
      await flush();
      expect(order).toEqual([]);
      await store.commitRun(first.lease, commitArgs('r0'));
      for (const [i, p] of opened.entries()) {
        const { opened: o } = await p;
        expect(order).toEqual(ids.slice(0, i + 1));
        await store.commitRun(o.lease, commitArgs(o.lease.runId));
      }
      expect((await store.listTurns('s1')).map((t) => t.runId)).toEqual(['r0', 'r0', 'r1', 'r1', 'r2', 'r2', 'r3', 'r3', 'r4', 'r4']);
    });

    it('serves waiters of two connections in arrival order too (first come, first served across processes)', async () => {
      const a = await stores.open();
      const b = await stores.connect(a);
      const first = await a.openRun(openArgs('r0', 's1'));
      // arrivals alternate between the connections, each given time to queue
      const entries: [SessionStore, string][] = [
        [b, 'b1'],
        [a, 'a1'],
        [b, 'b2'],
        [a, 'a2'],
        [b, 'b3'],
      ];
      const order: string[] = [];
      const opened: Promise<{ store: SessionStore; lease: Awaited<ReturnType<SessionStore['openRun']>>['lease'] }>[] = [];
      for (const [store, id] of entries) {
        opened.push(store.openRun(openArgs(id, 's1', { lockWaitMs: 10_000 })).then((o) => (order.push(id), { store, lease: o.lease })));
        await new Promise((r) => setTimeout(r, 15));
      }
      await a.commitRun(first.lease, commitArgs('r0'));
      for (const [i, p] of opened.entries()) {
        const { store, lease } = await p;
        expect(order).toEqual(entries.slice(0, i + 1).map(([, id]) => id));
        await store.commitRun(lease, commitArgs(lease.runId));
      }
      expect((await a.listTurns('s1')).filter((t) => t.role === 'user').map((t) => t.runId)).toEqual(['r0', 'b1', 'a1', 'b2', 'a2', 'b3']);
    });

    it('a newcomer does not jump the queue when the session is released', async () => {
      const a = await stores.open();
      const b = await stores.connect(a);
      const first = await a.openRun(openArgs('r0', 's1'));
      const waiting = b.openRun(openArgs('w1', 's1', { lockWaitMs: 5_000 }));
      await new Promise((r) => setTimeout(r, 20));
      await a.commitRun(first.lease, commitArgs('r0'));
      // the session is free, but a waiter of the other connection came first
      await expect(a.openRun(openArgs('late', 's1', { lockWaitMs: 0 }))).rejects.toBeInstanceOf(SessionBusyError);
      await expect(waiting).resolves.toMatchObject({ lease: { runId: 'w1' } });
    });

    it('a waiter sees the history the previous holder committed', async () => {
      const store = await stores.open();
      const first = await store.openRun(openArgs('r0', 's1'));
      const waiting = store.openRun(openArgs('r1', 's1'));
      await store.commitRun(first.lease, commitArgs('r0'));
      const { history, lease } = await waiting;
      expect(history.map((t) => t.runId)).toEqual(['r0', 'r0']);
      expect(lease.token).toBe(first.lease.token + 1);
    });

    it('a failed run also hands the session to the next waiter', async () => {
      const store = await stores.open();
      const first = await store.openRun(openArgs('r0', 's1'));
      const waiting = store.openRun(openArgs('r1', 's1'));
      await store.failRun(first.lease, failArgs('r0', 's1', { errorCode: 'X', errorMessage: 'x', now: 1 }));
      await expect(waiting).resolves.toMatchObject({ lease: { runId: 'r1' } });
    });

    it('fails with SessionBusyError after lockWaitMs, and later waiters keep their place', async () => {
      const store = await stores.open();
      const first = await store.openRun(openArgs('r0', 's1'));
      const impatient = store.openRun(openArgs('r1', 's1', { lockWaitMs: 20 }));
      const patient = store.openRun(openArgs('r2', 's1', { lockWaitMs: 5_000 }));
      const err = await impatient.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionBusyError);
      expect(err).toMatchObject({ code: 'SESSION_BUSY', sessionId: 's1' });
      await store.commitRun(first.lease, commitArgs('r0'));
      await expect(patient).resolves.toMatchObject({ lease: { runId: 'r2' } });
      // the run that gave up left no trace
      expect(await store.getRun('r1')).toBeUndefined();
    });

    it('a waiter that gave up does not hold up the one behind it', async () => {
      const a = await stores.open();
      const b = await stores.connect(a);
      const first = await a.openRun(openArgs('r0', 's1'));
      const ctl = new AbortController();
      const quitter = a.openRun(openArgs('quitter', 's1', { lockWaitMs: 10_000, signal: ctl.signal }));
      await new Promise((r) => setTimeout(r, 15));
      const behind = b.openRun(openArgs('behind', 's1', { lockWaitMs: 10_000 }));
      await new Promise((r) => setTimeout(r, 15));
      ctl.abort(new Error('gave up'));
      await expect(quitter).rejects.toThrow('gave up');
      await a.commitRun(first.lease, commitArgs('r0'));
      const started = performance.now();
      await expect(behind).resolves.toMatchObject({ lease: { runId: 'behind' } });
      // served at its next look, not after the quitter's place lapsed (loose: shared machines are noisy)
      expect(performance.now() - started).toBeLessThan(1_500);
    });

    it('an infinite lockWaitMs waits for the release instead of failing', async () => {
      const store = await stores.open();
      const first = await store.openRun(openArgs('r0', 's1'));
      const waiting = store.openRun(openArgs('r1', 's1', { lockWaitMs: Number.POSITIVE_INFINITY }));
      await new Promise((r) => setTimeout(r, 10));
      await store.commitRun(first.lease, commitArgs('r0'));
      await expect(waiting).resolves.toMatchObject({ lease: { runId: 'r1' } });
    });

    it('lockWaitMs 0 fails at once when busy', async () => {
      const store = await stores.open();
      await store.openRun(openArgs('r0', 's1'));
      await expect(store.openRun(openArgs('r1', 's1', { lockWaitMs: 0 }))).rejects.toBeInstanceOf(SessionBusyError);
    });

    it('an abort while waiting rejects with the signal reason and leaves the queue working', async () => {
      const store = await stores.open();
      const first = await store.openRun(openArgs('r0', 's1'));
      const ctl = new AbortController();
      const aborted = store.openRun(openArgs('r1', 's1', { signal: ctl.signal }));
      const next = store.openRun(openArgs('r2', 's1'));
      const reason = new Error('user pressed stop');
      ctl.abort(reason);
      await expect(aborted).rejects.toBe(reason);
      await store.commitRun(first.lease, commitArgs('r0'));
      await expect(next).resolves.toMatchObject({ lease: { runId: 'r2' } });
      expect(await store.getRun('r1')).toBeUndefined();
    });

    it('closing the store rejects its waiters with STORE_CLOSED', async () => {
      const store = await stores.open();
      await store.openRun(openArgs('r0', 's1'));
      const waiting = store.openRun(openArgs('r1', 's1'));
      await store.close();
      await expect(waiting).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });

    it('takes the lease over once the holder expires on the store clock', async () => {
      let clock = 1_000;
      const store = await stores.open({ now: () => clock });
      await store.openRun(openArgs('hung', 's1', { now: 1_000, leaseTtlMs: 500 }));
      const waiting = store.openRun(openArgs('r1', 's1', { now: 1_000 }));
      let got = false;
      void waiting.then(() => (got = true));
      await new Promise((r) => setTimeout(r, 20));
      expect(got).toBe(false); // the store clock has not moved: the holder is still within its lease
      clock = 1_500;
      const { lease } = await waiting;
      expect(lease).toMatchObject({ runId: 'r1', expiresAt: 1_500 + 10_000 });
      expect((await store.getRun('hung'))?.status).toBe('abandoned');
    });
  });

  describe(`${factory.name}: different sessions`, () => {
    const stores = useStores(factory);

    it('never wait on each other', async () => {
      const store = await stores.open();
      await store.openRun(openArgs('a', 'A'));
      await store.openRun(openArgs('x', 'X'));
      // lockWaitMs 0: any wait at all would be a SessionBusyError
      const others = await Promise.all(['B', 'C', 'D'].map((s) => store.openRun(openArgs(`r-${s}`, s, { lockWaitMs: 0 }))));
      expect(others.map((o) => o.lease.sessionId)).toEqual(['B', 'C', 'D']);
    });

    it('a queue on one session does not hold up another', async () => {
      const store = await stores.open();
      await store.openRun(openArgs('a0', 'A'));
      let outcome: unknown;
      void store.openRun(openArgs('a1', 'A')).then(
        () => (outcome = 'opened'),
        (e: unknown) => (outcome = e),
      );
      const free = await store.openRun(openArgs('b0', 'B', { lockWaitMs: 0 }));
      expect(free.lease.sessionId).toBe('B');
      expect(outcome).toBeUndefined();
      await store.close();
      await until(() => outcome !== undefined);
      expect(outcome).toMatchObject({ code: 'STORE_CLOSED' });
    });
  });
}
