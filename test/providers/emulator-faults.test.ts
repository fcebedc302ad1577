import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { startEmulator, type Emulator, type EmulatorOptions, type Step } from '../../src/providers/emulator/index.js';
import { until } from './helpers/models.js';
import { chat, gemini, messages, sseData, tryJson } from './helpers/wire.js';

// The faults at the wire, read with plain fetch: what each one puts on the socket. How the AI
// SDK clients and fromAiSdk take them is in from-ai-sdk-faults.test.ts.

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (options: EmulatorOptions = {}) => (emu = await startEmulator(options));
const only = (step: Step) => start({ scenario: [{ steps: [step] }] });

type OpenAiChunk = { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: unknown; model: string };

describe('emulator: the Gemini wire format', () => {
  it('answers generateContent as JSON with candidates, finish reason, usage and model version', async () => {
    const e = await only({ reply: 'Hello from Gemini.' });
    const res = await gemini(e, 'google', 'gemini-2.5-flash', { systemInstruction: { parts: [{ text: 'Be brief.' }] } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      candidates: [{ content: { parts: [{ text: 'Hello from Gemini.' }], role: 'model' }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: expect.any(Number), candidatesTokenCount: expect.any(Number), totalTokenCount: expect.any(Number) },
      modelVersion: 'gemini-2.5-flash',
    });
    expect(e.requests()).toMatchObject([
      {
        provider: 'google',
        api: 'gemini-generate',
        model: 'gemini-2.5-flash',
        stream: false,
        prompt: [
          { role: 'system', text: 'Be brief.' },
          { role: 'user', text: 'hi' },
        ],
      },
    ]);
  });

  it('streams streamGenerateContent as SSE chunks; the last carries finish and usage; no end marker', async () => {
    const e = await only({ reply: ['One ', 'two.'] });
    const res = await gemini(e, 'google', 'gemini-2.5-pro', {}, { stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const chunks = sseData(await res.text()).map((d) => JSON.parse(d) as { candidates: { content?: { parts: { text: string }[] }; finishReason?: string }[]; usageMetadata?: unknown });
    expect(chunks.map((c) => c.candidates[0]?.content?.parts[0]?.text ?? '').join('')).toBe('One two.');
    expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP' }], usageMetadata: { totalTokenCount: expect.any(Number) } });
    expect(e.requests()).toMatchObject([{ api: 'gemini-generate', model: 'gemini-2.5-pro', stream: true, outcome: 'reply', end: 'completed' }]);
  });

  it('maps x-goog-api-key (or ?key=) to key ids, and refuses an unknown key with Gemini’s 400 API_KEY_INVALID', async () => {
    const e = await start({ keys: { 'gm-1': 'google:main' } });
    expect((await gemini(e, 'google', 'g', {}, { key: 'gm-1' })).status).toBe(200);
    const viaQuery = await fetch(`${e.baseUrl('google')}/models/g:generateContent?key=gm-1`, { method: 'POST', body: '{"contents":[]}' });
    expect(viaQuery.status).toBe(200);
    const refused = await gemini(e, 'google', 'g', {}, { key: 'gm-unknown' });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain('API_KEY_INVALID');
    expect(text).not.toContain('gm-unknown');
    expect(e.requests().map((r) => `${r.keyId ?? '-'}:${r.outcome}`)).toEqual(['google:main:reply', 'google:main:reply', '-:unauthorized']);
  });

  it('also serves the v1beta path a host may keep from Google’s base URL', async () => {
    const e = await only({ reply: 'ok' });
    const res = await fetch(`${e.url}/google/v1beta/models/g:generateContent`, { method: 'POST', body: '{"contents":[]}' });
    expect(res.status).toBe(200);
  });
});

describe('emulator: slow first token', () => {
  it.each([
    ['openai', (e: Emulator, signal: AbortSignal) => chat(e, 'p', { model: 'm', stream: true }, 'k', { signal }), 'chat.completion.chunk'],
    ['anthropic', (e: Emulator, signal: AbortSignal) => messages(e, 'p', { model: 'm', stream: true }, 'k', { signal }), 'message_start'],
  ] as const)('%s: headers and the opening event go out at once, the first delta only after the delay', async (_format, send, opening) => {
    const e = await only({ reply: 'late text', firstTokenDelayMs: 600_000 });
    const controller = new AbortController();
    const res = await send(e, controller.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes(opening)) seen += new TextDecoder().decode((await reader.read()).value);
    // Nothing else may come while the first token is held back (the delay is ten minutes).
    const next = await Promise.race([reader.read().then(() => 'data'), new Promise((resolve) => setTimeout(resolve, 100, 'silence'))]);
    expect(next).toBe('silence');
    expect(seen).not.toContain('late');
    controller.abort();
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'reply', status: 200, end: 'client_closed' }]);
  });

  it('on a JSON request holds the whole answer back', async () => {
    const e = await only({ reply: 'late', firstTokenDelayMs: 600_000 });
    const controller = new AbortController();
    const pending = chat(e, 'p', { model: 'm' }, 'k', { signal: controller.signal }).catch((err: unknown) => err);
    await until(() => e.requests().length === 1, 'request received');
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ status: undefined, end: 'client_closed' }]);
  });
});

