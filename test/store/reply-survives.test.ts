import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise, waitFor } from 'xstate';
import { createRunActor, StoreError, type RunActorOptions, type RunStore } from '../../src/index.js';
import { openArgs, openStore, tempDbPath } from './helpers.js';

// The reply a provider returned survives every way its commit can fail: kept as an orphan in
// the store, or handed back on the failed output as error.reply. And the session is let go.

const base = { sessionId: 's1', messages: [{ role: 'user' as const, content: 'the question' }], chain: ['alpha/a1', 'beta/b1'] };

/** A call per run that stays pending until the test answers it (or fails it). */
function heldCall() {
  const calls: string[] = [];
  let answer!: (v: { content: string }) => void;
  let refuse!: (e: unknown) => void;
  const call: RunActorOptions['call'] = (req) => {
    calls.push(`${req.provider}/${req.model}`);
    return new Promise((resolve, reject) => {
      answer = resolve;
      refuse = reject;
    });
  };
  return { call, calls, answer: (content: string) => answer({ content }), refuse: (e: unknown) => refuse(e) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('a lease lost while the provider call is in flight (found by the heartbeat)', () => {
  async function stolenMidCall() {
    const store = openStore();
    const clock = new SimulatedClock();
    clock.set(1_000);
    const provider = heldCall();
    const actor = createRunActor({ ...base, runId: 'slow', call: provider.call, store, clock, policy: { leaseTtlMs: 1_000 } });
    actor.start();
    await waitFor(actor, (s) => s.matches('attempting'));
    // the process was paused past its lease: another run took the session over
    const thief = await store.openRun(openArgs('thief', 's1', { now: 5_000 }));
    clock.set(1_400); // the heartbeat fires, finds the lease gone
    await settle();
    await settle();
    return { store, actor, provider, thief };
  }

  it('lets the call answer, and keeps the reply as an orphan: LEASE_LOST with error.reply', async () => {
    const { store, actor, provider } = await stolenMidCall();
    expect(actor.getSnapshot().value).toBe('attempting'); // not ended while the answer may still come
    provider.answer('the late answer');
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.code).toBe('LEASE_LOST');
    expect(out.error.reply).toEqual({
      messages: base.messages,
      reply: { role: 'assistant', content: 'the late answer' },
      servedBy: { provider: 'alpha', model: 'a1', profileId: 'alpha:default' },
      keptIn: 'orphan',
    });
    expect(await store.listOrphans()).toEqual([expect.objectContaining({ runId: 'slow', reply: { role: 'assistant', content: 'the late answer' } })]);
    expect(await store.listTurns('s1')).toEqual([]);
    expect(provider.calls).toEqual(['alpha/a1']);
  });

  it('a call that is then cut by its timeout ends the run at once: no backoff, no further call', async () => {
    const store = openStore();
    const clock = new SimulatedClock();
    clock.set(1_000);
    const provider = heldCall();
    const actor = createRunActor({ ...base, runId: 'slow', call: provider.call, store, clock, policy: { leaseTtlMs: 1_000, attemptTimeoutMs: 2_000 } });
    actor.start();
    await waitFor(actor, (s) => s.matches('attempting'));
    await store.openRun(openArgs('thief', 's1', { now: 5_000 }));
    clock.set(1_400); // the heartbeat finds the lease gone; the call is still out
    await settle();
    expect(actor.getSnapshot().value).toBe('attempting');
    clock.set(3_000); // the attempt timeout cuts it
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error.code).toBe('LEASE_LOST');
    expect(provider.calls).toEqual(['alpha/a1']);
  });

  it('a call that then fails ends the run with LEASE_LOST and no further call', async () => {
    const { store, actor, provider } = await stolenMidCall();
    provider.refuse({ status: 503, headers: {}, body: 'overloaded' });
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error.code).toBe('LEASE_LOST');
    expect(provider.calls).toEqual(['alpha/a1']);
    expect(await store.getRun('slow')).toMatchObject({ status: 'failed', errorCode: 'LEASE_LOST' });
  });
});

/** A run on one candidate that answers 503 with retry-after 5 s: it waits in backingOff. */
function overloadedRun(store: ReturnType<typeof openStore>, clock: SimulatedClock, calls: string[], policy?: { leaseTtlMs: number }) {
  return createRunActor({
    ...base,
    chain: ['alpha/a1'],
    store,
    clock,
    call: async (req) => {
      calls.push(req.model);
      throw { status: 503, headers: { 'retry-after': '5' }, body: 'overloaded' };
    },
    ...(policy ? { policy } : {}),
  });
}

describe('a lease lost while the run backs off', () => {
  it('ends the run at once with LEASE_LOST, before another call', async () => {
    const store = openStore();
    const clock = new SimulatedClock();
    clock.set(1_000);
    const calls: string[] = [];
    const actor = overloadedRun(store, clock, calls, { leaseTtlMs: 1_000 });
    actor.start();
    await waitFor(actor, (s) => s.matches('backingOff'));
    await store.openRun(openArgs('thief', 's1', { now: 9_000 }));
    clock.set(1_400);
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error.code).toBe('LEASE_LOST');
    expect(calls).toEqual(['a1']);
  });
});

