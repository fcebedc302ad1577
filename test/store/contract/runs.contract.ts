import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { attempt, commitArgs, completeRun, decision, failArgs, openArgs, served } from './fixtures.js';
import { useStores, type StoreFactory } from './store-factory.js';

/** A run's life on the store: open, commit, fail, and what a closed store does. */
export function runsContract(factory: StoreFactory): void {
  describe(`${factory.name}: openRun`, () => {
    const stores = useStores(factory);

    it('grants a lease, records the run as running and reads an empty history', async () => {
      const store = await stores.open();
      const opened = await store.openRun(openArgs('r1', 's1', { now: 5_000, leaseTtlMs: 3_000 }));
      expect(opened.lease).toEqual({ sessionId: 's1', runId: 'r1', token: 1, expiresAt: 8_000 });
      expect(opened.history).toEqual([]);
      expect(opened.cooldowns).toEqual([]);
      expect(await store.getRun('r1')).toEqual({ runId: 'r1', sessionId: 's1', status: 'running', startedAt: 5_000, attempts: [], decisions: [] });
    });

    it('returns the session history in seq order, whoever wrote it', async () => {
      const store = await stores.open();
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

    it('reads the cooldowns of the chain providers only, ended ones included (they still count failures)', async () => {
      const store = await stores.open();
      await store.putCooldown({ provider: 'deepseek', profileId: 'ds-main', until: 1_500, reason: 'rate_limit', failures: 1 });
      await store.putCooldown({ provider: 'deepseek', model: 'deepseek-v4-flash', until: 900, reason: 'overloaded', failures: 1 });
      await store.putCooldown({ provider: 'moonshot', until: 9_000, reason: 'billing', failures: 2 });
      const { cooldowns } = await store.openRun(openArgs('r1', 's1', { now: 1_000, providers: ['deepseek'] }));
      expect(cooldowns).toEqual([
        { provider: 'deepseek', model: 'deepseek-v4-flash', until: 900, reason: 'overloaded', failures: 1 },
        { provider: 'deepseek', profileId: 'ds-main', until: 1_500, reason: 'rate_limit', failures: 1 },
      ]);
    });

    it('refuses a run id that was already used, without touching the lease', async () => {
      const store = await stores.open();
      await completeRun(store, 'r1', 's1');
      await expect(store.openRun(openArgs('r1', 's1'))).rejects.toBeInstanceOf(ConfigError);
      const next = await store.openRun(openArgs('r2', 's1'));
      expect(next.lease.token).toBe(2);
    });

    it('rejects at once with the reason of an already aborted signal', async () => {
      const store = await stores.open();
      const ctl = new AbortController();
      ctl.abort(new Error('caller gave up'));
      await expect(store.openRun(openArgs('r1', 's1', { signal: ctl.signal }))).rejects.toThrow('caller gave up');
      expect(await store.getRun('r1')).toBeUndefined();
    });

    it.each([
      [{ leaseTtlMs: 0 }, 'leaseTtlMs'],
      [{ leaseTtlMs: Number.POSITIVE_INFINITY }, 'leaseTtlMs'],
      [{ lockWaitMs: -1 }, 'lockWaitMs'],
      [{ sessionId: '' }, 'sessionId'],
    ])('refuses %j with a ConfigError naming the field', async (bad, field) => {
      const store = await stores.open();
      await expect(store.openRun(openArgs('r1', 's1', bad))).rejects.toMatchObject({ code: 'CONFIG_INVALID', field });
    });
  });

  describe(`${factory.name}: commitRun`, () => {
    const stores = useStores(factory);

    it('appends the messages then the reply, marks the run succeeded with its attempts and decisions, and releases the lease', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const decisions = [decision('select', { provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main' }), decision('persist', { at: 1_200 })];
      const { turns } = await store.commitRun(
        lease,
        commitArgs('r1', {
          messages: [
            { role: 'system', content: 'be brief' },
            { role: 'user', content: 'hi' },
          ],
          reply: { role: 'assistant', content: 'hello' },
          attempts: [attempt(1, { outcome: 'failed', reason: 'overloaded', scope: 'provider', status: 503, message: 'overloaded' }), attempt(2, { probe: true })],
          decisions,
          now: 1_234,
        }),
      );
      const expected = [
        { seq: 1, role: 'system', content: 'be brief', runId: 'r1' },
        { seq: 2, role: 'user', content: 'hi', runId: 'r1' },
        { seq: 3, role: 'assistant', content: 'hello', runId: 'r1' },
      ];
      expect(turns).toEqual(expected);
      expect(await store.listTurns('s1')).toEqual(expected);
      expect(await store.getRun('r1')).toEqual({
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
        decisions,
      });
      // released: another run gets the session at once, with a new token
      const next = await store.openRun(openArgs('r2', 's1', { lockWaitMs: 0 }));
      expect(next.lease.token).toBe(lease.token + 1);
    });

    it('is idempotent: committing the same run again appends nothing and returns the same turns', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const first = await store.commitRun(lease, commitArgs('r1'));
      const again = await store.commitRun(lease, commitArgs('r1'));
      expect(again).toEqual(first);
      expect(await store.listTurns('s1')).toHaveLength(2);
    });

    it('refuses a lease that belongs to another run', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      await expect(store.commitRun(lease, commitArgs('r2'))).rejects.toBeInstanceOf(ConfigError);
      expect(await store.listTurns('s1')).toEqual([]);
    });

    it('keeps sessions apart', async () => {
      const store = await stores.open();
      await completeRun(store, 'a1', 'A');
      await completeRun(store, 'b1', 'B');
      await completeRun(store, 'a2', 'A');
      expect((await store.listTurns('A')).map((t) => [t.seq, t.runId])).toEqual([
        [1, 'a1'],
        [2, 'a1'],
        [3, 'a2'],
        [4, 'a2'],
      ]);
      expect((await store.listTurns('B')).map((t) => t.seq)).toEqual([1, 2]);
      expect(await store.listTurns('nobody')).toEqual([]);
    });

    it('a NUL character round-trips exactly or is refused with a ConfigError, never altered', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const text = 'before [\u0000] after';
      const outcome = await store.commitRun(lease, commitArgs('r1', { reply: { role: 'assistant', content: text } })).then(
        () => 'stored',
        (e: unknown) => e,
      );
      if (outcome === 'stored') expect((await store.listTurns('s1')).at(-1)?.content).toBe(text);
      else expect(outcome).toMatchObject({ code: 'CONFIG_INVALID', field: 'reply.content' });
    });

    it('text round-trips exactly: astral characters, every script; a lone surrogate is refused and nothing written', async () => {
      const store = await stores.open();
      const tricky = 'emoji 😀 pair \uD83D\uDE00, bidi \u202E, CJK 漢字, combining e\u0301, BOM \uFEFF, tab\tnewline\n';
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      await store.commitRun(lease, commitArgs('r1', { messages: [{ role: 'user', content: tricky }], reply: { role: 'assistant', content: `${tricky}!` } }));
      expect((await store.listTurns('s1')).map((t) => t.content)).toEqual([tricky, `${tricky}!`]);
      expect((await store.openRun(openArgs('r2', 's1'))).history.map((t) => t.content)).toEqual([tricky, `${tricky}!`]);
      const r3 = await store.openRun(openArgs('r3', 's2'));
      await expect(store.commitRun(r3.lease, commitArgs('r3', { reply: { role: 'assistant', content: 'half a pair \uD83D here' } }))).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        field: 'reply.content',
      });
      await expect(store.commitRun(r3.lease, commitArgs('r3', { messages: [{ role: 'user', content: '\uDE00 alone' }] }))).rejects.toMatchObject({
        field: 'messages[0].content',
      });
      expect(await store.listTurns('s2')).toEqual([]);
    });
  });

  describe(`${factory.name}: failRun`, () => {
    const stores = useStores(factory);

    it('records the failure with its attempts and decisions and releases the lease', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const decisions = [decision('select'), decision('fail', { reason: 'exhausted' })];
      await store.failRun(lease, failArgs('r1', 's1', { attempts: [attempt(1, { outcome: 'failed', reason: 'quota_exhausted', scope: 'profile', status: 429 })], decisions }));
      const run = await store.getRun('r1');
      expect(run).toMatchObject({ status: 'failed', errorCode: 'FALLBACK_EXHAUSTED', errorMessage: 'every candidate failed', finishedAt: 1_500, decisions });
      expect(run?.attempts.map((a) => a.reason)).toEqual(['quota_exhausted']);
      expect(await store.listTurns('s1')).toEqual([]);
      await expect(store.openRun(openArgs('r2', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { token: 2 } });
    });

    it('records a run that never got a lease', async () => {
      const store = await stores.open();
      await store.failRun(undefined, failArgs('r9', 's1', { status: 'aborted', errorCode: 'RUN_ABORTED', errorMessage: 'cancelled', now: 77 }));
      expect(await store.getRun('r9')).toEqual({
        runId: 'r9',
        sessionId: 's1',
        status: 'aborted',
        startedAt: 77,
        finishedAt: 77,
        errorCode: 'RUN_ABORTED',
        errorMessage: 'cancelled',
        attempts: [],
        decisions: [],
      });
    });

    it('never turns a succeeded run into a failed one', async () => {
      const store = await stores.open();
      const lease = await completeRun(store, 'r1', 's1');
      await store.failRun(lease, failArgs('r1', 's1', { errorCode: 'X', errorMessage: 'late', now: 9 }));
      expect((await store.getRun('r1'))?.status).toBe('succeeded');
      expect((await store.getRun('r1'))?.errorCode).toBeUndefined();
    });

    it('with an uncommitted reply: keeps it as an orphan, appends nothing, releases the session', async () => {
      const store = await stores.open();
      await completeRun(store, 'r0', 's1');
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      const uncommitted = { messages: [{ role: 'user' as const, content: 'q' }], reply: { role: 'assistant' as const, content: 'the answer that was not committed' }, servedBy: served };
      await store.failRun(lease, failArgs('r1', 's1', { errorCode: 'STORE_BUSY', errorMessage: 'locked', uncommitted, now: 1_600 }));
      expect(await store.listOrphans()).toEqual([{ runId: 'r1', sessionId: 's1', ...uncommitted, finishedAt: 1_600 }]);
      expect(await store.getRun('r1')).toMatchObject({ status: 'orphaned', errorCode: 'STORE_BUSY', servedBy: served });
      expect((await store.listTurns('s1')).map((t) => t.runId)).toEqual(['r0', 'r0']);
      await expect(store.openRun(openArgs('r2', 's1', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { runId: 'r2' } });
    });
  });

  describe(`${factory.name}: a closed store`, () => {
    const stores = useStores(factory);

    it('refuses every call with STORE_CLOSED, and closing twice is harmless', async () => {
      const store = await stores.open();
      const { lease } = await store.openRun(openArgs('r1', 's1'));
      await store.close();
      await store.close();
      await expect(store.commitRun(lease, commitArgs('r1'))).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      await expect(store.listTurns('s1')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      await expect(store.openRun(openArgs('r2', 's1'))).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });

    it('ends the runs in flight: rows failed with STORE_CLOSED, leases released, each run told through onRevoked', async () => {
      const store = await stores.open();
      const revoked: Record<string, unknown> = {};
      const told = (runId: string) => (error: unknown) => void (revoked[runId] = error);
      await store.openRun(openArgs('a', 'A', { onRevoked: told('a') }));
      await store.openRun(openArgs('b', 'B', { onRevoked: told('b') }));
      const done = await store.openRun(openArgs('done', 'C', { onRevoked: told('done') }));
      await store.commitRun(done.lease, commitArgs('done'));
      const waiting = store.openRun(openArgs('w', 'A', { lockWaitMs: 5_000 }));
      await store.close();
      await expect(waiting).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      expect(Object.keys(revoked).sort()).toEqual(['a', 'b']);
      expect(revoked.a).toMatchObject({ code: 'STORE_CLOSED' });
      const other = await stores.connect(store);
      expect(await other.getRun('a')).toMatchObject({ status: 'failed', errorCode: 'STORE_CLOSED' });
      expect(await other.getRun('b')).toMatchObject({ status: 'failed', errorCode: 'STORE_CLOSED' });
      expect(await other.getRun('w')).toBeUndefined();
      // released, not left to expire: the sessions are free at once
      await expect(other.openRun(openArgs('a2', 'A', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { token: 2 } });
      await expect(other.openRun(openArgs('b2', 'B', { lockWaitMs: 0 }))).resolves.toMatchObject({ lease: { token: 2 } });
    });

    it('keeps everything for the next connection', async () => {
      const first = await stores.open();
      await completeRun(first, 'r1', 's1');
      await first.putCooldown({ provider: 'deepseek', until: 5_000, reason: 'overloaded', failures: 1 });
      const second = await stores.connect(first);
      await first.close();
      expect((await second.listTurns('s1')).map((t) => t.runId)).toEqual(['r1', 'r1']);
      expect((await second.getRun('r1'))?.status).toBe('succeeded');
      expect(await second.activeCooldowns(['deepseek'], 1_000)).toHaveLength(1);
      const { lease } = await second.openRun(openArgs('r2', 's1'));
      expect(lease.token).toBe(2);
    });
  });
}
