import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, type CallFn, type RunActorOptions } from '../../src/index.js';
import { fail, scriptedCall } from '../helpers/scripted-call.js';

// What a host's `call` throws reaches the classifier through the engine as is: these runs check
// that the classification, not the shape of the thrown value, decides what the run does next.

const user = [{ role: 'user' as const, content: 'hi' }];

function run(options: Partial<RunActorOptions> & Pick<RunActorOptions, 'call' | 'chain'>) {
  const store = openSqliteStore();
  const actor = createRunActor({ sessionId: 's1', messages: user, store, ...options });
  actor.start();
  return { actor, store };
}

/** A value whose every trap throws: reading anything of it fails. */
function hostileProxy(): object {
  const boom = (): never => {
    throw new Error('trap');
  };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom });
}

describe('what the host throws, through createRunActor', () => {
  it("an AbortError of the host's own timeout (the run's signal not aborted) is a timeout that moves on, not RUN_ABORTED", async () => {
    // The host wraps each call in its own deadline, as with AbortSignal.timeout(): its AbortError is
    // thrown while the signal the engine gave the call is untouched.
    const hostTimeout = (): unknown => {
      const own = new AbortController();
      own.abort();
      return own.signal.reason;
    };
    const provider = scriptedCall({ openai: [fail(hostTimeout())] });
    const { actor, store } = run({ chain: ['openai/gpt-x', 'deepseek/deepseek-v4-pro'], call: provider.call, policy: { maxAttemptsPerCandidate: 1 } });
    const out = await toPromise(actor);

    expect((hostTimeout() as Error).name).toBe('AbortError');
    expect(provider.calls[0]?.signal.aborted).toBe(false);
    expect(out.status).toBe('succeeded');
    expect(out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['timeout', 'ok']);
    expect(provider.served()).toEqual(['openai/gpt-x@openai:default', 'deepseek/deepseek-v4-pro@deepseek:default']);
    expect((await store.listTurns('s1')).map((t) => t.role)).toEqual(['user', 'assistant']);
  });

  it('the same AbortError after the run itself was cancelled ends the run as aborted', async () => {
    const controller = new AbortController();
    const call: CallFn = async (req) => {
      controller.abort();
      throw req.signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
    };
    const { actor } = run({ chain: ['openai/gpt-x', 'deepseek/deepseek-v4-pro'], call, signal: controller.signal });
    const out = await toPromise(actor);
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error).toMatchObject({ code: 'RUN_ABORTED' });
  });

  it('a thrown Proxy whose traps all throw is classified, and the run moves on (no store failure)', async () => {
    const provider = scriptedCall({ openai: [fail(hostileProxy())] });
    const { actor, store } = run({ chain: ['openai/gpt-x', 'deepseek/deepseek-v4-pro'], call: provider.call, policy: { maxAttemptsPerCandidate: 1 } });
    const out = await toPromise(actor);

    expect(out.status).toBe('succeeded');
    expect(out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['unknown', 'ok']);
    expect(provider.served()).toEqual(['openai/gpt-x@openai:default', 'deepseek/deepseek-v4-pro@deepseek:default']);
    expect((await store.listTurns('s1')).map((t) => t.content)).toEqual(['hi', 'reply from deepseek/deepseek-v4-pro']);
  });
});