describe('emulator: stall after n deltas', () => {
  it('sends n deltas, then nothing, and keeps the connection open until close()', async () => {
    const e = await only({ stallAfterDeltas: 2, reply: ['a ', 'b ', 'c'] });
    const res = await chat(e, 'p', { model: 'm', stream: true });
    const reader = res.body!.getReader();
    let body = '';
    const contents = () => sseData(body).flatMap((d) => (tryJson(d) as OpenAiChunk).choices.map((c) => c.delta.content ?? ''));
    while (contents().join('') !== 'a b ') body += new TextDecoder().decode((await reader.read()).value);
    expect(e.openConnections()).toBe(1);
    const rest = reader.read().then(
      ({ done }) => (done ? 'ended' : 'more data'),
      () => 'ended',
    );
    await e.close();
    expect(await rest).toBe('ended');
    expect(contents().join('')).toBe('a b ');
    expect(e.requests()).toMatchObject([{ outcome: 'stalled', status: 200, end: 'server_dropped' }]);
  });

  it('on a JSON request sends the headers and half the body, then stalls', async () => {
    const e = await only({ stallAfterDeltas: 0, reply: 'never complete' });
    const res = await chat(e, 'p', { model: 'm' });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith('{"id":"chatcmpl-emu-1"')).toBe(true);
    expect(tryJson(first)).toBeUndefined();
    expect(e.openConnections()).toBe(1);
    await e.close();
  });
});

describe('emulator: reset before headers', () => {
  it('resets the connection after reading the request: the client sees ECONNRESET, not a status', async () => {
    const e = await only({ reset: true });
    const err = await chat(e, 'p', { model: 'm' }).catch((error: unknown) => error);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'reset', status: undefined, end: 'server_dropped' }]);
  });
});

