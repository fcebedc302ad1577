import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise, waitFor } from 'xstate';
import {
  createRunActor,
  FallbackExhaustedError,
  openSqliteStore,
  RequestRejectedError,
  RunAbortedError,
  type RunActorOptions,
} from '../../src/index.js';
import { httpError, scriptedCall } from '../helpers/scripted-call.js';

const user = [{ role: 'user' as const, content: 'hi' }];

function start(options: Partial<RunActorOptions> & Pick<RunActorOptions, 'call' | 'chain'>) {
  const actor = createRunActor({ sessionId: 's1', messages: user, store: openSqliteStore(), ...options });
  actor.start();
  return actor;
}

describe('recovery paths', () => {
  it('rotates to the second profile of the same model after a long rate limit: 2 calls', async () => {
    const provider = scriptedCall({
      'openai-codex/gpt-5.5@codex:main': [
        httpError(429, { error: { type: 'rate_limit_exceeded', message: 'Rate limit reached for requests' } }, { 'retry-after': '30' }),
      ],
    });
    const out = await toPromise(
      start({ chain: ['openai-codex/gpt-5.5', 'deepseek/deepseek-v4-pro'], profiles: { 'openai-codex': ['codex:main', 'codex:alt'] }, call: provider.call }),
    );
    expect(out.status).toBe('succeeded');
    expect(provider.served()).toEqual(['openai-codex/gpt-5.5@codex:main', 'openai-codex/gpt-5.5@codex:alt']);
    expect(out.decisions.map((d) => d.kind)).toEqual(['select', 'rotate', 'persist']);
  });

  it('retries the same candidate with backoff on 503 then 529, on a simulated clock: 3 calls', async () => {
    const clock = new SimulatedClock();
    const provider = scriptedCall({
      'anthropic/claude-x': [
        httpError(503, { error: { type: 'overloaded_error', message: 'Overloaded' } }),
        httpError(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
        { reply: 'finally' },
      ],
    });
    const actor = start({ chain: ['anthropic/claude-x'], call: provider.call, clock, policy: { maxAttemptsPerCandidate: 3, backoffBaseMs: 1000 } });

    await waitFor(actor, (s) => s.matches('backingOff'));
    expect(provider.calls).toHaveLength(1);
    clock.increment(999);
    expect(actor.getSnapshot().value).toBe('backingOff');
    clock.increment(1);
    await waitFor(actor, (s) => s.matches('backingOff') && s.context.attempts.length === 2);
    expect(provider.calls).toHaveLength(2);
    clock.increment(1999);
    expect(actor.getSnapshot().value).toBe('backingOff');
    clock.increment(1);

    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    expect(provider.calls).toHaveLength(3);
    expect(out.decisions.filter((d) => d.kind === 'retry').map((d) => d.delayMs)).toEqual([1000, 2000]);
    expect(out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['overloaded', 'overloaded', 'ok']);
  });

  it('fails at once on a 400 that names a conversation every API refuses, with the reason: 1 call', async () => {
    const provider = scriptedCall({
      openai: [
        httpError(400, {
          error: {
            type: 'invalid_request_error',
            message: "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_1",
          },
        }),
      ],
    });
    const out = await toPromise(start({ chain: ['openai/gpt-x', 'deepseek/deepseek-v4-pro'], call: provider.call }));
    expect(provider.calls).toHaveLength(1);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error).toBeInstanceOf(RequestRejectedError);
    expect(out.error).toMatchObject({ code: 'REQUEST_REJECTED', reason: 'bad_request', status: 400 });
  });

  it("moves on from a 400 naming a parameter this API refuses (another candidate takes it): 2 calls", async () => {
    const provider = scriptedCall({
      openai: [httpError(400, { error: { type: 'invalid_request_error', message: "Unsupported parameter: 'max_tokens'", code: 'unsupported_parameter' } })],
    });
    const out = await toPromise(start({ chain: ['openai/gpt-x', 'deepseek/deepseek-v4-pro'], call: provider.call }));
    expect(out.status).toBe('succeeded');
    expect(out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['bad_request', 'ok']);
    expect(provider.calls).toHaveLength(2);
  });

  it('an abort signal stops the run and aborts its in-flight call', async () => {
    const provider = scriptedCall({ openai: [{ hang: true }] });
    const controller = new AbortController();
    const store = openSqliteStore();
    const actor = start({ chain: ['openai/gpt-x', 'deepseek/v4'], call: provider.call, signal: controller.signal, store });
    await waitFor(actor, (s) => s.matches('attempting') && provider.calls.length === 1);
    controller.abort();
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error).toBeInstanceOf(RunAbortedError);
    expect(provider.calls[0]!.signal.aborted).toBe(true);
    expect(provider.calls).toHaveLength(1);
    expect(await store.listTurns('s1')).toEqual([]);
  });

  it('stopping the actor mid-run aborts its call and lets go of the session', async () => {
    const store = openSqliteStore();
    const provider = scriptedCall({ openai: [{ hang: true }] });
    const actor = start({ chain: ['openai/gpt-x'], call: provider.call, store, policy: { lockWaitMs: 0 } });
    await waitFor(actor, (s) => s.matches('attempting') && provider.calls.length === 1);
    actor.stop();
    expect(provider.calls[0]!.signal.aborted).toBe(true);
    // the stopped run's output comes once its row is closed and its lease let go (the store is asynchronous)
    expect(await toPromise(actor)).toMatchObject({ status: 'failed', error: { code: 'RUN_ABORTED' } });
    const next = await toPromise(start({ chain: ['deepseek/v4'], call: scriptedCall().call, store, policy: { lockWaitMs: 0 } }));
    expect(next.status).toBe('succeeded');
    expect((await store.listTurns('s1')).map((t) => t.content)).toEqual(['hi', 'reply from deepseek/v4']);
  });

  it('an already-aborted signal fails the run without a call', async () => {
    const provider = scriptedCall();
    const out = await toPromise(start({ chain: ['openai/gpt-x'], call: provider.call, signal: AbortSignal.abort() }));
    expect(out.status).toBe('failed');
    expect(provider.calls).toHaveLength(0);
  });

  it('every candidate exhausted: failed, and the error names every candidate and why', async () => {
    const chain = ['openai/gpt-x', 'openai/gpt-y', 'deepseek/v4', 'moonshot/kimi'];
    const provider = scriptedCall({
      openai: [httpError(401, { error: { type: 'invalid_api_key', message: 'Incorrect API key provided' } })],
      deepseek: [httpError(402, { error: { message: 'Insufficient Balance' } })],
      moonshot: [httpError(404, { error: { type: 'resource_not_found_error', message: 'Not found the model kimi or Permission denied' } })],
    });
    const out = await toPromise(start({ chain, call: provider.call, policy: { whenAllCoolingDown: 'fail' } }));
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error).toBeInstanceOf(FallbackExhaustedError);
    const error = out.error as FallbackExhaustedError;
    expect(error.code).toBe('FALLBACK_EXHAUSTED');
    for (const c of chain) expect(error.message).toContain(c);
    expect(error.candidates.map((c) => [c.model, c.outcome])).toEqual([
      ['gpt-x', 'failed'],
      ['gpt-y', 'skipped'],
      ['v4', 'failed'],
      ['kimi', 'failed'],
    ]);
    expect(error.attempts).toHaveLength(3);
    expect(error.soonestAvailableAt).toBeGreaterThan(0);
  });
});