describe('the store closed with runs in flight', () => {
  it('the rows are closed and the leases released at once; a reply that arrives after is handed back as error.reply', async () => {
    const path = tempDbPath();
    const store = openStore({ path });
    const provider = heldCall();
    const actor = createRunActor({ ...base, runId: 'inflight', call: provider.call, store });
    actor.start();
    await waitFor(actor, (s) => s.matches('attempting'));
    await store.close();
    const other = openStore({ path });
    expect(await other.getRun('inflight')).toMatchObject({ status: 'failed', errorCode: 'STORE_CLOSED' });
    await expect(other.openRun(openArgs('next', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { runId: 'next' } });
    provider.answer('an answer nobody can store');
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error).toBeInstanceOf(StoreError);
    expect(out.error.code).toBe('STORE_CLOSED');
    expect(out.error.reply).toMatchObject({ reply: { content: 'an answer nobody can store' }, keptIn: 'output' });
  });

  it('a run waiting out a backoff ends at once with STORE_CLOSED, without another call', async () => {
    const store = openStore();
    const clock = new SimulatedClock();
    const calls: string[] = [];
    const actor = overloadedRun(store, clock, calls);
    actor.start();
    await waitFor(actor, (s) => s.matches('backingOff'));
    await store.close();
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error.code).toBe('STORE_CLOSED');
    expect(calls).toEqual(['a1']);
  });
});

describe('a commit that fails for good', () => {
  /** The SQLite store, except that commits fail the way a full disk makes them fail. */
  function failingCommits(store: RunStore, error: unknown, failKeep = false): RunStore {
    return {
      path: 'failing store',
      openRun: (a) => store.openRun(a),
      renewLease: (l, now, ttl, w) => store.renewLease(l, now, ttl, w),
      commitRun: async () => Promise.reject(error),
      failRun: async (l, a) => {
        if (failKeep && a.uncommitted) throw error;
        return store.failRun(l, a);
      },
      activeCooldowns: (p, now, w) => store.activeCooldowns(p, now, w),
      putCooldown: (e, w) => store.putCooldown(e, w),
      clearCooldowns: (k, w) => store.clearCooldowns(k, w),
    };
  }
  const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

  it('keeps the reply as an orphan when the store can still write the run row', async () => {
    const store = openStore();
    const actor = createRunActor({ ...base, runId: 'r1', call: async () => ({ content: 'kept answer' }), store: failingCommits(store, full) });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    // a custom store's plain error arrives typed, the original kept
    expect(out.error).toBeInstanceOf(StoreError);
    expect(out.error).toMatchObject({ code: 'STORE_FAILED', path: 'failing store' });
    expect((out.error.cause as Error).message).toBe('database or disk is full');
    expect(out.error.reply).toMatchObject({ reply: { content: 'kept answer' }, keptIn: 'orphan' });
    expect(await store.listOrphans()).toEqual([expect.objectContaining({ runId: 'r1', reply: { role: 'assistant', content: 'kept answer' } })]);
    await expect(store.openRun(openArgs('next', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { runId: 'next' } });
  });

  it('when even the orphan cannot be written: the reply is in the output, the run row closed, the session released', async () => {
    const store = openStore();
    const actor = createRunActor({ ...base, runId: 'r1', call: async () => ({ content: 'only in the output' }), store: failingCommits(store, full, true) });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.reply).toMatchObject({ reply: { content: 'only in the output' }, keptIn: 'output' });
    expect(await store.listOrphans()).toEqual([]);
    expect(await store.getRun('r1')).toMatchObject({ status: 'failed', errorCode: 'STORE_FAILED' });
    await expect(store.openRun(openArgs('next', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { runId: 'next' } });
  });
});

describe('a host that stops the actor while its commit is under way', () => {
  it('lets the commit finish; when it fails, the reply is kept as an orphan and the session released', async () => {
    const store = openStore();
    let refuseCommit!: (e: unknown) => void;
    const slowCommits: RunStore = {
      path: 'slow store',
      openRun: (a) => store.openRun(a),
      renewLease: (l, now, ttl, w) => store.renewLease(l, now, ttl, w),
      commitRun: () => new Promise((_, reject) => (refuseCommit = reject)),
      failRun: (l, a) => store.failRun(l, a),
      activeCooldowns: (p, now, w) => store.activeCooldowns(p, now, w),
      putCooldown: (e, w) => store.putCooldown(e, w),
      clearCooldowns: (k, w) => store.clearCooldowns(k, w),
    };
    const actor = createRunActor({ ...base, runId: 'stopped', call: async () => ({ content: 'worth keeping' }), store: slowCommits });
    actor.start();
    await waitFor(actor, (s) => s.matches('lockedPersist'));
    actor.stop();
    refuseCommit(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }));
    await settle();
    await settle();
    expect(await store.listOrphans()).toEqual([expect.objectContaining({ runId: 'stopped', reply: { role: 'assistant', content: 'worth keeping' } })]);
    await expect(store.openRun(openArgs('next', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { runId: 'next' } });
  });
});

describe('when toPromise resolves', () => {
  it('a failed run is already closed in the store and its session free', async () => {
    const store = openStore();
    const actor = createRunActor({ ...base, chain: ['alpha/a1'], store, call: async () => Promise.reject({ status: 400, headers: {}, body: { error: { type: 'invalid_request_error', message: "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'." } } }) });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    const runId = (await store.listRuns())[0]!.runId;
    const run = await store.getRun(runId);
    expect(run).toMatchObject({ status: 'failed', errorCode: 'REQUEST_REJECTED' });
    // the decisions the output shows are the ones the store kept
    expect(run?.decisions).toEqual(out.decisions);
    await expect(store.openRun(openArgs('next', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { runId: 'next' } });
  });

  it('a succeeded run kept its decisions with its commit, persist last', async () => {
    const store = openStore();
    const actor = createRunActor({ ...base, store, call: async () => ({ content: 'fine' }) });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    const runs = await store.listRuns();
    expect(runs).toHaveLength(1);
    const run = await store.getRun(runs[0]!.runId);
    expect(run?.decisions).toEqual(out.decisions);
    expect(run?.decisions.at(-1)?.kind).toBe('persist');
  });
});
