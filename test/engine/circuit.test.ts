import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { createRunActor, openSqliteStore, type CallRequest } from '../../src/index.js';

// The circuit across runs: when a key's cooldown has ended, one run at a time probes it (the
// claim goes through the store); the others keep their fallback until the probe decides.

const tick = () => new Promise((r) => setImmediate(r));

describe('one probe at a time for a key whose cooldown ended', () => {
  it('two runs start together: one probes the primary, the other is served by the fallback at once; after the probe served, runs go back to the primary', async () => {
    const clock = new SimulatedClock();
    clock.set(10_000);
    const store = openSqliteStore();
    await store.putCooldown({ provider: 'a', until: 5_000, reason: 'overloaded', failures: 3 });
    const calls: string[] = [];
    let releaseProbe!: () => void;
    const probeHeld = new Promise<void>((r) => (releaseProbe = r));
    const call = async (req: CallRequest) => {
      calls.push(`${req.runId}:${req.provider}`);
      if (req.provider === 'a' && calls.filter((c) => c.endsWith(':a')).length === 1) await probeHeld;
      return { content: `from ${req.provider}` };
    };
    const start = (runId: string) => {
      const actor = createRunActor({ runId, sessionId: runId, messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1', 'b/m2'], call, clock, store });
      actor.start();
      return toPromise(actor);
    };
    const first = start('r1');
    const second = start('r2');
    for (let i = 0; i < 20; i++) await tick();
    // r2 did not wait for r1's probe: it kept off the key and was served by b
    const out2 = await second;
    expect(out2.status === 'succeeded' && out2.servedBy.provider).toBe('b');
    expect(out2.decisions).toContainEqual(expect.objectContaining({ kind: 'skip', provider: 'a', reason: 'probe_taken' }));
    releaseProbe();
    const out1 = await first;
    expect(out1.status === 'succeeded' && out1.servedBy.provider).toBe('a');
    expect(calls).toEqual(['r1:a', 'r2:b']);
    // the probe served: the key is cleared, and the next run starts on the primary
    expect(await store.activeCooldowns(['a'], clock.now())).toEqual([]);
    const out3 = await start('r3');
    expect(out3.status === 'succeeded' && out3.servedBy.provider).toBe('a');
  });

  it('a failed probe is one call, and the failure count keeps growing the backoff', async () => {
    const clock = new SimulatedClock();
    clock.set(10_000);
    const store = openSqliteStore();
    await store.putCooldown({ provider: 'a', model: 'm1', until: 5_000, reason: 'overloaded', failures: 3 });
    const calls: string[] = [];
    const call = async (req: CallRequest) => {
      calls.push(req.provider);
      if (req.provider === 'a') throw { status: 503, body: '{"error":{"message":"overloaded","type":"overloaded_error"}}' };
      return { content: 'b' };
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1', 'b/m2'], call, clock, store, policy: { backoffBaseMs: 500 } });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    expect(calls).toEqual(['a', 'b']);
    for (let i = 0; i < 5; i++) await tick();
    const [entry, ...more] = await store.activeCooldowns(['a'], clock.now());
    expect(more).toEqual([]);
    // fourth failure in a row: 500 · 2^3 ms
    expect(entry).toMatchObject({ failures: 4, until: 10_000 + 4_000 });
  });

  it('a custom store without claimProbe lets every run probe', async () => {
    const clock = new SimulatedClock();
    clock.set(10_000);
    const inner = openSqliteStore();
    await inner.putCooldown({ provider: 'a', until: 5_000, reason: 'overloaded', failures: 1 });
    const { claimProbe: _omitted, ...store } = inner;
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1', 'b/m2'], call: async (req) => ({ content: req.provider }), clock, store });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status === 'succeeded' && out.servedBy.provider).toBe('a');
  });
});

describe('a failed probe lets go of its claim', () => {
  it('even when its failure blocks another key: the next run may probe once that ends', async () => {
    const clock = new SimulatedClock();
    clock.set(10_000);
    const store = openSqliteStore();
    // a provider-wide cooldown that ended; the probe's failure is one of the model (another key)
    await store.putCooldown({ provider: 'a', until: 5_000, reason: 'overloaded', failures: 3 });
    const call = async (req: CallRequest) => {
      if (req.provider === 'a') throw { status: 503, body: '{"error":{"message":"overloaded","type":"overloaded_error"}}' };
      return { content: 'b' };
    };
    const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1', 'b/m2'], call, clock, store });
    actor.start();
    await toPromise(actor);
    for (let i = 0; i < 5; i++) await tick();
    const providerWide = (await store.activeCooldowns(['a'], clock.now())).find((e) => e.model === undefined);
    expect(providerWide).toEqual({ provider: 'a', until: 5_000, reason: 'overloaded', failures: 3 });
  });
});
