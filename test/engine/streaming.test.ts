import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { ConfigError, createRunActor, openSqliteStore, streamReply, type CallFn, type ReplyChunk, type RunEvent } from '../../src/index.js';

/** A streaming provider per candidate: deltas, then either the full text or a throw. */
function streamingCall(plan: Record<string, { deltas: string[]; breakWith?: unknown }>) {
  const calls: string[] = [];
  const call: CallFn = async (req) => {
    calls.push(req.provider);
    const p = plan[req.provider] ?? { deltas: ['ok'] };
    for (const d of p.deltas) {
      await new Promise((r) => setImmediate(r));
      req.onDelta?.(d);
    }
    if (p.breakWith !== undefined) throw p.breakWith;
    return { content: p.deltas.join('') };
  };
  return { call, calls };
}

function streamRun(call: CallFn, policy = {}) {
  const store = openSqliteStore();
  const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'q' }], chain: ['a/m', 'b/m'], call, store, stream: true, policy });
  const events: RunEvent[] = [];
  actor.on('*', (e) => events.push(e));
  const chunks: ReplyChunk[] = [];
  const reading = (async () => {
    for await (const c of streamReply(actor)) chunks.push(c);
  })();
  actor.start();
  return { store, events, chunks, done: Promise.all([toPromise(actor), reading]).then(([out]) => out) };
}

describe('streaming', () => {
  it('passes deltas to the host in order and persists the complete reply', async () => {
    const { call } = streamingCall({ a: { deltas: ['Hel', 'lo', ' there'] } });
    const { store, chunks, done } = streamRun(call);
    const out = await done;
    expect(out.status).toBe('succeeded');
    expect(chunks).toEqual([
      { type: 'delta', text: 'Hel', attempt: 1 },
      { type: 'delta', text: 'lo', attempt: 1 },
      { type: 'delta', text: ' there', attempt: 1 },
    ]);
    expect((await store.listTurns('s')).at(-1)?.content).toBe('Hello there');
  });

  it('a failure before the first delta fails over silently', async () => {
    const { call, calls } = streamingCall({ a: { deltas: [], breakWith: { status: 503, headers: {}, body: 'overloaded' } }, b: { deltas: ['fine'] } });
    const { events, chunks, done } = streamRun(call);
    const out = await done;
    expect(out.status).toBe('succeeded');
    expect(calls).toEqual(['a', 'b']);
    expect(events.some((e) => e.type === 'reply.reset')).toBe(false);
    expect(chunks.map((c) => c.type)).toEqual(['delta']);
  });

  it('a drop after deltas resets the reply and restarts on the next candidate; only the full reply is persisted', async () => {
    const drop = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { call, calls } = streamingCall({ a: { deltas: ['Par', 'tial'], breakWith: drop }, b: { deltas: ['Whole ', 'reply'] } });
    const { store, events, chunks, done } = streamRun(call);
    const out = await done;
    expect(out.status).toBe('succeeded');
    expect(calls).toEqual(['a', 'b']);
    expect(out.attempts[0]).toMatchObject({ outcome: 'failed', reason: 'interrupted' });
    expect(chunks.map((c) => (c.type === 'delta' ? c.text : '<reset>'))).toEqual(['Par', 'tial', '<reset>', 'Whole ', 'reply']);
    const types = events.map((e) => e.type);
    expect(types.indexOf('reply.reset')).toBeLessThan(types.lastIndexOf('attempt.started'));
    expect((await store.listTurns('s')).map((t) => t.content)).toEqual(['q', 'Whole reply']);
  });

  it("with onInterrupted: 'fail', a drop after deltas fails the run with reason interrupted and persists nothing", async () => {
    const { call, calls } = streamingCall({ a: { deltas: ['Par'], breakWith: new Error('stream ended early') } });
    const { store, done } = streamRun(call, { onInterrupted: 'fail' });
    const out = await done;
    expect(out.status).toBe('failed');
    expect(calls).toEqual(['a']);
    if (out.status === 'failed') expect(out.error).toMatchObject({ code: 'REQUEST_REJECTED', reason: 'interrupted' });
    expect(await store.listTurns('s')).toEqual([]);
  });
});

describe('streamReply() on a run it cannot stream', () => {
  const options = { sessionId: 's', messages: [{ role: 'user' as const, content: 'q' }], chain: ['a/m'], call: async () => ({ content: 'ok' }) };

  it('throws a ConfigError naming `stream` for a run created without stream: true', () => {
    const actor = createRunActor({ ...options, store: openSqliteStore() });
    expect(() => streamReply(actor)).toThrow(ConfigError);
    expect(() => streamReply(actor)).toThrow(/`stream`.*stream: true/);
  });

  it('throws a ConfigError for a run that has already ended', async () => {
    const actor = createRunActor({ ...options, store: openSqliteStore(), stream: true });
    actor.start();
    await toPromise(actor);
    let thrown: unknown;
    try {
      streamReply(actor);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ field: 'actor' });
    expect((thrown as Error).message).toContain('done');
  });
});