describe('emulator: a malformed chunk mid-stream', () => {
  it('inserts one event whose JSON is cut in half after n deltas; the stream then goes on to its end', async () => {
    const e = await only({ reply: ['a ', 'b ', 'c'], malformedChunkAfterDeltas: 1 });
    const data = sseData(await (await chat(e, 'p', { model: 'm', stream: true })).text());
    const broken = data.filter((d) => d !== '[DONE]' && tryJson(d) === undefined);
    expect(broken).toHaveLength(1);
    expect(data.indexOf(broken[0]!)).toBe(2); // after the opening chunk and one delta
    const good = data.filter((d) => d !== '[DONE]' && tryJson(d) !== undefined).map((d) => JSON.parse(d) as OpenAiChunk);
    expect(good.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('a b c');
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('keeps the SSE framing of the Anthropic event it breaks', async () => {
    const e = await only({ reply: ['a ', 'b'], malformedChunkAfterDeltas: 0 });
    const body = await (await messages(e, 'p', { model: 'm', stream: true })).text();
    const events = body.split('\n\n').filter(Boolean);
    const broken = events.filter((ev) => tryJson(ev.split('\n')[1]?.slice('data: '.length) ?? '') === undefined);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(/^event: content_block_delta\ndata: \{/);
    expect(events.at(-1)).toMatch(/^event: message_stop/);
  });
});

describe('emulator: no end marker', () => {
  it('OpenAI: the finish chunk, no data: [DONE], then a clean close', async () => {
    const e = await only({ reply: 'complete answer', noSentinel: true });
    const data = sseData(await (await chat(e, 'p', { model: 'm', stream: true })).text());
    expect(data).not.toContain('[DONE]');
    expect((JSON.parse(data.at(-1)!) as OpenAiChunk).choices[0]?.finish_reason).toBe('stop');
    expect(e.requests()).toMatchObject([{ outcome: 'reply', end: 'completed' }]);
  });

  it('Anthropic: message_delta with the stop reason, no message_stop, then a clean close', async () => {
    const e = await only({ reply: 'complete answer', noSentinel: true });
    const body = await (await messages(e, 'p', { model: 'm', stream: true })).text();
    const types = [...body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(types.at(-1)).toBe('message_delta');
    expect(types).not.toContain('message_stop');
    expect(body).toContain('"stop_reason":"end_turn"');
  });
});

describe('emulator: a 200 that refuses', () => {
  it('Gemini: promptFeedback.blockReason and no candidates, as JSON and as a stream', async () => {
    const e = await only({ blocked: true, blockReason: 'PROHIBITED_CONTENT' });
    const json = (await (await gemini(e, 'google', 'g')).json()) as Record<string, unknown>;
    expect(json).toMatchObject({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } });
    expect(json.candidates).toBeUndefined();
    const res = await gemini(e, 'google', 'g', {}, { stream: true });
    expect(res.status).toBe(200);
    expect(sseData(await res.text()).map((d) => JSON.parse(d) as unknown)).toMatchObject([{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }]);
    expect(e.requests().map((r) => r.outcome)).toEqual(['blocked', 'blocked']);
  });

  it('OpenAI: finish_reason content_filter with no text; Anthropic: stop_reason refusal', async () => {
    const e = await only({ blocked: true });
    expect(await (await chat(e, 'p', { model: 'm' })).json()).toMatchObject({ choices: [{ message: { content: null }, finish_reason: 'content_filter' }] });
    expect(await (await messages(e, 'p', { model: 'm' })).json()).toMatchObject({ content: [], stop_reason: 'refusal' });
  });
});

describe('emulator: down for a window, then healthy', () => {
  it('a rule with from/until answers only inside its window on the injected clock; the next rule after it', async () => {
    let now = 0;
    const e = await start({
      now: () => now,
      scenario: [
        { provider: 'p', from: 1_000, until: 5_000, steps: [{ error: { status: 503, body: '{"error":{"message":"down"}}' } }] },
        { provider: 'p', steps: [{ reply: 'healthy' }] },
      ],
    });
    const statusAt = async (t: number) => {
      now = t;
      return (await chat(e, 'p', { model: 'm' })).status;
    };
    expect([await statusAt(999), await statusAt(1_000), await statusAt(4_999), await statusAt(5_000)]).toEqual([200, 503, 503, 200]);
    expect(e.requests().map((r) => r.receivedAt)).toEqual([999, 1_000, 4_999, 5_000]);
  });
});

describe('emulator: usage and the model the answer names', () => {
  it('an OpenAI stream carries usage only when the request asks (stream_options.include_usage), in a last chunk with no choices', async () => {
    const e = await only({ reply: 'some text' });
    const plain = sseData(await (await chat(e, 'p', { model: 'm', stream: true })).text());
    expect(plain.some((d) => d.includes('"usage"'))).toBe(false);
    const asked = sseData(await (await chat(e, 'p', { model: 'm', stream: true, stream_options: { include_usage: true } })).text());
    const usageChunk = JSON.parse(asked.at(-2)!) as OpenAiChunk;
    expect(usageChunk).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) } });
    expect(asked.at(-1)).toBe('[DONE]');
  });

  it('responseModel is the model every format reports, not the requested one', async () => {
    const e = await only({ reply: 'x', responseModel: 'model-2026-01-01' });
    expect(await (await chat(e, 'p', { model: 'alias' })).json()).toMatchObject({ model: 'model-2026-01-01' });
    expect(await (await messages(e, 'p', { model: 'alias' })).json()).toMatchObject({ model: 'model-2026-01-01' });
    expect(await (await gemini(e, 'p', 'alias')).json()).toMatchObject({ modelVersion: 'model-2026-01-01' });
    expect(e.requests().map((r) => r.model)).toEqual(['alias', 'alias', 'alias']);
  });
});

describe('emulator: the new steps are checked like the others', () => {
  it.each<[string, unknown, RegExp]>([
    ['two kinds in one step', [{ steps: [{ reply: 'x', hang: true }] }], /scenario\[0\]\.steps\[0\]/],
    ['a stall count that is not an integer', [{ steps: [{ stallAfterDeltas: -1 }] }], /stallAfterDeltas/],
    ['a malformed chunk position that is not an integer', [{ steps: [{ reply: 'x', malformedChunkAfterDeltas: 0.5 }] }], /malformedChunkAfterDeltas/],
    ['a negative first-token delay', [{ steps: [{ reply: 'x', firstTokenDelayMs: -5 }] }], /firstTokenDelayMs/],
    ['reset: false', [{ steps: [{ reset: false }] }], /reset/],
    ['an empty block reason', [{ steps: [{ blocked: true, blockReason: '' }] }], /blockReason/],
    ['a window that ends before it starts', [{ from: 10, until: 5, steps: [{ reply: 'x' }] }], /scenario\[0\]\.until/],
    ['a window bound that is not a number', [{ from: '10', steps: [{ reply: 'x' }] }], /scenario\[0\]\.from/],
  ])('rejects %s with a ConfigError naming it', async (_what, scenario, field) => {
    const started = startEmulator({ scenario: scenario as never });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(startEmulator({ scenario: scenario as never })).rejects.toThrow(field);
  });
});
