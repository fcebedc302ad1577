import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise, waitFor } from 'xstate';
import { ConfigError, createRunActor, openSqliteStore, type RunActorOptions } from '../../src/index.js';
import { fail, scriptedCall } from '../helpers/scripted-call.js';

const base = { sessionId: 's', messages: [{ role: 'user' as const, content: 'x' }], chain: ['a/m', 'b/m'] };
const run = async (o: Partial<RunActorOptions> & Pick<RunActorOptions, 'call'>) => {
  const actor = createRunActor({ ...base, store: openSqliteStore(), ...o });
  actor.start();
  return toPromise(actor);
};

describe("the host's hooks", () => {
  it("a host classifier overrides ours: its 'bad_request' stops the run after 1 call", async () => {
    const provider = scriptedCall({ a: [fail(new Error('house rule: refuse'))] });
    const out = await run({
      call: provider.call,
      classify: (err) =>
        err instanceof Error && err.message.startsWith('house rule')
          ? { reason: 'bad_request', scope: 'request', retryable: false, message: err.message }
          : undefined,
    });
    expect(provider.calls).toHaveLength(1);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error).toMatchObject({ code: 'REQUEST_REJECTED', reason: 'bad_request' });
  });

  it('a host classifier that throws is skipped: ours classifies and the run recovers', async () => {
    const provider = scriptedCall({ a: [fail({ status: 503, headers: {}, body: 'overloaded' })] });
    const out = await run({
      call: provider.call,
      classify: () => {
        throw new Error('classifier bug');
      },
    });
    expect(out.status).toBe('succeeded');
    expect(out.attempts[0]).toMatchObject({ reason: 'overloaded' });
  });

  it("a host classifier's context: the provider, a detached `now` on the run's clock, and the call's signal as an own enumerable property", async () => {
    const clock = new SimulatedClock();
    clock.set(5_000);
    const seen: Record<string, unknown>[] = [];
    const provider = scriptedCall({ a: [fail({ status: 503, headers: {}, body: 'overloaded' })] });
    const out = await run({
      call: provider.call,
      clock,
      classify: (_err, context) => {
        const { now, ...rest } = context;
        seen.push({ ...rest, keys: Object.keys(context), now: now?.() });
        return undefined;
      },
    });
    expect(out.status).toBe('succeeded');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ provider: 'a', keys: ['provider', 'now', 'signal'], now: 5_000 });
    // the attempt's own signal: not aborted, since the call ended by itself
    expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
    expect((seen[0]!.signal as AbortSignal).aborted).toBe(false);
  });

  it('a ConfigError thrown by call (the host wiring is wrong) fails the run with that error, not a retry', async () => {
    const provider = scriptedCall({ a: [fail(new ConfigError('models', 'no model for "a/m"'))] });
    const out = await run({ call: provider.call });
    expect(provider.calls).toHaveLength(1);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') {
      expect(out.error).toBeInstanceOf(ConfigError);
      expect(out.error).toMatchObject({ code: 'CONFIG_INVALID', field: 'models' });
    }
  });
});

describe('a store that fails', () => {
  it("a custom store's plain Error ends the run with a coded STORE_FAILED error carrying it as cause", async () => {
    const real = openSqliteStore();
    const broken = Object.create(real, {
      openRun: { value: async () => Promise.reject(new Error('disk on fire')) },
    });
    const out = await run({ call: scriptedCall().call, store: broken });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.code).toBe('STORE_FAILED');
    expect(out.error.message).toContain('disk on fire');
    expect((out.error.cause as Error).message).toBe('disk on fire');
  });
});

describe('lease renewal', () => {
  it('a transient error while renewing the lease does not end the run; the next beat renews it', async () => {
    const real = openSqliteStore();
    let renewals = 0;
    const flaky = Object.create(real, {
      renewLease: {
        value: (...args: Parameters<typeof real.renewLease>) => {
          renewals++;
          // a custom store may even throw synchronously
          if (renewals === 1) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
          return real.renewLease(...args);
        },
      },
    });
    const clock = new SimulatedClock();
    let answer!: (v: { content: string }) => void;
    const call = () => new Promise<{ content: string }>((resolve) => (answer = resolve));
    const actor = createRunActor({ ...base, chain: ['a/m'], call, store: flaky, clock, policy: { leaseTtlMs: 3_000 } });
    actor.start();
    await waitFor(actor, (s) => s.matches('attempting'));
    clock.increment(1_000); // first beat: the renewal throws
    await new Promise((r) => setImmediate(r));
    clock.increment(1_000); // the retry: renewed
    await new Promise((r) => setImmediate(r));
    expect(renewals).toBe(2);
    expect(actor.getSnapshot().value).toBe('attempting');
    answer({ content: 'done' });
    expect((await toPromise(actor)).status).toBe('succeeded');
  });
});
