import { afterEach, describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore, streamReply, type PolicyOverrides, type ReplyChunk } from '../../src/index.js';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type Step } from '../../src/providers/emulator/index.js';
import { clients } from './helpers/clients.js';
import { googleModel, openAiCompatibleModel } from './helpers/models.js';

// Stream faults through the whole engine over real HTTP: a two-candidate chain whose first
// candidate breaks (in each wire format) and whose second answers. The caller must get the
// fallback's complete answer, never a fragment, with a reply.reset when text was shown.

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

type MakeModel = (typeof clients)[number][1];
const FALLBACK = ['The ', 'whole ', 'reply.'];

async function run(first: Step, firstModel: MakeModel, options: { stream?: boolean; chain?: [string, string]; policy?: PolicyOverrides } = {}) {
  const [primary, backup] = options.chain ?? ['a/m1', 'b/m2'];
  const e = (emu = await startEmulator({
    scenario: [
      { provider: primary.split('/')[0], steps: [first] },
      { provider: backup.split('/')[0], steps: [{ reply: FALLBACK }] },
    ],
  }));
  const store = openSqliteStore();
  const call = fromAiSdk((provider, model) => (provider === primary.split('/')[0] ? firstModel(e, provider, model) : openAiCompatibleModel(e, provider, model)));
  const stream = options.stream ?? true;
  const actor = createRunActor({ sessionId: 's', messages: [{ role: 'user', content: 'hello' }], chain: [primary, backup], call, store, stream, policy: options.policy });
  const chunks: ReplyChunk[] = [];
  // streamReply() refuses a run created without stream: true
  const reading = (async () => {
    if (stream) for await (const c of streamReply(actor)) chunks.push(c);
  })();
  actor.start();
  const out = await toPromise(actor);
  await reading;
  await e.waitForNoConnections();
  return {
    out,
    shown: chunks.map((c) => (c.type === 'delta' ? c.text : '<reset>')).join(''),
    persisted: (await store.listTurns('s')).map((t) => t.content),
    calls: e.requests().map((r) => `${r.provider}:${r.outcome}`),
  };
}

describe.each(clients)('first candidate over %s breaks mid-stream; the second answers', (_client, makeModel) => {
  it('cut after 2 deltas: the caller sees the fragment, a reset, then the whole fallback reply; only that is persisted', async () => {
    const { out, shown, persisted, calls } = await run({ dropAfterDeltas: 2, reply: ['Par', 'tial ', 'never sent'] }, makeModel);
    expect(out.status).toBe('succeeded');
    expect(shown).toBe('Partial <reset>The whole reply.');
    expect(persisted).toEqual(['hello', 'The whole reply.']);
    expect(out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['interrupted', 'ok']);
    expect(calls).toEqual(['a:dropped', 'b:reply']);
  });

  it('a malformed chunk after text: the attempt fails cleanly, a reset, then the fallback; nothing of the broken stream persists', async () => {
    const { out, shown, persisted } = await run({ reply: ['Good ', 'start ', 'and end.'], malformedChunkAfterDeltas: 1 }, makeModel);
    expect(out.status).toBe('succeeded');
    expect(shown).toBe('Good <reset>The whole reply.');
    expect(persisted).toEqual(['hello', 'The whole reply.']);
    if (out.status === 'succeeded') expect(out.servedBy).toMatchObject({ provider: 'b', model: 'm2' });
  });

  it('a malformed chunk before any text: the fallback streams with no reset', async () => {
    // One attempt per candidate: the retry of a server_error on the same candidate would only add a real backoff wait.
    const { out, shown } = await run({ reply: ['Good ', 'end.'], malformedChunkAfterDeltas: 0 }, makeModel, { policy: { maxAttemptsPerCandidate: 1 } });
    expect(out.status).toBe('succeeded');
    expect(shown).toBe('The whole reply.');
    expect(out.attempts.map((a) => a.reason ?? 'ok')).toEqual(['server_error', 'ok']);
  });

  it('no end marker after a complete answer: the first candidate serves it at once, no reset, no second call', async () => {
    const { out, shown, persisted, calls } = await run({ reply: ['Complete ', 'first ', 'answer.'], noSentinel: true }, makeModel);
    expect(out.status).toBe('succeeded');
    expect(shown).toBe('Complete first answer.');
    expect(persisted).toEqual(['hello', 'Complete first answer.']);
    expect(calls).toEqual(['a:reply']);
  });
});

describe('a Gemini 200 with a blocked prompt escalates to the next candidate', () => {
  it.each([false, true])('promptFeedback.blockReason is content_policy; deepseek answers (stream: %s)', async (stream) => {
    const { out, shown, persisted, calls } = await run({ blocked: true, blockReason: 'SAFETY' }, googleModel, {
      stream,
      chain: ['google/gemini-2.5-flash', 'deepseek/deepseek-v4-pro'],
    });
    expect(out.status).toBe('succeeded');
    if (out.status === 'succeeded') expect(out.servedBy).toMatchObject({ provider: 'deepseek', model: 'deepseek-v4-pro' });
    expect(out.attempts).toMatchObject([
      { provider: 'google', outcome: 'failed', reason: 'content_policy' },
      { provider: 'deepseek', outcome: 'succeeded' },
    ]);
    expect(persisted).toEqual(['hello', 'The whole reply.']);
    expect(calls).toEqual(['google:blocked', 'deepseek:reply']);
    if (stream) expect(shown).toBe('The whole reply.');
  });
});
