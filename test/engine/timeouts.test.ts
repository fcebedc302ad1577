import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { ConfigError, createRunActor, openSqliteStore, type CallRequest, type PolicyOverrides, type RunActorOptions } from '../../src/index.js';

// What a timeout does to the rest of the run: a hung provider is left for another provider
// (not retried key by key), a second timeout there blocks it for the run, and a retry waits
// for every block on its key. The run's clock is simulated; a hung call never settles.

const tick = () => new Promise((r) => setImmediate(r));

function hungRun(answers: Record<string, 'hang' | 'ok'>, chain: string[], profiles: RunActorOptions['profiles'], policy: PolicyOverrides = {}) {
  const clock = new SimulatedClock();
  const calls: string[] = [];
  const call = (req: CallRequest) => {
    calls.push(`${req.provider}/${req.model}@${req.profileId}`);
    return answers[req.provider] === 'hang' ? new Promise<never>(() => undefined) : Promise.resolve({ content: `from ${req.provider}` });
  };
  const actor: ReturnType<typeof createRunActor> = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain, profiles, call, clock, store: openSqliteStore(), policy });
  actor.start();
  return { clock, calls, done: toPromise(actor) };
}

async function advance(clock: SimulatedClock, ms: number, steps = 1) {
  for (let i = 0; i < steps; i++) {
    await tick();
    clock.increment(ms);
    await tick();
  }
}

describe('a timeout leaves the provider', () => {
  it('one hang on the first key: the next provider answers, the provider’s other key is never called', async () => {
    const r = hungRun({ a: 'hang', b: 'ok' }, ['a/m1', 'b/m2'], { a: ['a:k1', 'a:k2'] });
    await advance(r.clock, 120_000);
    const out = await r.done;
    expect(out.status).toBe('succeeded');
    expect(r.calls).toEqual(['a/m1@a:k1', 'b/m2@b:default']);
  });

  it("with onTimeout: 'next_key' the provider's other key is tried first", async () => {
    const r = hungRun({ a: 'hang', b: 'ok' }, ['a/m1', 'b/m2'], { a: ['a:k1', 'a:k2'] }, { onTimeout: 'next_key' });
    await advance(r.clock, 120_000);
    await tick();
    expect(r.calls).toEqual(['a/m1@a:k1', 'a/m1@a:k2']);
  });

  it('the same provider’s other model is skipped too', async () => {
    const r = hungRun({ a: 'hang', b: 'ok' }, ['a/m1', 'a/m2', 'b/m3'], undefined);
    await advance(r.clock, 120_000);
    await r.done;
    expect(r.calls).toEqual(['a/m1@a:default', 'b/m3@b:default']);
  });

  it('with nothing else left it is retried once after the backoff; a second timeout blocks it for the run', async () => {
    const r = hungRun({ a: 'hang' }, ['a/m1'], { a: ['a:k1', 'a:k2'] }, { maxAttemptsPerCandidate: 3, backoffBaseMs: 500 });
    await advance(r.clock, 120_000);
    await advance(r.clock, 500);
    await advance(r.clock, 120_000);
    const out = await r.done;
    expect(out.status).toBe('failed');
    expect(r.calls).toEqual(['a/m1@a:k1', 'a/m1@a:k1']);
    expect(out.attempts.map((a) => a.reason)).toEqual(['timeout', 'timeout']);
  });
});

describe('the limits are validated', () => {
  it.each([
    [{ firstTokenTimeoutMs: 0 }, 'policy.firstTokenTimeoutMs'],
    [{ streamIdleTimeoutMs: Number.POSITIVE_INFINITY }, 'policy.streamIdleTimeoutMs'],
    [{ streamIdleTimeoutMs: '30s' }, 'policy.streamIdleTimeoutMs'],
    [{ onTimeout: 'retry' }, 'policy.onTimeout'],
  ])('%j is refused naming %s', (policy, field) => {
    let err: unknown;
    try {
      createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m'], call: async () => ({ content: '' }), policy: policy as PolicyOverrides });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
  });
});

describe('a healthy stream is cut only by the deadline', () => {
  it('a stream that keeps producing past attemptTimeoutMs is not cut; at the deadline the run fails and the shown text gets its reset', async () => {
    const clock = new SimulatedClock();
    const events: string[] = [];
    const call = (req: CallRequest) => {
      const beat = () => {
        if (req.signal.aborted) return;
        req.onDelta?.('tok ');
        clock.setTimeout(beat, 20_000);
      };
      beat();
      return new Promise<never>(() => undefined);
    };
    const actor = createRunActor({
      sessionId: 's',
      messages: [{ role: 'user', content: 'hi' }],
      chain: ['a/m1'],
      call,
      clock,
      stream: true,
      store: openSqliteStore(),
      policy: { attemptTimeoutMs: 30_000, deadlineMs: 200_000 },
    });
    actor.on('*', (e) => events.push(e.type));
    actor.start();
    const done = toPromise(actor);
    await advance(clock, 20_000, 9); // 180 s: six times attemptTimeoutMs, still producing
    expect(events).not.toContain('attempt.failed');
    await advance(clock, 20_000, 1);
    const out = await done;
    expect(out.status === 'failed' && out.error.code).toBe('DEADLINE_EXCEEDED');
    expect(out.attempts).toMatchObject([{ reason: 'timeout', streamed: true }]);
    expect(events.slice(-2)).toEqual(['reply.reset', 'run.failed']);
  });
});
