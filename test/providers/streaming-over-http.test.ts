import { afterEach, describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, streamReply, type PolicyOverrides, type ReplyChunk } from '../../src/index.js';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type Step } from '../../src/providers/emulator/index.js';
import { openAiCompatibleModel } from './helpers/models.js';

// Issue 6's streaming acceptance through the whole engine over real HTTP: SSE from the
// emulator, read by the AI SDK openai-compatible provider through fromAiSdk, run with stream: true.

const KEYS: Record<string, string> = { 'sk-emu-a': 'a:main', 'sk-emu-b': 'b:main' };
const KEY_OF_PROFILE = Object.fromEntries(Object.entries(KEYS).map(([key, id]) => [id, key]));

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function streamRun(first: Step, policy: PolicyOverrides = {}) {
  const e = (emu = await startEmulator({
    keys: KEYS,
    scenario: [
      { provider: 'a', steps: [first] },
      { provider: 'b', steps: [{ reply: ['The ', 'whole ', 'reply.'] }] },
    ],
  }));
  const store = openSqliteStore();
  const call = fromAiSdk((provider, model, profileId) => openAiCompatibleModel(e, provider, model, KEY_OF_PROFILE[profileId]));
  const actor = createRunActor({
    sessionId: 's',
    messages: [{ role: 'user', content: 'hello' }],
    chain: ['a/m1', 'b/m2'],
    profiles: { a: ['a:main'], b: ['b:main'] },
    call,
    store,
    stream: true,
    policy,
  });
  const chunks: ReplyChunk[] = [];
  const reading = (async () => {
    for await (const c of streamReply(actor)) chunks.push(c);
  })();
  actor.start();
  const out = await toPromise(actor);
  await reading;
  const text = chunks.map((c) => (c.type === 'delta' ? c.text : '<reset>')).join('');
  return { e, out, text, turns: (await store.listTurns('s')).map((t) => t.content), streamed: e.requests().map((r) => r.stream) };
}

describe('streaming through the engine over real HTTP', () => {
  it('deltas arrive in order and the complete reply is persisted', async () => {
    const { out, text, turns, streamed } = await streamRun({ reply: ['Hel', 'lo ', 'there.'] });
    expect(out.status).toBe('succeeded');
    expect(text).toBe('Hello there.');
    expect(turns).toEqual(['hello', 'Hello there.']);
    expect(streamed).toEqual([true]);
  });

  it('a failure before the first delta fails over silently: no reset, the next candidate streams', async () => {
    const { out, text, turns } = await streamRun({ error: { status: 503, headers: {}, body: '{"error":{"message":"Service Unavailable"}}' } });
    expect(out.status).toBe('succeeded');
    expect(text).toBe('The whole reply.');
    expect(turns.at(-1)).toBe('The whole reply.');
  });

  it('a drop after deltas yields reply.reset, then the next candidate; only its full reply is persisted', async () => {
    const { e, out, text, turns } = await streamRun({ dropAfterDeltas: 2, reply: ['Par', 'tial ', 'never sent'] });
    expect(out.status).toBe('succeeded');
    expect(text).toBe('Partial <reset>The whole reply.');
    expect(out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['interrupted', 'ok']);
    expect(turns).toEqual(['hello', 'The whole reply.']);
    expect(e.requests().map((r) => `${r.provider}:${r.outcome}`)).toEqual(['a:dropped', 'b:reply']);
  });

  it("with onInterrupted: 'fail', a drop after deltas fails the run as interrupted and persists nothing", async () => {
    const { out, turns } = await streamRun({ dropAfterDeltas: 1, reply: ['Par', 'tial'] }, { onInterrupted: 'fail' });
    expect(out.status).toBe('failed');
    if (out.status === 'failed') expect(out.error).toMatchObject({ code: 'REQUEST_REJECTED', reason: 'interrupted' });
    expect(turns).toEqual([]);
  });
});
