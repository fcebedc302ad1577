import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createEventBus, createRunActor, openSqliteStore, type CallFn, type CallRequest, type RunEvent } from '../../src/index.js';

const base = { sessionId: 's', messages: [{ role: 'user' as const, content: 'hi' }] };

/** A `call` per provider; records every request. */
function perProvider(impl: Record<string, (req: CallRequest) => Promise<unknown>>) {
  const calls: string[] = [];
  const call = (async (req: CallRequest) => {
    calls.push(`${req.provider}/${req.model}@${req.profileId}`);
    return impl[req.provider]!(req);
  }) as CallFn;
  return { call, calls };
}

async function run(call: CallFn, chain: string[], profiles?: Record<string, string[]>) {
  const store = openSqliteStore();
  const bus = createEventBus();
  const events: RunEvent[] = [];
  bus.on('cooldown.set', (e) => events.push(e));
  const actor = createRunActor({ ...base, chain, call, store, events: bus, ...(profiles ? { profiles } : {}) });
  actor.start();
  const out = await toPromise(actor);
  return { out, store, cooldownsSet: events };
}

describe("a bug in the host's call() is a host error", () => {
  it('a TypeError from the host code is recorded as host_error, not retried on that candidate (no other key either), and the next candidate serves', async () => {
    const provider = perProvider({
      a: async (req) => {
        const res = undefined as unknown as { choices: { text: string }[] };
        return { content: res.choices[0]!.text + req.model };
      },
      b: async () => ({ content: 'served by b' }),
    });
    const { out, cooldownsSet } = await run(provider.call, ['a/m', 'b/m'], { a: ['a:1', 'a:2'] });
    expect(out.status).toBe('succeeded');
    expect(provider.calls).toEqual(['a/m@a:1', 'b/m@b:default']);
    expect(out.attempts[0]).toMatchObject({ reason: 'host_error', outcome: 'failed' });
    expect(out.attempts[0]!.message).toMatch(/^call\(\) threw TypeError: Cannot read properties of undefined/);
    expect(out.attempts[0]!.message).toContain('host-errors.test.ts');
    expect(out.decisions.some((d) => d.kind === 'retry' || d.kind === 'rotate')).toBe(false);
    expect(cooldownsSet).toEqual([]);
  });

  it('a call that resolves without a string content is a host error, named by the shape it had', async () => {
    const provider = perProvider({
      a: async () => ({ text: 'the reply under the wrong key', usage: {} }),
      b: async () => ({ content: 42 }),
    });
    const { out } = await run(provider.call, ['a/m', 'b/m']);
    expect(out.status).toBe('failed');
    expect(provider.calls).toHaveLength(2);
    expect(out.attempts.map((a) => a.reason)).toEqual(['host_error', 'host_error']);
    expect(out.attempts[0]!.message).toContain('an object with keys text, usage instead of { content: string }');
    expect(out.attempts[1]!.message).toContain('a `content` of type number');
    // values never reach the record: they may be the user's text or a credential
    expect(JSON.stringify(out.attempts)).not.toContain('the reply under the wrong key');
  });

  it("the failure message names the host's bug, not only that every provider failed", async () => {
    const provider = perProvider({
      a: async () => {
        throw new ReferenceError('openaiClient is not defined');
      },
    });
    const { out, store } = await run(provider.call, ['a/m', 'a/n']);
    expect(out.status).toBe('failed');
    if (out.status !== 'failed' || out.error.code !== 'FALLBACK_EXHAUSTED') throw new Error(`expected FALLBACK_EXHAUSTED, got ${JSON.stringify(out)}`);
    expect(out.error.message).toMatch(/The host's own code failed on 2 of them \(host_error on a\/m, a\/n\): call\(\) threw ReferenceError: openaiClient is not defined/);
    expect(out.error.candidates.map((c) => c.reason)).toEqual(['host_error', 'host_error']);
    expect(await store.getRun(out.runId)).toMatchObject({ status: 'failed', errorCode: 'FALLBACK_EXHAUSTED' });
  });

  it('a fetch failed TypeError with a refused connection is a network failure, not a host error', async () => {
    // a port nobody listens on: reserve one, then free it
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const provider = perProvider({
      a: async (req) => {
        const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', signal: req.signal });
        return { content: await res.text() };
      },
      b: async () => ({ content: 'served by b' }),
    });
    const { out } = await run(provider.call, ['a/m', 'b/m']);
    expect(out.status).toBe('succeeded');
    expect(out.attempts[0]).toMatchObject({ reason: 'network' });
  });

  it('a TypeError the host classifier reads as a provider failure keeps that meaning', async () => {
    const store = openSqliteStore();
    const provider = perProvider({
      a: async () => {
        throw new TypeError('provider sent an empty body');
      },
      b: async () => ({ content: 'ok' }),
    });
    const actor = createRunActor({
      ...base,
      chain: ['a/m', 'b/m'],
      call: provider.call,
      store,
      classify: (err) => (err instanceof TypeError ? { reason: 'server_error', scope: 'provider', retryable: false, message: err.message } : undefined),
    });
    actor.start();
    const out = await toPromise(actor);
    expect(out.attempts[0]).toMatchObject({ reason: 'server_error' });
  });
});
