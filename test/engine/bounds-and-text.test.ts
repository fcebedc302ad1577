import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { ConfigError, createRunActor, openSqliteStore, type Message, type RunActorOptions } from '../../src/index.js';

const valid: RunActorOptions = {
  sessionId: 's',
  messages: [{ role: 'user', content: 'hi' }],
  chain: ['openai/gpt-x'],
  call: async () => ({ content: 'ok' }),
};

const refusal = (patch: Record<string, unknown>): unknown => {
  try {
    createRunActor({ ...valid, ...patch } as RunActorOptions);
  } catch (err) {
    return err;
  }
  return undefined;
};

const TOO_LONG = 2 ** 31; // setTimeout fires this (and Infinity) after 1 ms

describe('timer options have bounds', () => {
  it.each([
    ['a lease below 1 s (lost to one slow statement)', { leaseTtlMs: 999 }, 'policy.leaseTtlMs'],
    ['an infinite lease (its renewal timer would fire every millisecond)', { leaseTtlMs: Number.POSITIVE_INFINITY }, 'policy.leaseTtlMs'],
    ['a lease beyond the timer range', { leaseTtlMs: TOO_LONG }, 'policy.leaseTtlMs'],
    ['an infinite attempt timeout', { attemptTimeoutMs: Number.POSITIVE_INFINITY }, 'policy.attemptTimeoutMs'],
    ['an infinite deadline', { deadlineMs: Number.POSITIVE_INFINITY }, 'policy.deadlineMs'],
    ['a lock wait beyond the timer range', { lockWaitMs: TOO_LONG }, 'policy.lockWaitMs'],
    ['a retry wait beyond the timer range', { maxRetryWaitMs: TOO_LONG }, 'policy.maxRetryWaitMs'],
    ['a backoff base beyond the timer range', { backoffBaseMs: TOO_LONG }, 'policy.backoffBaseMs'],
  ])('%s is refused with a ConfigError', (_name, policy, field) => {
    const err = refusal({ policy });
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
  });

  it('the extremes that are allowed run: a 1 s lease and timers at 2^31 − 1 ms', async () => {
    const clock = new SimulatedClock();
    const store = openSqliteStore();
    const max = 2 ** 31 - 1;
    let renewals = 0;
    const counting = { ...store, renewLease: (...a: Parameters<typeof store.renewLease>) => (renewals++, store.renewLease(...a)) };
    let answer!: (v: { content: string }) => void;
    const actor = createRunActor({
      ...valid,
      store: counting,
      clock,
      call: () => new Promise((r) => (answer = r)),
      policy: { leaseTtlMs: 1_000, attemptTimeoutMs: max, deadlineMs: max, lockWaitMs: max, maxRetryWaitMs: max },
    });
    actor.start();
    await new Promise((r) => setImmediate(r));
    // one beat per third of the lease, no storm
    for (let i = 0; i < 6; i++) {
      clock.increment(333);
      await new Promise((r) => setImmediate(r));
    }
    expect(renewals).toBe(6);
    answer({ content: 'done' });
    expect((await toPromise(actor)).status).toBe('succeeded');
    await store.close();
  });
});

describe('text the session could not hold exactly is refused up front', () => {
  it.each([
    ['a message with a lone surrogate', { messages: [{ role: 'user', content: 'broken \uD83D pair' }] }, 'messages[0].content'],
    ['a session id with a lone surrogate', { sessionId: 's\uDC00' }, 'sessionId'],
    ['a run id with a lone surrogate', { runId: 'r\uD800' }, 'runId'],
    ['a chain entry with a lone surrogate', { chain: ['openai/gpt-\uD800'] }, 'chain[0]'],
  ])('%s', (_name, patch, field) => {
    const err = refusal(patch);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
  });

  it('a provider reply with a lone surrogate is made well-formed once, so the output, the session and the next run agree', async () => {
    const store = openSqliteStore();
    const run = (call: RunActorOptions['call']) => {
      const actor = createRunActor({ ...valid, store, call });
      actor.start();
      return toPromise(actor);
    };
    const out = await run(async () => ({ content: 'half \uD83D of a pair, whole 😀' }));
    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(out.reply.content).toBe('half \uFFFD of a pair, whole 😀');
    expect((await store.listTurns('s')).map((t) => t.content)).toEqual(['hi', out.reply.content]);
    let sent: readonly Message[] = [];
    await run(async (req) => ((sent = req.messages), { content: 'ok' }));
    expect(sent.map((m) => m.content)).toEqual(['hi', out.reply.content, 'hi']);
    await store.close();
  });
});
