import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { attempt, commitArgs, completeRun, openArgs, openStore, served, tempDbPath } from './helpers.js';

describe('openRun', () => {
  it('grants a lease, records the run as running and reads an empty history', async () => {
    const store = openStore();
    const opened = await store.openRun(openArgs('r1', 's1', { now: 5_000, leaseTtlMs: 3_000 }));
    expect(opened.lease).toEqual({ sessionId: 's1', runId: 'r1', token: 1, expiresAt: 8_000 });
    expect(opened.history).toEqual([]);
    expect(opened.cooldowns).toEqual([]);
    expect(store.getRun('r1')).toEqual({ runId: 'r1', sessionId: 's1', status: 'running', startedAt: 5_000, attempts: [] });
  });

  it('returns the session history in seq order, whoever wrote it', async () => {
    const store = openStore();
    await completeRun(store, 'r1', 's1');
    await completeRun(store, 'r2', 's1');
    const { history } = await store.openRun(openArgs('r3', 's1'));
    expect(history.map((t) => [t.seq, t.role, t.runId])).toEqual([
      [1, 'user', 'r1'],
      [2, 'assistant', 'r1'],
      [3, 'user', 'r2'],
      [4, 'assistant', 'r2'],
    ]);
    expect(history[3]?.content).toBe('answer to r2');
  });

  it('reads only the active cooldowns of the chain providers', async () => {
    const store = openStore();
    store.putCooldown({ provider: 'deepseek', profileId: 'ds-main', until: 1_500, reason: 'rate_limit', failures: 1 });
    store.putCooldown({ provider: 'deepseek', model: 'deepseek-v4-flash', until: 900, reason: 'overloaded', failures: 1 });
    store.putCooldown({ provider: 'moonshot', until: 9_000, reason: 'billing', failures: 2 });
    const { cooldowns } = await store.openRun(openArgs('r1', 's1', { now: 1_000, providers: ['deepseek'] }));
    expect(cooldowns).toEqual([{ provider: 'deepseek', profileId: 'ds-main', until: 1_500, reason: 'rate_limit', failures: 1 }]);
  });

  it('refuses a run id that was already used, without touching the lease', async () => {
    const store = openStore();
    await completeRun(store, 'r1', 's1');
    await expect(store.openRun(openArgs('r1', 's1'))).rejects.toBeInstanceOf(ConfigError);
    const next = await store.openRun(openArgs('r2', 's1'));
    expect(next.lease.token).toBe(2);
  });

  it('rejects at once with the reason of an already aborted signal', async () => {
    const store = openStore();
    const ctl = new AbortController();
    ctl.abort(new Error('caller gave up'));
    await expect(store.openRun(openArgs('r1', 's1', { signal: ctl.signal }))).rejects.toThrow('caller gave up');
    expect(store.getRun('r1')).toBeUndefined();
  });
});

describe('commitRun', () => {
  it('appends the messages then the reply, marks the run succeeded and releases the lease', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1'));
    const { turns } = store.commitRun(
      lease,
      commitArgs('r1', {
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hi' },
        ],
        reply: { role: 'assistant', content: 'hello' },
        attempts: [attempt(1, { outcome: 'failed', reason: 'overloaded', scope: 'provider', status: 503, message: 'overloaded' }), attempt(2, { probe: true })],
        now: 1_234,
      }),
    );
    const expected = [
      { seq: 1, role: 'system', content: 'be brief', runId: 'r1' },
      { seq: 2, role: 'user', content: 'hi', runId: 'r1' },
      { seq: 3, role: 'assistant', content: 'hello', runId: 'r1' },
    ];
    expect(turns).toEqual(expected);
    expect(store.listTurns('s1')).toEqual(expected);
    expect(store.getRun('r1')).toEqual({
      runId: 'r1',
      sessionId: 's1',
      status: 'succeeded',
      servedBy: served,
      startedAt: 1_000,
      finishedAt: 1_234,
      attempts: [
        { n: 1, provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main', outcome: 'failed', reason: 'overloaded', scope: 'provider', status: 503, message: 'overloaded', startedAt: 1_001, durationMs: 12 },
        { n: 2, provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main', outcome: 'succeeded', startedAt: 1_002, durationMs: 12, probe: true },
      ],
    });
    // released: another run gets the session at once, with a new token
    const next = await store.openRun(openArgs('r2', 's1', { lockWaitMs: 0 }));
    expect(next.lease.token).toBe(lease.token + 1);
  });

  it('is idempotent: committing the same run again appends nothing and returns the same turns', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1'));
    const first = store.commitRun(lease, commitArgs('r1'));
    const again = store.commitRun(lease, commitArgs('r1'));
    expect(again).toEqual(first);
    expect(store.listTurns('s1')).toHaveLength(2);
  });

  it('refuses a lease that belongs to another run', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1'));
    expect(() => store.commitRun(lease, commitArgs('r2'))).toThrow(ConfigError);
    expect(store.listTurns('s1')).toEqual([]);
  });

  it('keeps sessions apart', async () => {
    const store = openStore();
    await completeRun(store, 'a1', 'A');
    await completeRun(store, 'b1', 'B');
    await completeRun(store, 'a2', 'A');
    expect(store.listTurns('A').map((t) => [t.seq, t.runId])).toEqual([
      [1, 'a1'],
      [2, 'a1'],
      [3, 'a2'],
      [4, 'a2'],
    ]);
    expect(store.listTurns('B').map((t) => t.seq)).toEqual([1, 2]);
    expect(store.listTurns('nobody')).toEqual([]);
  });
});

