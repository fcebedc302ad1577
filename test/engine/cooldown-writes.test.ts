import { describe, expect, it, vi } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, type RunStore } from '../../src/index.js';
import type { RunEffects } from '../../src/run-effects.js';
import type { HostSafeRunActor } from '../../src/run-actor.js';
import { httpError, scriptedCall } from '../helpers/scripted-call.js';

// A run shares its cooldowns without waiting for the writes (src/run-effects.ts): they go one
// after another in the order the run made them, a failed one is logged and the next still
// goes, and the run's commit comes after all of them.

const QUOTA = httpError(429, { error: { type: 'insufficient_quota', message: 'You exceeded your current quota' } });

function slowStore(failPutOf?: string) {
  const store = openSqliteStore();
  const log: string[] = [];
  let onTheirWay = 0;
  let most = 0;
  const slow = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    log.push(`${what} started`);
    most = Math.max(most, ++onTheirWay);
    await new Promise((r) => setTimeout(r, 5));
    onTheirWay--;
    try {
      return await fn();
    } finally {
      log.push(`${what} landed`);
    }
  };
  const wrapped: RunStore = {
    openRun: (a) => store.openRun(a),
    renewLease: (l, now, ttl, w) => store.renewLease(l, now, ttl, w),
    commitRun: (l, a) => (log.push('commit'), store.commitRun(l, a)),
    failRun: (l, a) => (log.push('fail'), store.failRun(l, a)),
    activeCooldowns: (providers, now, w) => store.activeCooldowns(providers, now, w),
    putCooldown: (e, w) =>
      slow(`put ${e.provider}`, async () => {
        if (e.provider === failPutOf) throw new Error(`no room for ${e.provider}`);
        return store.putCooldown(e, w);
      }),
    clearCooldowns: (k, w) => slow(`clear ${k.map((x) => x.provider).join()}`, () => store.clearCooldowns(k, w)),
  };
  return { store, wrapped, log, most: () => most };
}

const run = (store: RunStore, chain: string[], call: ReturnType<typeof scriptedCall>['call'], logger?: object) =>
  toPromise(createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain, call, store, ...(logger ? { logger: logger as never } : {}) }).start());

describe("a run's cooldown writes", () => {
  it('made at once go one at a time, in the order made', async () => {
    const { store, wrapped, log, most } = slowStore('b');
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m'], call: scriptedCall().call, store: wrapped });
    const effects = (actor as unknown as HostSafeRunActor<RunEffects>).hooks;
    const at = Date.now();
    const set = (provider: string) => ({ type: 'cooldown.set' as const, runId: 'r', at, cooldown: { provider, until: at + 60_000, reason: 'quota_exhausted' as const, failures: 1 } });
    effects.shareCooldowns(set('a'));
    effects.shareCooldowns(set('b'));
    effects.shareCooldowns({ type: 'cooldown.cleared', runId: 'r', at, keys: [{ provider: 'a' }] });
    effects.shareCooldowns(set('c'));
    await vi.waitFor(() => expect(log).toHaveLength(8));
    expect(log).toEqual(['put a started', 'put a landed', 'put b started', 'put b landed', 'clear a started', 'clear a landed', 'put c started', 'put c landed']);
    expect(most()).toBe(1);
    expect((await store.activeCooldowns(['a', 'b', 'c'], at)).map((e) => e.provider)).toEqual(['c']);
    await store.close();
  });

  it('go one at a time, in order, and the commit after them', async () => {
    const { store, wrapped, log, most } = slowStore();
    const out = await run(wrapped, ['a/m', 'b/m', 'c/m'], scriptedCall({ a: [QUOTA], b: [QUOTA] }).call);
    expect(out.status).toBe('succeeded');
    expect(log).toEqual(['put a started', 'put a landed', 'put b started', 'put b landed', 'commit']);
    expect(most()).toBe(1);
    expect((await store.activeCooldowns(['a', 'b'], Date.now())).map((e) => e.provider)).toEqual(['a', 'b']);
    await store.close();
  });

  it('a failed write is logged, as before, and the next still goes', async () => {
    const { store, wrapped, log } = slowStore('a');
    const warned: { obj: Record<string, unknown>; msg: string }[] = [];
    const logger = { warn: (obj: Record<string, unknown>, msg: string) => warned.push({ obj, msg }), info() {}, debug() {}, error() {} };
    const out = await run(wrapped, ['a/m', 'b/m', 'c/m'], scriptedCall({ a: [QUOTA], b: [QUOTA] }).call, logger);
    expect(out.status).toBe('succeeded');
    expect(log).toEqual(['put a started', 'put a landed', 'put b started', 'put b landed', 'commit']);
    const failed = warned.filter((w) => w.msg === 'could not write cooldown');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.obj.eventType).toBe('cooldown.set');
    expect(failed[0]!.obj.err).toMatchObject({ code: 'STORE_FAILED' });
    expect(String((failed[0]!.obj.err as Error).message)).toContain('writing a cooldown: no room for a');
    expect((await store.activeCooldowns(['a', 'b'], Date.now())).map((e) => e.provider)).toEqual(['b']);
    await store.close();
  });
});
