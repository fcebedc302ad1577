import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor } from '../../src/create-run-actor.js';
import { commitArgs, openArgs, openStore, tempDbPath } from './helpers.js';
import { sessionProblems } from './invariants.js';
import { spawnWorker } from './workers/spawn-worker.js';

const realNow = (runId: string, sessionId: string, lockWaitMs = 10_000) => openArgs(runId, sessionId, { now: Date.now(), leaseTtlMs: 5_000, lockWaitMs });

describe('a worker killed with SIGKILL', () => {
  it('in the middle of a run: the next run takes the session after the lease expiry, the dead run reads abandoned', async () => {
    const dbPath = tempDbPath();
    const store = openStore({ path: dbPath });
    const before = await store.openRun(realNow('before', 'k'));
    await store.commitRun(before.lease, commitArgs('before'));

    const worker = spawnWorker('store-hang.ts', { dbPath, sessionId: 'k', runId: 'killed', leaseTtlMs: 300 });
    await worker.waitFor((l) => l.type === 'calling');
    expect((await store.getRun('killed'))?.status).toBe('running');
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');

    // the dead run's lease is still there: the next run waits for it to expire, then takes over
    const next = await store.openRun(realNow('next', 'k'));
    expect((await store.getRun('killed'))?.status).toBe('abandoned');
    expect(next.history.map((t) => t.runId)).toEqual(['before', 'before']);
    await store.commitRun(next.lease, commitArgs('next'));
    expect((await store.listTurns('k')).map((t) => [t.seq, t.runId])).toEqual([
      [1, 'before'],
      [2, 'before'],
      [3, 'next'],
      [4, 'next'],
    ]);
    expect(await store.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
  });

  it('in the middle of an engine run (createRunActor): the next engine run succeeds after the lease expiry', async () => {
    const dbPath = tempDbPath();
    const store = openStore({ path: dbPath });
    // the engine's shortest lease: 1 s
    const worker = spawnWorker('engine-hang.ts', { dbPath, sessionId: 'k', runId: 'killed', leaseTtlMs: 1_000 });
    await worker.waitFor((l) => l.type === 'calling');
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    expect((await store.getRun('killed'))?.status).toBe('running');

    const actor = createRunActor({
      runId: 'next',
      sessionId: 'k',
      messages: [{ role: 'user', content: 'are you there?' }],
      chain: ['alpha/a1'],
      call: async () => ({ content: 'yes' }),
      store,
      policy: { lockWaitMs: 10_000 },
    });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    expect((await store.getRun('killed'))?.status).toBe('abandoned');
    expect((await store.listTurns('k')).map((t) => [t.seq, t.role, t.content, t.runId])).toEqual([
      [1, 'user', 'are you there?', 'next'],
      [2, 'assistant', 'yes', 'next'],
    ]);
    expect((await store.integrityCheck()).ok).toBe(true);
  });

  it('while committing as fast as it can: no half-written run, integrity ok, sessions usable', async () => {
    const dbPath = tempDbPath();
    const seed = Date.now() % 1_000_000;
    const worker = spawnWorker('commit-storm.ts', { dbPath, sessions: 3, seed, leaseTtlMs: 200 });
    await worker.waitFor((l) => l.type === 'progress' && l.committed >= 50);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)));
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');

    const store = openStore({ path: dbPath });
    expect((await store.integrityCheck()).ok).toBe(true);
    const raw = new Database(dbPath, { readonly: true });
    const runs = raw.prepare('SELECT id, session_id AS sessionId, status FROM runs').all() as { id: string; sessionId: string; status: string }[];
    raw.close();
    expect(runs.length).toBeGreaterThanOrEqual(50);
    for (const s of ['k0', 'k1', 'k2']) expect(await sessionProblems(s, await store.listTurns(s), store), `seed ${seed}`).toEqual([]);
    // a run cut before its commit left nothing in its session
    for (const r of runs.filter((x) => x.status !== 'succeeded')) {
      expect((await store.listTurns(r.sessionId)).filter((t) => t.runId === r.id)).toEqual([]);
    }
    // each session can be used again; a run caught mid-flight is marked abandoned on takeover
    const cut = runs.filter((r) => r.status === 'running');
    for (const s of ['k0', 'k1', 'k2']) {
      const { lease } = await store.openRun(realNow(`after-${s}`, s));
      await store.commitRun(lease, commitArgs(`after-${s}`));
    }
    for (const r of cut) expect((await store.getRun(r.id))?.status).toBe('abandoned');
    expect((await store.integrityCheck()).ok).toBe(true);
  });
});