describe('failRun', () => {
  it('records the failure with its attempts and releases the lease', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1'));
    store.failRun(lease, {
      runId: 'r1',
      sessionId: 's1',
      status: 'failed',
      errorCode: 'FALLBACK_EXHAUSTED',
      errorMessage: 'every candidate failed',
      attempts: [attempt(1, { outcome: 'failed', reason: 'quota_exhausted', scope: 'profile', status: 429 })],
      now: 1_500,
    });
    const run = store.getRun('r1');
    expect(run).toMatchObject({ status: 'failed', errorCode: 'FALLBACK_EXHAUSTED', errorMessage: 'every candidate failed', finishedAt: 1_500 });
    expect(run?.attempts.map((a) => a.reason)).toEqual(['quota_exhausted']);
    expect(store.listTurns('s1')).toEqual([]);
    await expect(store.openRun(openArgs('r2', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { token: 2 } });
  });

  it('records a run that never got a lease', () => {
    const store = openStore();
    store.failRun(undefined, { runId: 'r9', sessionId: 's1', status: 'aborted', errorCode: 'RUN_ABORTED', errorMessage: 'cancelled', attempts: [], now: 77 });
    expect(store.getRun('r9')).toEqual({ runId: 'r9', sessionId: 's1', status: 'aborted', startedAt: 77, finishedAt: 77, errorCode: 'RUN_ABORTED', errorMessage: 'cancelled', attempts: [] });
  });

  it('never turns a succeeded run into a failed one', async () => {
    const store = openStore();
    const lease = await completeRun(store, 'r1', 's1');
    store.failRun(lease, { runId: 'r1', sessionId: 's1', status: 'failed', errorCode: 'X', errorMessage: 'late', attempts: [], now: 9 });
    expect(store.getRun('r1')?.status).toBe('succeeded');
    expect(store.getRun('r1')?.errorCode).toBeUndefined();
  });
});

describe('a closed store', () => {
  it('refuses every call with a StoreError, and closing twice is harmless', async () => {
    const store = openStore();
    const { lease } = await store.openRun(openArgs('r1', 's1'));
    store.close();
    store.close();
    expect(() => store.commitRun(lease, commitArgs('r1'))).toThrow(expect.objectContaining({ code: 'STORE_FAILED' }));
    expect(() => store.listTurns('s1')).toThrow(expect.objectContaining({ code: 'STORE_FAILED' }));
    await expect(store.openRun(openArgs('r2', 's1'))).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });
});

describe('a file store', () => {
  it('keeps everything across close and reopen', async () => {
    const path = tempDbPath();
    const first = openStore({ path });
    await completeRun(first, 'r1', 's1');
    first.putCooldown({ provider: 'deepseek', until: 5_000, reason: 'overloaded', failures: 1 });
    first.close();
    const second = openStore({ path });
    expect(second.listTurns('s1').map((t) => t.runId)).toEqual(['r1', 'r1']);
    expect(second.getRun('r1')?.status).toBe('succeeded');
    expect(second.activeCooldowns(['deepseek'], 1_000)).toHaveLength(1);
    const { lease } = await second.openRun(openArgs('r2', 's1'));
    expect(lease.token).toBe(2);
  });
});
