import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createRunActor, openSqliteStore, type CallRequest, type RunOutput, type RunStore } from '../../src/index.js';

// The decision walk looks at the whole chain: a wait goes to the key that frees up first (an
// earlier candidate usable again included), and a retry honours every block on its key, a
// cooldown another run wrote during the call included. Simulated clock, real SQLite.

type Answer = { error: { status: number; headers?: Record<string, string>; body: string } } | { content: string };

function scripted(script: Record<string, Answer[]>, onCall?: (req: CallRequest) => void | Promise<void>) {
  const calls: string[] = [];
  const used = new Map<string, number>();
  const call = async (req: CallRequest) => {
    const key = `${req.provider}@${req.profileId}`;
    calls.push(key);
    await onCall?.(req);
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    const list = script[key] ?? script[req.provider]!;
    const a = list[Math.min(n, list.length - 1)]!;
    if ('error' in a) throw a.error;
    return { content: a.content };
  };
  return { call, calls };
}

async function drive(clock: SimulatedClock, actor: ReturnType<typeof createRunActor>): Promise<RunOutput> {
  let out: RunOutput | undefined;
  actor.subscribe({ complete: () => (out = actor.getSnapshot().output) });
  actor.start();
  for (let i = 0; i < 2_000 && !out; i++) {
    await new Promise((r) => setImmediate(r));
    if (!out) clock.increment(50);
  }
  if (!out) throw new Error('the run did not end');
  return out;
}

const OVERLOADED = { error: { status: 503, body: '{"error":{"message":"overloaded","type":"overloaded_error"}}' } };
const UNAUTHORIZED = { error: { status: 401, body: '{"error":{"message":"invalid api key","type":"invalid_request_error","code":"invalid_api_key"}}' } };

describe('the decision walk looks at the whole chain', () => {
  it('A overloaded (short backoff), B unauthorized: the run waits for A and A answers, instead of failing', async () => {
    const clock = new SimulatedClock();
    const { call, calls } = scripted({ a: [OVERLOADED, { content: 'from a' }], b: [UNAUTHORIZED] });
    const out = await drive(clock, createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1', 'b/m2'], call, clock, store: openSqliteStore() }));
    expect(calls).toEqual(['a@a:default', 'b@b:default', 'a@a:default']);
    expect(out.status).toBe('succeeded');
    const retry = out.decisions.find((d) => d.kind === 'retry');
    expect(retry).toMatchObject({ provider: 'a', model: 'm1', detail: expect.stringContaining('the first key to free up') });
  });

  it('a wait goes to the key that frees up first: another key of the model, not the one that asked for 5 s', async () => {
    const clock = new SimulatedClock();
    const store = openSqliteStore();
    // k2 is cooling down for one more second (another run's rate limit)
    await store.putCooldown({ provider: 'a', profileId: 'k2', model: 'm1', until: 1_000, reason: 'rate_limit', failures: 1 });
    const limited = { error: { status: 429, headers: { 'retry-after': '5' }, body: '{"error":{"message":"Rate limit reached","type":"rate_limit_error"}}' } };
    const { call, calls } = scripted({ 'a@k1': [limited, { content: 'k1' }], 'a@k2': [{ content: 'k2' }] });
    const out = await drive(clock, createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1'], profiles: { a: ['k1', 'k2'] }, call, clock, store }));
    expect(calls).toEqual(['a@k1', 'a@k2']);
    expect(out.status === 'succeeded' && out.servedBy.profileId).toBe('k2');
    expect(out.attempts[1]!.startedAt).toBeLessThan(5_000);
  });

  it('a retry honours a 1 h cooldown another run wrote during the call: no retry of that key', async () => {
    const clock = new SimulatedClock();
    const store: RunStore = openSqliteStore();
    const { call, calls } = scripted({ a: [OVERLOADED, { content: 'from a' }] }, async () => {
      await store.putCooldown({ provider: 'a', until: clock.now() + 3_600_000, reason: 'quota_exhausted', failures: 1 });
    });
    const out = await drive(clock, createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hi' }], chain: ['a/m1'], call, clock, store }));
    expect(calls).toEqual(['a@a:default']);
    expect(out.status).toBe('failed');
  });
});
