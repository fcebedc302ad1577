import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, type RunStore } from '../../src/index.js';
import { httpError, scriptedCall } from '../helpers/scripted-call.js';

// Issue 15: a dead chain re-read every provider's cooldowns after every failure (quadratic).
// A run reads the chain's cooldowns once when it opens, then only the failed provider's.

const QUOTA = httpError(429, { error: { type: 'insufficient_quota', message: 'You exceeded your current quota' } });

function countingStore() {
  const store = openSqliteStore();
  const reads: string[][] = [];
  const counted: RunStore = {
    openRun: (a) => store.openRun(a),
    renewLease: (l, now, ttl, w) => store.renewLease(l, now, ttl, w),
    commitRun: (l, a) => store.commitRun(l, a),
    failRun: (l, a) => store.failRun(l, a),
    activeCooldowns: (providers, now, w) => {
      reads.push([...providers]);
      return store.activeCooldowns(providers, now, w);
    },
    putCooldown: (e, w) => store.putCooldown(e, w),
    clearCooldowns: (k, w) => store.clearCooldowns(k, w),
  };
  return { store, counted, reads };
}

describe('cooldown reads of a run', () => {
  it('after each failure read only the failed provider, so a dead chain reads one provider per failure', async () => {
    const { store, counted, reads } = countingStore();
    const chain = Array.from({ length: 6 }, (_, i) => `p${i}/m`);
    const provider = scriptedCall(Object.fromEntries(chain.map((c) => [c.split('/')[0]!, [QUOTA]])));
    const out = await toPromise(createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain, call: provider.call, store: counted }).start());
    expect(out.status).toBe('failed');
    expect(provider.calls).toHaveLength(6);
    expect(reads).toEqual(chain.map((c) => [c.split('/')[0]!]));
    await store.close();
  });

  it('still learns what another run recorded on the failed key: the failure count grows', async () => {
    const { store, counted } = countingStore();
    await store.putCooldown({ provider: 'p0', profileId: 'p0:default', until: 1, reason: 'quota_exhausted', failures: 3 });
    // the entry above has ended by the time the run opens; another run records a live one during the call
    const provider = scriptedCall({ p0: [QUOTA] });
    const call: typeof provider.call = async (req) => {
      await store.putCooldown({ provider: 'p0', profileId: 'p0:default', until: Date.now() + 60_000, reason: 'quota_exhausted', failures: 3 });
      return provider.call(req);
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['p0/m', 'p1/m'], call, store: counted });
    const set: number[] = [];
    actor.on('cooldown.set', (e) => set.push(e.cooldown.failures));
    const out = await toPromise(actor.start());
    expect(out.status).toBe('succeeded');
    expect(set).toEqual([4]);
    await store.close();
  });

  it('a re-read that fails, rejecting or throwing, is logged as a STORE_FAILED error carrying the cause, and the run goes on', async () => {
    for (const how of ['rejects', 'throws'] as const) {
      const { store, counted } = countingStore();
      const cause = new Error('replica gone');
      // the read at open is openRun's own: this one is the re-read after the failure
      const failing: RunStore = {
        ...counted,
        activeCooldowns: () => {
          if (how === 'throws') throw cause;
          return Promise.reject(cause);
        },
      };
      const warned: { err: unknown; msg: string }[] = [];
      const logger = { warn: (o: { err: unknown }, msg: string) => warned.push({ err: o.err, msg }), info() {}, debug() {}, error() {} };
      const provider = scriptedCall({ p0: [QUOTA] });
      const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['p0/m', 'p1/m'], call: provider.call, store: failing, logger: logger as never });
      const out = await toPromise(actor.start());
      expect(out.status).toBe('succeeded');
      const reread = warned.filter((w) => w.msg.startsWith('could not re-read cooldowns'));
      expect(reread).toHaveLength(1);
      expect(reread[0]!.err).toMatchObject({ code: 'STORE_FAILED', cause });
      expect(String((reread[0]!.err as Error).message)).toContain('reading cooldowns');
      await store.close();
    }
  });
});

