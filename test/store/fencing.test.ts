import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../src/errors.js';
import { commitArgs, completeRun, openArgs, openStore, served } from './helpers.js';

describe('lease renewal', () => {
  it('extends the expiry and keeps the token', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
    const renewed = store.renewLease(lease, 1_400, 500);
    expect(renewed).toEqual({ ...lease, expiresAt: 1_900 });
    // the renewed expiry is what a second run sees: busy at 1_600 (the original lease would have expired at 1_500)
    await expect(store.openRun(openArgs('r2', 's1', { now: 1_600, lockWaitMs: 0 }))).rejects.toMatchObject({ code: 'SESSION_BUSY' });
  });

  it('throws LeaseLostError once another run has taken the session over', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
    await store.openRun(openArgs('r2', 's1', { now: 1_501 }));
    expect(() => store.renewLease(lease, 1_502, 500)).toThrow(LeaseLostError);
  });

  it('still renews a lease that expired but that nobody took over (the token is what fences)', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
    expect(store.renewLease(lease, 9_000, 500).expiresAt).toBe(9_500);
  });
});

describe('takeover of an expired lease', () => {
  it('bumps the fencing token on every grant, and marks a dead holder abandoned', async () => {
    const store = openStore();
    const first = await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
    const second = await store.openRun(openArgs('r2', 's1', { now: 1_500 }));
    expect(second.lease.token).toBe(first.lease.token + 1);
    expect(store.getRun('r1')).toMatchObject({ status: 'abandoned', finishedAt: 1_500 });
    expect(store.getRun('r2')?.status).toBe('running');
  });

  it('does not take a lease before it expires', async () => {
    const store = openStore();
    await store.openRun(openArgs('r1', 's1', { now: 1_000, leaseTtlMs: 500 }));
    await expect(store.openRun(openArgs('r2', 's1', { now: 1_499, lockWaitMs: 0 }))).rejects.toMatchObject({ code: 'SESSION_BUSY' });
    expect(store.getRun('r1')?.status).toBe('running');
  });

  it('tokens keep growing across releases', async () => {
    const store = openStore();
    const tokens: number[] = [];
    for (let i = 0; i < 4; i++) tokens.push((await completeRun(store, `r${i}`, 's1')).token);
    expect(tokens).toEqual([1, 2, 3, 4]);
  });
});

describe('a run whose lease was stolen', () => {
  async function stolen() {
    const store = openStore();
    await completeRun(store, 'r0', 's1', 100);
    const { lease } = await store.openRun(openArgs('slow', 's1', { now: 1_000, leaseTtlMs: 500 }));
    // the slow run hangs past its expiry; the next run takes the session over and commits
    const thief = await store.openRun(openArgs('thief', 's1', { now: 1_600 }));
    store.commitRun(thief.lease, commitArgs('thief', { now: 1_700 }));
    return { store, lease };
  }

  it('gets LeaseLostError on commit, and its reply is kept as an orphan', async () => {
    const { store, lease } = await stolen();
    const args = commitArgs('slow', { now: 1_800, messages: [{ role: 'user', content: 'late question' }], reply: { role: 'assistant', content: 'late answer' } });
    expect(() => store.commitRun(lease, args)).toThrow(LeaseLostError);
    expect(store.listOrphans()).toEqual([
      { runId: 'slow', sessionId: 's1', messages: [{ role: 'user', content: 'late question' }], reply: { role: 'assistant', content: 'late answer' }, servedBy: served, finishedAt: 1_800 },
    ]);
    const run = store.getRun('slow');
    expect(run).toMatchObject({ status: 'orphaned', servedBy: served });
    expect(run?.attempts).toHaveLength(1);
    // nothing of the slow run reached the session, and the thief's turns are intact
    expect(store.listTurns('s1').map((t) => t.runId)).toEqual(['r0', 'r0', 'thief', 'thief']);
  });

  it('a repeated commit of the orphan throws again and keeps one orphan', async () => {
    const { store, lease } = await stolen();
    expect(() => store.commitRun(lease, commitArgs('slow'))).toThrow(LeaseLostError);
    expect(() => store.commitRun(lease, commitArgs('slow'))).toThrow(LeaseLostError);
    expect(store.listOrphans().map((o) => o.runId)).toEqual(['slow']);
  });

  it('failRun records the failure on its own row, without throwing or touching the session', async () => {
    const { store, lease } = await stolen();
    const next = await store.openRun(openArgs('next', 's1', { now: 1_900 }));
    store.failRun(lease, { runId: 'slow', sessionId: 's1', status: 'failed', errorCode: 'LEASE_LOST', errorMessage: 'lost', attempts: [], now: 1_950 });
    expect(store.getRun('slow')).toMatchObject({ status: 'failed', errorCode: 'LEASE_LOST' });
    // the current holder still holds: its renewal works and its commit lands
    expect(() => store.renewLease(next.lease, 1_960, 500)).not.toThrow();
    store.commitRun(next.lease, commitArgs('next', { now: 2_000 }));
    expect(store.listTurns('s1').map((t) => t.runId)).toEqual(['r0', 'r0', 'thief', 'thief', 'next', 'next']);
  });

  it('failRun after the orphaned commit keeps the orphan listed and notes the error', async () => {
    const { store, lease } = await stolen();
    expect(() => store.commitRun(lease, commitArgs('slow'))).toThrow(LeaseLostError);
    store.failRun(lease, { runId: 'slow', sessionId: 's1', status: 'failed', errorCode: 'LEASE_LOST', errorMessage: 'lost', attempts: [], now: 1_950 });
    expect(store.getRun('slow')).toMatchObject({ status: 'orphaned', errorCode: 'LEASE_LOST' });
    expect(store.listOrphans()).toHaveLength(1);
  });
});