describe('bounded attempts', () => {
  it.each([1, 2, 3])('calls never exceed Σ profiles × maxAttemptsPerCandidate (max %i), even when every call fails', async (max) => {
    const clock = new SimulatedClock();
    const chain = ['a/m1', 'a/m2', 'b/m1', 'c/m1'];
    const profiles = { a: ['a:1', 'a:2'], b: ['b:1', 'b:2', 'b:3'] };
    const bound = (2 + 2 + 3 + 1) * max;
    // a 500 is retried before moving on, so this spends as much of the budget as the policy allows
    const provider = scriptedCall({ a: [httpError(500, 'boom')], b: [httpError(500, 'boom')], c: [httpError(500, 'boom')] });
    const actor = start({ chain, profiles, call: provider.call, clock, policy: { maxAttemptsPerCandidate: max, backoffBaseMs: 10, whenAllCoolingDown: 'fail' } });
    for (let i = 0; i < 200 && actor.getSnapshot().status === 'active'; i++) {
      await new Promise((r) => setImmediate(r));
      clock.increment(1000);
    }
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    expect(provider.calls.length).toBeLessThanOrEqual(bound);
    expect(new Set(provider.calls.map((c) => c.provider))).toEqual(new Set(["a", "b", "c"]));
  });
});

describe('the deadline bounds the wait for a busy session', () => {
  it('a run whose deadline is shorter than lockWaitMs gives up on a busy session by its deadline', async () => {
    const store = openSqliteStore();
    const holder = start({ chain: ['a/m'], call: scriptedCall({ a: [{ hang: true }] }).call, store });
    await waitFor(holder, (s) => s.matches('attempting'));
    const waiter = start({ chain: ['a/m'], call: scriptedCall().call, store, policy: { deadlineMs: 30, lockWaitMs: 60_000 } });
    const out = await toPromise(waiter);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error.code).toBe('SESSION_BUSY');
    holder.stop();
  });
});
