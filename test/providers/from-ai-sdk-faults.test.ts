import { APICallError } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyError } from '../../src/classify/index.js';
import { fromAiSdk, ProviderResponseError } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type EmulatorOptions, type Step } from '../../src/providers/emulator/index.js';
import type { CallFn } from '../../src/types.js';
import { clients, rejection } from './helpers/clients.js';
import { anthropicModel, callRequest, googleModel, openAiCompatibleModel, until } from './helpers/models.js';

// Each stream fault of the emulator, through an AI SDK client and fromAiSdk over real HTTP:
// what the call resolves or throws, and that no connection is left behind. The engine-level
// fallbacks are in stream-faults-over-http.test.ts.

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (options: EmulatorOptions) => (emu = await startEmulator(options));
const only = (step: Step) => start({ scenario: [{ steps: [step] }] });
type MakeModel = (typeof clients)[number][1];
const callThrough = (e: Emulator, makeModel: MakeModel): CallFn => fromAiSdk((provider, model) => makeModel(e, provider, model));

describe.each(clients)('%s: usage, finish reason and response model', (client, makeModel) => {
  it.each([false, true])('a complete answer carries the model the provider names and its finish reason (stream: %s)', async (streaming) => {
    const e = await only({ reply: ['Hello ', 'there.'], responseModel: 'served-2026-01' });
    const result = await callThrough(e, makeModel)(callRequest({ model: 'alias', ...(streaming ? { onDelta: () => undefined } : {}) }));
    expect(result).toMatchObject({ content: 'Hello there.', finishReason: 'stop', responseModel: 'served-2026-01' });
    // OpenAI-compatible streams carry usage only when the host set includeUsage (next test).
    if (client === 'openai-compatible' && streaming) expect(result.usage).toBeUndefined();
    else expect(result.usage).toEqual({ inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number) });
    if (result.usage) expect(result.usage.totalTokens).toBe(result.usage.inputTokens! + result.usage.outputTokens!);
  });
});

describe('openai-compatible: stream usage needs includeUsage', () => {
  it('with includeUsage the request asks for it (stream_options) and the result carries it', async () => {
    const e = await only({ reply: 'Counted words here.' });
    const call = fromAiSdk((provider, model) => openAiCompatibleModel(e, provider, model, 'sk', true));
    const streamed = await call(callRequest({ onDelta: () => undefined }));
    const plain = await call(callRequest());
    expect(streamed.usage).toEqual(plain.usage);
    expect(streamed.usage?.outputTokens).toBeGreaterThan(0);
  });
});

describe.each(clients)('%s: cut after n deltas (socket closed mid-answer)', (_client, makeModel) => {
  it('forwards the n deltas, then rejects: a fragment is never the answer', async () => {
    const e = await only({ dropAfterDeltas: 2, reply: ['One ', 'two ', 'three.'] });
    const deltas: string[] = [];
    const err = await rejection(callThrough(e, makeModel)(callRequest({ onDelta: (d) => deltas.push(d) })));
    expect(deltas).toEqual(['One ', 'two ']);
    expect(classifyError(err).reason).not.toBe('bad_request');
    await e.waitForNoConnections();
  });
});

describe.each(clients)('%s: a malformed chunk mid-stream', (_client, makeModel) => {
  it('fails the attempt with the parse error, forwards nothing of the broken chunk, and closes the connection', async () => {
    const e = await only({ reply: ['Good ', 'start ', 'and end.'], malformedChunkAfterDeltas: 1 });
    const deltas: string[] = [];
    const err = await rejection(callThrough(e, makeModel)(callRequest({ onDelta: (d) => deltas.push(d) })));
    expect((err as Error).name).toBe('AI_JSONParseError');
    expect(deltas).toEqual(['Good ']);
    expect(classifyError(err).reason).toBe('server_error');
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'reply', stream: true }]);
  });
});

describe.each(clients)('%s: no end marker ([DONE] / message_stop), then a clean close', (_client, makeModel) => {
  it('resolves with the whole answer as soon as the connection closes, with its usage', async () => {
    const e = await only({ reply: ['Complete ', 'answer.'], noSentinel: true });
    const call = fromAiSdk((provider, model) =>
      makeModel === openAiCompatibleModel ? openAiCompatibleModel(e, provider, model, 'sk', true) : makeModel(e, provider, model),
    );
    const result = await call(callRequest({ onDelta: () => undefined }));
    expect(result).toMatchObject({ content: 'Complete answer.', finishReason: 'stop', usage: { outputTokens: expect.any(Number) } });
    await e.waitForNoConnections();
  });
});

