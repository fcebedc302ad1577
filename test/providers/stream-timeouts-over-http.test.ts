import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import { createRunActor, openSqliteStore, streamReply, type PolicyOverrides, type ReplyChunk } from '../../src/index.js';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type Step } from '../../src/providers/emulator/index.js';
import { clients } from './helpers/clients.js';
import { openAiCompatibleModel, until } from './helpers/models.js';

// The three clocks of an attempt (first token, stream idle, attempt timeout) against a provider
// that is slow, stalls or never answers, over real HTTP through fromAiSdk, on a simulated run
// clock: the caller gets the fallback's complete answer, never a fragment.

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

type MakeModel = (typeof clients)[number][1];
const FALLBACK = ['The ', 'whole ', 'reply.'];

async function run(first: Step, firstModel: MakeModel, opts: { stream?: boolean; policy?: PolicyOverrides; advanceMs: number; afterDeltas?: number }) {
  const e = (emu = await startEmulator({
    scenario: [
      { provider: 'a', steps: [first] },
      { provider: 'b', steps: [{ reply: FALLBACK }] },
    ],
  }));
  const clock = new SimulatedClock();
  const store = openSqliteStore();
  const call = fromAiSdk((provider, model) => (provider === 'a' ? firstModel(e, provider, model) : openAiCompatibleModel(e, provider, model)));
  const stream = opts.stream ?? true;
  const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hello' }], chain: ['a/m1', 'b/m2'], call, store, stream, clock, policy: opts.policy });
  const chunks: ReplyChunk[] = [];
  const reading = (async () => {
    if (stream) for await (const c of streamReply(actor)) chunks.push(c);
  })();
  actor.start();
  await until(() => e.requests().length >= 1, 'the primary got the request');
  if (opts.afterDeltas) await until(() => chunks.length === opts.afterDeltas, 'the primary streamed its first deltas');
  // one millisecond short of the limit: nothing moves yet
  clock.increment(opts.advanceMs - 1);
  await new Promise((r) => setTimeout(r, 20));
  const earlyCalls = e.requests().length;
  clock.increment(1);
  const out = await toPromise(actor);
  await reading;
  await e.waitForNoConnections();
  return {
    out,
    earlyCalls,
    shown: chunks.map((c) => (c.type === 'delta' ? c.text : '<reset>')).join(''),
    persisted: (await store.listTurns('s')).map((t) => t.content),
    stored: await store.getRun(out.runId),
    calls: e.requests().map((r) => `${r.provider}:${r.outcome}`),
  };
}

describe.each(clients)('primary over %s is slow or silent; the next provider answers', (_client, makeModel) => {
  it('first token after 10 minutes (headers at once): cut at firstTokenTimeoutMs (15 s), the fallback answers in full', async () => {
    const r = await run({ reply: 'late', firstTokenDelayMs: 600_000 }, makeModel, { advanceMs: 15_000 });
    expect(r.earlyCalls).toBe(1);
    expect(r.out.status).toBe('succeeded');
    expect(r.shown).toBe('The whole reply.');
    expect(r.persisted).toEqual(['hello', 'The whole reply.']);
    expect(r.out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['timeout', 'ok']);
    expect(r.calls).toEqual(['a:reply', 'b:reply']);
  });

  it('stall after 2 deltas: cut at streamIdleTimeoutMs (30 s), a reset, then the fallback answer', async () => {
    const r = await run({ stallAfterDeltas: 2, reply: ['Par', 'tial ', 'never'] }, makeModel, { advanceMs: 30_000, afterDeltas: 2 });
    expect(r.earlyCalls).toBe(1);
    expect(r.out.status).toBe('succeeded');
    expect(r.shown).toBe('Partial <reset>The whole reply.');
    expect(r.persisted).toEqual(['hello', 'The whole reply.']);
    expect(r.out.attempts).toMatchObject([{ reason: 'timeout', streamed: true }, { outcome: 'succeeded' }]);
    expect(r.stored?.attempts.map((a) => a.streamed ?? false)).toEqual([true, true]);
  });

  it('accepts and never answers, streamed: cut at the first-token limit', async () => {
    const r = await run({ hang: true }, makeModel, { advanceMs: 15_000 });
    expect(r.out.status).toBe('succeeded');
    expect(r.shown).toBe('The whole reply.');
    expect(r.calls).toEqual(['a:hang', 'b:reply']);
  });

  it('accepts and never answers, not streamed: cut at attemptTimeoutMs, and the next provider (not another key) answers', async () => {
    const r = await run({ hang: true }, makeModel, { stream: false, advanceMs: 120_000 });
    expect(r.out.status).toBe('succeeded');
    if (r.out.status === 'succeeded') expect(r.out.text).toBe('The whole reply.');
    expect(r.calls).toEqual(['a:hang', 'b:reply']);
    // the answer's cost is the serving call's, as its provider reported it; each attempt keeps its own, stored too
    if (r.out.status !== 'succeeded') return;
    expect(r.out).toMatchObject({ usage: { totalTokens: expect.any(Number) }, finishReason: 'stop', responseModel: 'm2' });
    expect(r.out.attempts.map((a) => a.usage)).toEqual([undefined, r.out.usage]);
    expect(r.stored?.attempts.map((a) => a.usage)).toEqual([undefined, r.out.usage]);
  });
});

describe.each(clients)('primary over %s resets the connection before its headers', (_client, makeModel) => {
  it('a network failure: the next provider answers in full, nothing was shown before it', async () => {
    const r = await run({ reset: true }, makeModel, { advanceMs: 1 });
    expect(r.out.status).toBe('succeeded');
    expect(r.shown).toBe('The whole reply.');
    expect(r.out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['network', 'ok']);
  });
});

describe('limits are policy', () => {
  it('a shorter firstTokenTimeoutMs cuts sooner', async () => {
    const r = await run({ reply: 'late', firstTokenDelayMs: 600_000 }, clients[0][1], { advanceMs: 2_000, policy: { firstTokenTimeoutMs: 2_000 } });
    expect(r.earlyCalls).toBe(1);
    expect(r.out.attempts[0]).toMatchObject({ reason: 'timeout', durationMs: 2_000 });
  });
});
