import { describe, expect, it } from 'vitest';
import { SessionBusyError, StoreError } from '../../src/errors.js';
import type { SqliteSessionStore } from '../../src/store/index.js';
import { commitArgs, flush, openArgs, openStore, tempDbPath } from './helpers.js';

/** Starts openRun for each id in order and records the order in which they get the lease. */
function queueRuns(store: SqliteSessionStore, ids: string[], sessionId: string, lockWaitMs = 5_000) {
  const order: string[] = [];
  const opened = ids.map((id) =>
    store.openRun(openArgs(id, sessionId, { lockWaitMs })).then((o) => {
      order.push(id);
      return o;
    }),
  );
  return { order, opened };
}

describe('a busy session', () => {
  it('serves waiters in arrival order as each run commits', async () => {
    const store = openStore();
    const first = await store.openRun(openArgs('r0', 's1'));
    const { order, opened } = queueRuns(store, ['r1', 'r2', 'r3', 'r4'], 's1');
    await flush();
    expect(order).toEqual([]);
    store.commitRun(first.lease, commitArgs('r0'));
    for (const [i, p] of opened.entries()) {
      const { lease } = await p;
      expect(order).toEqual(['r1', 'r2', 'r3', 'r4'].slice(0, i + 1));
      store.commitRun(lease, commitArgs(lease.runId));
    }
    expect(store.listTurns('s1').map((t) => t.runId)).toEqual(['r0', 'r0', 'r1', 'r1', 'r2', 'r2', 'r3', 'r3', 'r4', 'r4']);
  });

  it('a waiter sees the history the previous holder committed', async () => {
    const store = openStore();
    const first = await store.openRun(openArgs('r0', 's1'));
    const waiting = store.openRun(openArgs('r1', 's1'));
    store.commitRun(first.lease, commitArgs('r0'));
    const { history, lease } = await waiting;
    expect(history.map((t) => t.runId)).toEqual(['r0', 'r0']);
    expect(lease.token).toBe(first.lease.token + 1);
  });

  it('a failed run also hands the session to the next waiter', async () => {
    const store = openStore();
    const first = await store.openRun(openArgs('r0', 's1'));
    const waiting = store.openRun(openArgs('r1', 's1'));
    store.failRun(first.lease, { runId: 'r0', sessionId: 's1', status: 'failed', errorCode: 'X', errorMessage: 'x', attempts: [], now: 1 });
    await expect(waiting).resolves.toMatchObject({ lease: { runId: 'r1' } });
  });

  it('fails with SessionBusyError after lockWaitMs, and later waiters keep their place', async () => {
    const store = openStore();
    const first = await store.openRun(openArgs('r0', 's1'));
    const impatient = store.openRun(openArgs('r1', 's1', { lockWaitMs: 20 }));
    const patient = store.openRun(openArgs('r2', 's1', { lockWaitMs: 5_000 }));
    const err = await impatient.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionBusyError);
    expect(err).toMatchObject({ code: 'SESSION_BUSY', sessionId: 's1' });
    store.commitRun(first.lease, commitArgs('r0'));
    await expect(patient).resolves.toMatchObject({ lease: { runId: 'r2' } });
    // the run that gave up left no trace in the session
    expect(store.getRun('r1')).toBeUndefined();
  });

  it('an infinite lockWaitMs waits for the release instead of failing', async () => {
    const store = openStore();
    const first = await store.openRun(openArgs('r0', 's1'));
    const waiting = store.openRun(openArgs('r1', 's1', { lockWaitMs: Number.POSITIVE_INFINITY }));
    await new Promise((r) => setTimeout(r, 10));
    store.commitRun(first.lease, commitArgs('r0'));
    await expect(waiting).resolves.toMatchObject({ lease: { runId: 'r1' } });
  });

  it('lockWaitMs 0 fails at once when busy', async () => {
    const store = openStore();
    await store.openRun(openArgs('r0', 's1'));
    await expect(store.openRun(openArgs('r1', 's1', { lockWaitMs: 0 }))).rejects.toBeInstanceOf(SessionBusyError);
  });

  it('an abort while waiting rejects with the signal reason and leaves the queue working', async () => {
    const store = openStore();
    const first = await store.openRun(openArgs('r0', 's1'));
    const ctl = new AbortController();
    const aborted = store.openRun(openArgs('r1', 's1', { signal: ctl.signal }));
    const next = store.openRun(openArgs('r2', 's1'));
    const reason = new Error('user pressed stop');
    ctl.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    store.commitRun(first.lease, commitArgs('r0'));
    await expect(next).resolves.toMatchObject({ lease: { runId: 'r2' } });
    expect(store.getRun('r1')).toBeUndefined();
  });

  it('closing the store rejects its waiters with a StoreError', async () => {
    const store = openStore();
    await store.openRun(openArgs('r0', 's1'));
    const waiting = store.openRun(openArgs('r1', 's1'));
    store.close();
    await expect(waiting).rejects.toBeInstanceOf(StoreError);
  });

  it('takes the lease over once the holder expires on the store clock', async () => {
    let clock = 1_000;
    const store = openStore({ now: () => clock });
    await store.openRun(openArgs('hung', 's1', { now: 1_000, leaseTtlMs: 500 }));
    const waiting = store.openRun(openArgs('r1', 's1', { now: 1_000 }));
    let got = false;
    void waiting.then(() => (got = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toBe(false); // the store clock has not moved: the holder is still within its lease
    clock = 1_500;
    const { lease } = await waiting;
    expect(lease).toMatchObject({ runId: 'r1', expiresAt: 1_500 + 10_000 });
    expect(store.getRun('hung')?.status).toBe('abandoned');
  });
});

describe('different sessions', () => {
  it('never wait on each other', async () => {
    const store = openStore();
    await store.openRun(openArgs('a', 'A'));
    await store.openRun(openArgs('x', 'X'));
    // lockWaitMs 0: any wait at all would be a SessionBusyError
    const others = await Promise.all(['B', 'C', 'D'].map((s) => store.openRun(openArgs(`r-${s}`, s, { lockWaitMs: 0 }))));
    expect(others.map((o) => o.lease.sessionId)).toEqual(['B', 'C', 'D']);
  });

  it('a queue on one session does not hold up another', async () => {
    const store = openStore();
    await store.openRun(openArgs('a0', 'A'));
    const blocked = store.openRun(openArgs('a1', 'A'));
    const free = await store.openRun(openArgs('b0', 'B', { lockWaitMs: 0 }));
    expect(free.lease.sessionId).toBe('B');
    store.close();
    await expect(blocked).rejects.toBeInstanceOf(StoreError);
  });
});

describe('two stores on one file (as two processes would)', () => {
  it('a waiter in one store gets the session after the other store commits', async () => {
    const p = tempDbPath();
    const a = openStore({ path: p });
    const b = openStore({ path: p });
    const held = await a.openRun(openArgs('r0', 's1'));
    const waiting = b.openRun(openArgs('r1', 's1'));
    await new Promise((r) => setTimeout(r, 10));
    a.commitRun(held.lease, commitArgs('r0'));
    const { history, lease } = await waiting;
    expect(history.map((t) => t.runId)).toEqual(['r0', 'r0']);
    b.commitRun(lease, commitArgs('r1'));
    expect(a.listTurns('s1').map((t) => t.runId)).toEqual(['r0', 'r0', 'r1', 'r1']);
  });

  it('a commit in one store fences a run of the other store that lost its lease', async () => {
    const p = tempDbPath();
    const a = openStore({ path: p });
    const b = openStore({ path: p });
    const slow = await a.openRun(openArgs('slow', 's1', { now: 1_000, leaseTtlMs: 100 }));
    const thief = await b.openRun(openArgs('thief', 's1', { now: 1_200 }));
    b.commitRun(thief.lease, commitArgs('thief'));
    expect(() => a.commitRun(slow.lease, commitArgs('slow'))).toThrow(expect.objectContaining({ code: 'LEASE_LOST' }));
    expect(b.listOrphans().map((o) => o.runId)).toEqual(['slow']);
  });
});