describe.each(clients)('%s: first token late (headers at once, then silence)', (_client, makeModel) => {
  it('shows no activity while the first token is held back; the attempt signal ends it and the socket closes', async () => {
    const e = await only({ reply: 'late', firstTokenDelayMs: 600_000 });
    const controller = new AbortController();
    let activity = 0;
    let streamOpened = false;
    const call = fromAiSdk((provider, model) => {
      const m = makeModel(e, provider, model);
      const doStream = m.doStream.bind(m);
      // Resolves once the response headers (and, for Anthropic, message_start) arrived.
      m.doStream = async (options) => {
        const opened = await doStream(options);
        streamOpened = true;
        return opened;
      };
      return m;
    });
    const pending = rejection(call(callRequest({ signal: controller.signal, onDelta: () => undefined, onActivity: () => activity++ })));
    await until(() => streamOpened, 'the stream opened');
    controller.abort(new DOMException('no first token', 'TimeoutError'));
    expect((await pending as Error).name).toMatch(/AbortError|TimeoutError/);
    expect(activity).toBe(0);
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'reply', end: 'client_closed' }]);
  });
});

describe.each(clients)('%s: stall after n deltas (connection open, nothing more)', (_client, makeModel) => {
  it('forwards the n deltas with activity for each; the attempt signal ends the wait and the socket closes', async () => {
    const e = await only({ stallAfterDeltas: 2, reply: ['a ', 'b ', 'c'] });
    const controller = new AbortController();
    const deltas: string[] = [];
    let activity = 0;
    const pending = rejection(callThrough(e, makeModel)(callRequest({ signal: controller.signal, onDelta: (d) => deltas.push(d), onActivity: () => activity++ })));
    await until(() => deltas.length === 2, 'two deltas arrived');
    controller.abort(new DOMException('stream idle', 'TimeoutError'));
    await pending;
    expect(deltas).toEqual(['a ', 'b ']);
    expect(activity).toBe(2);
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'stalled', end: 'client_closed' }]);
  });
});

describe.each(clients)('%s: reset before headers', (_client, makeModel) => {
  it.each([false, true])('rejects with the client’s connection error, classified network (stream: %s)', async (streaming) => {
    const e = await only({ reset: true });
    const err = await rejection(callThrough(e, makeModel)(callRequest(streaming ? { onDelta: () => undefined } : {})));
    expect(APICallError.isInstance(err)).toBe(true);
    expect(classifyError(err).reason).toBe('network');
    expect(e.requests()).toMatchObject([{ outcome: 'reset', end: 'server_dropped' }]);
  });
});

describe.each(clients)('%s: a 200 that refuses (blocked prompt, content filter, refusal)', (_client, makeModel) => {
  it.each([false, true])('is a content_filter ProviderResponseError, never an empty reply; classified content_policy (stream: %s)', async (streaming) => {
    const e = await only({ blocked: true });
    const deltas: string[] = [];
    const err = await rejection(callThrough(e, makeModel)(callRequest(streaming ? { onDelta: (d) => deltas.push(d) } : {})));
    expect(err).toBeInstanceOf(ProviderResponseError);
    expect(err).toMatchObject({ code: 'content_filter', finishReason: 'content-filter' });
    expect(classifyError(err).reason).toBe('content_policy');
    expect(deltas).toEqual([]);
  });
});

describe('google: the blocked prompt keeps what Gemini reported', () => {
  it('names the block reason and keeps the prompt tokens it billed', async () => {
    const e = await only({ blocked: true, blockReason: 'PROHIBITED_CONTENT' });
    const err = await rejection(fromAiSdk((provider, model) => googleModel(e, provider, model))(callRequest({ provider: 'google', model: 'gemini-2.5-flash' })));
    expect(err).toMatchObject({
      message: expect.stringContaining('PROHIBITED_CONTENT'),
      usage: { inputTokens: expect.any(Number), totalTokens: expect.any(Number) },
    });
  });
});

describe('down for a window, then healthy (the emulator clock is injected)', () => {
  it('fails with the outage inside the window and answers after it', async () => {
    let now = 10_000;
    const e = await start({
      now: () => now,
      scenario: [
        { provider: 'anthropic', until: 20_000, steps: [{ error: { status: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' } }] },
        { provider: 'anthropic', steps: [{ reply: 'Back.' }] },
      ],
    });
    const call = fromAiSdk((provider, model) => anthropicModel(e, provider, model));
    const req = callRequest({ provider: 'anthropic', model: 'claude-x' });
    const during = await rejection(call(req));
    expect(classifyError(during).reason).toBe('overloaded');
    now = 20_000;
    await expect(call(req)).resolves.toMatchObject({ content: 'Back.' });
  });
});
