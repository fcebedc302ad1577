import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { fromAiSdk, ProviderResponseError, type AiSdkLanguageModel } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/providers/emulator/index.js';
import { anthropicModel, callRequest, openAiCompatibleModel } from './helpers/models.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (options: EmulatorOptions) => (emu = await startEmulator(options));

describe('fromAiSdk over HTTP: success', () => {
  it('returns the JSON reply of an OpenAI-compatible provider', async () => {
    const e = await start({ scenario: [{ provider: 'deepseek', steps: [{ reply: 'Hello from DeepSeek.' }] }] });
    const call = fromAiSdk({ 'deepseek/deepseek-v4-pro': openAiCompatibleModel(e, 'deepseek', 'deepseek-v4-pro') });

    const result = await call(callRequest());

    expect(result).toMatchObject({ content: 'Hello from DeepSeek.', finishReason: 'stop', responseModel: 'deepseek-v4-pro' });
    expect(e.requests()).toMatchObject([{ provider: 'deepseek', api: 'openai-chat', model: 'deepseek-v4-pro', stream: false, outcome: 'reply', status: 200 }]);
  });

  it('returns the JSON reply of an Anthropic provider', async () => {
    const e = await start({ scenario: [{ provider: 'anthropic', steps: [{ reply: 'Hello from Claude.' }] }] });
    const call = fromAiSdk({ 'anthropic/claude-sonnet-4-5': anthropicModel(e, 'anthropic', 'claude-sonnet-4-5') });

    const result = await call(callRequest({ provider: 'anthropic', model: 'claude-sonnet-4-5' }));

    expect(result).toMatchObject({ content: 'Hello from Claude.', finishReason: 'stop', responseModel: 'claude-sonnet-4-5' });
    expect(e.requests()).toMatchObject([{ provider: 'anthropic', api: 'anthropic-messages', model: 'claude-sonnet-4-5', outcome: 'reply' }]);
  });

  it.each([
    ['openai-compatible', 'moonshot', openAiCompatibleModel],
    ['anthropic', 'anthropic', anthropicModel],
  ] as const)('streams %s deltas in order through onDelta, then resolves with the whole text', async (_name, provider, makeModel) => {
    const deltas = ['One', ', two', ', three', ', four.'];
    const e = await start({ scenario: [{ provider, steps: [{ reply: deltas }] }] });
    const call = fromAiSdk({ [`${provider}/m1`]: makeModel(e, provider, 'm1') });
    const seen: string[] = [];

    const result = await call(callRequest({ provider, model: 'm1', onDelta: (d) => seen.push(d) }));

    expect(seen).toEqual(deltas);
    expect(result.content).toBe(deltas.join(''));
    expect(e.requests()).toMatchObject([{ stream: true, outcome: 'reply', end: 'completed' }]);
  });

  it('maps system, user, assistant and tool messages to the prompt the server receives', async () => {
    const e = await start({});
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: 'Let me check.' },
      { role: 'tool', content: '4' },
    ] as const;
    const openai = fromAiSdk({ 'deepseek/d1': openAiCompatibleModel(e, 'deepseek', 'd1') });
    const anthropic = fromAiSdk({ 'anthropic/c1': anthropicModel(e, 'anthropic', 'c1') });

    await openai(callRequest({ provider: 'deepseek', model: 'd1', messages }));
    await anthropic(callRequest({ provider: 'anthropic', model: 'c1', messages }));

    const expected = [
      { role: 'system', text: 'Be brief.' },
      { role: 'user', text: 'What is 2+2?' },
      { role: 'assistant', text: 'Let me check.' },
      { role: 'user', text: 'Tool result:\n4' },
    ];
    const [viaOpenAi, viaAnthropic] = e.requests();
    expect(viaOpenAi?.prompt).toEqual(expected);
    expect(viaAnthropic?.prompt).toEqual(expected);
  });

  it('passes callOptions through and keeps prompt and abortSignal its own', async () => {
    const seen: Record<string, unknown>[] = [];
    const model = fakeModel('v3', (options) => {
      seen.push(options);
      return { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' } };
    });
    const req = callRequest();
    const call = fromAiSdk(() => model, { callOptions: (r) => ({ maxOutputTokens: 64, headers: { 'x-run': r.runId } }) });

    await call(req);

    expect(seen[0]).toMatchObject({ maxOutputTokens: 64, headers: { 'x-run': 'run-1' }, abortSignal: req.signal });
    expect(seen[0]?.prompt).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Say hello.' }] }]);
  });
});

describe('fromAiSdk: profiles select credentials', () => {
  it('hands the profile id to the resolver, so each profile reaches the server with its own key', async () => {
    const keys = { 'sk-emu-codex-1': 'codex:main', 'sk-emu-codex-2': 'codex:backup' };
    const byProfile: Record<string, string> = { 'codex:main': 'sk-emu-codex-1', 'codex:backup': 'sk-emu-codex-2' };
    const e = await start({ keys });
    const resolved: string[] = [];
    const call = fromAiSdk((provider, model, profileId) => {
      resolved.push(`${provider}/${model}@${profileId}`);
      return openAiCompatibleModel(e, provider, model, byProfile[profileId]);
    });

    await call(callRequest({ provider: 'openai-codex', model: 'gpt-5.5', profileId: 'codex:backup' }));
    await call(callRequest({ provider: 'openai-codex', model: 'gpt-5.5', profileId: 'codex:main' }));

    expect(resolved).toEqual(['openai-codex/gpt-5.5@codex:backup', 'openai-codex/gpt-5.5@codex:main']);
    expect(e.requests().map((r) => r.keyId)).toEqual(['codex:backup', 'codex:main']);
  });

  it('lets an async resolver build the model', async () => {
    const e = await start({});
    const call = fromAiSdk(async (provider, model) => openAiCompatibleModel(e, provider, model));
    await expect(call(callRequest())).resolves.toMatchObject({ content: 'Reply from deepseek/deepseek-v4-pro.' });
  });
});

describe('fromAiSdk: spec versions and configuration', () => {
  it.each(['v2', 'v3', 'v4'] as const)('accepts a %s model by duck typing, for generate and stream, and normalises its usage', async (version) => {
    const finishReason = version === 'v2' ? 'stop' : { unified: 'stop', raw: 'stop' };
    // The same counts in each spec's shape: v2 flat with a total, v3/v4 nested without one.
    const usage =
      version === 'v2'
        ? { inputTokens: 12, outputTokens: 7, totalTokens: 19, reasoningTokens: 3, cachedInputTokens: 2 }
        : { inputTokens: { total: 12, noCache: 10, cacheRead: 2 }, outputTokens: { total: 7, text: 4, reasoning: 3 }, raw: {} };
    const model = fakeModel(
      version,
      () => ({ content: [{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: 'Hi ' }, { type: 'text', text: 'there' }], finishReason, usage, response: { modelId: 'm-2026' } }),
      [
        { type: 'stream-start' },
        { type: 'response-metadata', id: 'r1', modelId: 'm-2026' },
        { type: 'text-delta', id: '0', delta: 'Hi ' },
        { type: 'reasoning-delta', id: 'r', delta: 'hmm' },
        { type: 'text-delta', id: '0', delta: 'there' },
        { type: 'finish', finishReason, usage },
      ],
    );
    const call = fromAiSdk({ 'p/m': model });
    const deltas: string[] = [];
    const expected = {
      content: 'Hi there',
      finishReason: 'stop',
      responseModel: 'm-2026',
      usage: { inputTokens: 12, outputTokens: 7, totalTokens: 19, reasoningTokens: 3, cachedInputTokens: 2 },
    };
    // reasoning makes the answer a message with parts, the reasoning marked with the model's options key
    const reasoning = { type: 'reasoning', text: 'hmm', providerOptions: { fake: {} } };

    await expect(call(callRequest({ provider: 'p', model: 'm' }))).resolves.toEqual({
      ...expected,
      messages: [{ role: 'assistant', content: [reasoning, { type: 'text', text: 'Hi ' }, { type: 'text', text: 'there' }] }],
    });
    // a stream's blocks in the order they started, each block's deltas joined
    await expect(call(callRequest({ provider: 'p', model: 'm', onDelta: (d) => deltas.push(d) }))).resolves.toEqual({
      ...expected,
      messages: [{ role: 'assistant', content: [{ type: 'text', text: 'Hi there' }, reasoning] }],
    });
    expect(deltas).toEqual(['Hi ', 'there']);
  });

  it('reports no usage field when the provider reported no counts, and no zero reasoning or cache counts', async () => {
    const finishReason = { unified: 'stop', raw: 'stop' };
    const empty = { inputTokens: { total: undefined }, outputTokens: { total: undefined }, raw: undefined };
    const zeros = { inputTokens: { total: 5, cacheRead: 0 }, outputTokens: { total: 2, reasoning: 0 } };
    const silent = fakeModel('v3', () => ({ content: [{ type: 'text', text: 'x' }], finishReason, usage: empty }), [{ type: 'text-delta', delta: 'x' }, { type: 'finish', finishReason, usage: empty }]);
    const counted = fakeModel('v3', () => ({ content: [{ type: 'text', text: 'x' }], finishReason, usage: zeros }));

    expect(await fromAiSdk(() => silent)(callRequest())).toEqual({ content: 'x', finishReason: 'stop' });
    expect(await fromAiSdk(() => silent)(callRequest({ onDelta: () => undefined }))).toEqual({ content: 'x', finishReason: 'stop' });
    expect((await fromAiSdk(() => counted)(callRequest())).usage).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7 });
  });

  it('counts output parts as activity, not metadata: text, reasoning and tool input', async () => {
    const finishReason = { unified: 'stop', raw: 'stop' };
    const parts = [
      { type: 'stream-start' },
      { type: 'response-metadata', modelId: 'm' },
      { type: 'reasoning-delta', delta: 'thinking' },
      { type: 'tool-input-delta', id: 't', delta: '{"a"' },
      { type: 'text-delta', delta: 'answer' },
      { type: 'raw', rawValue: {} },
      { type: 'finish', finishReason },
    ];
    const seen: string[] = [];
    await fromAiSdk(() => fakeModel('v3', () => ({ content: [] }), parts))(callRequest({ onDelta: (d) => seen.push(`delta:${d}`), onActivity: () => seen.push('activity') }));
    expect(seen).toEqual(['activity', 'activity', 'activity', 'delta:answer']);
  });

  it('rejects a v1 model, a model id string and a malformed key at construction, naming the field', () => {
    const v1 = { ...fakeModel('v3', () => ({ content: [] })), specificationVersion: 'v1' };
    expect(() => fromAiSdk({ 'p/m': v1 as unknown as AiSdkLanguageModel })).toThrow(ConfigError);
    expect(() => fromAiSdk({ 'p/m': v1 as unknown as AiSdkLanguageModel })).toThrow(/models\["p\/m"\].*"v1"/);
    expect(() => fromAiSdk({ 'p/m': 'openai/gpt-5' as unknown as AiSdkLanguageModel })).toThrow(/model id string/);
    expect(() => fromAiSdk({ 'no-slash': fakeModel('v3', () => ({ content: [] })) })).toThrow(/provider\/model/);
  });

  it('fails a call for a chain entry the map lacks, and for a resolver that returns no model', async () => {
    const mapped = fromAiSdk({ 'p/m': fakeModel('v3', () => ({ content: [] })) });
    await expect(mapped(callRequest({ provider: 'p', model: 'other' }))).rejects.toThrow(/models\["p\/other"\]/);
    const resolved = fromAiSdk(() => undefined as unknown as AiSdkLanguageModel);
    await expect(resolved(callRequest())).rejects.toBeInstanceOf(ConfigError);
  });

  it('re-throws what the model throws, unchanged', async () => {
    const thrown = Object.assign(new Error('boom'), { statusCode: 418 });
    const call = fromAiSdk(() => fakeModel('v3', () => Promise.reject(thrown)));
    await expect(call(callRequest())).rejects.toBe(thrown);
  });

  it('turns a content-filter finish into a ProviderResponseError, streamed or not', async () => {
    const finishReason = { unified: 'content-filter', raw: 'content_filter' };
    const model = fakeModel('v3', () => ({ content: [], finishReason }), [{ type: 'text-delta', delta: 'I can' }, { type: 'finish', finishReason }]);
    const call = fromAiSdk(() => model);
    await expect(call(callRequest())).rejects.toMatchObject({ name: 'ProviderResponseError', code: 'content_filter' });
    await expect(call(callRequest({ onDelta: () => undefined }))).rejects.toBeInstanceOf(ProviderResponseError);
  });

  it('throws the in-band error of a JSON reply whose choice finished with "error"', async () => {
    const inBand = { message: 'Error processing request', code: 502 };
    const body = JSON.stringify({
      id: 'gen-1',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'error', error: inBand }],
    });
    const e = await start({ scenario: [{ steps: [{ error: { status: 200, body } }] }] });
    const call = fromAiSdk((provider, model) => openAiCompatibleModel(e, provider, model));
    await expect(call(callRequest())).rejects.toEqual(inBand);
  });

  it('turns an "error" finish without an error object into a ProviderResponseError', async () => {
    const finishReason = { unified: 'error', raw: undefined };
    const model = fakeModel('v3', () => ({ content: [{ type: 'text', text: 'partial' }], finishReason }), [{ type: 'finish', finishReason }]);
    await expect(fromAiSdk(() => model)(callRequest())).rejects.toMatchObject({ code: 'provider_error' });
    await expect(fromAiSdk(() => model)(callRequest({ onDelta: () => undefined }))).rejects.toMatchObject({ code: 'provider_error' });
  });

  it('rejects a stream that ends without a finish part, after forwarding what came', async () => {
    const model = fakeModel('v3', () => ({ content: [] }), [{ type: 'text-delta', delta: 'half a rep' }]);
    const deltas: string[] = [];
    await expect(fromAiSdk(() => model)(callRequest({ onDelta: (d) => deltas.push(d) }))).rejects.toMatchObject({ code: 'incomplete_response' });
    expect(deltas).toEqual(['half a rep']);
  });

  it.each([
    ['v2 "unknown"', 'v2' as const, 'unknown'],
    ['v3 "other" with no raw reason', 'v3' as const, { unified: 'other', raw: undefined }],
  ])('rejects a stream whose finish carries no provider reason (%s): the SDK closed a cut stream', async (_what, version, finishReason) => {
    const usage = { inputTokens: { total: 4 }, outputTokens: { total: 1 } };
    const model = fakeModel(version, () => ({ content: [] }), [{ type: 'text-delta', delta: 'half' }, { type: 'finish', finishReason, usage }]);
    const err = await fromAiSdk(() => model)(callRequest({ onDelta: () => undefined })).catch((error: unknown) => error);
    expect(err).toBeInstanceOf(ProviderResponseError);
    expect(err).toMatchObject({ code: 'incomplete_response' });
  });

  it('keeps a v3 "other" finish the provider did name, and a v2 "other"', async () => {
    const named = fakeModel('v3', () => ({ content: [] }), [{ type: 'text-delta', delta: 'ok' }, { type: 'finish', finishReason: { unified: 'other', raw: 'OTHER' } }]);
    const v2 = fakeModel('v2', () => ({ content: [] }), [{ type: 'text-delta', delta: 'ok' }, { type: 'finish', finishReason: 'other' }]);
    await expect(fromAiSdk(() => named)(callRequest({ onDelta: () => undefined }))).resolves.toMatchObject({ content: 'ok', finishReason: 'other' });
    await expect(fromAiSdk(() => v2)(callRequest({ onDelta: () => undefined }))).resolves.toMatchObject({ content: 'ok', finishReason: 'other' });
  });

  it('rejects a JSON answer with no content and no finish reason, and keeps a non-empty one', async () => {
    const finishReason = { unified: 'other', raw: undefined };
    const empty = fakeModel('v3', () => ({ content: [], finishReason }));
    const text = fakeModel('v3', () => ({ content: [{ type: 'text', text: 'fine' }], finishReason }));
    await expect(fromAiSdk(() => empty)(callRequest())).rejects.toMatchObject({ code: 'incomplete_response' });
    await expect(fromAiSdk(() => text)(callRequest())).resolves.toMatchObject({ content: 'fine' });
  });

  it('keeps the usage a refused answer reported on its ProviderResponseError', async () => {
    const finishReason = { unified: 'content-filter', raw: 'SAFETY' };
    const usage = { inputTokens: { total: 9 }, outputTokens: { total: 0 } };
    const model = fakeModel('v3', () => ({ content: [], finishReason, usage, response: { modelId: 'g-1' } }));
    await expect(fromAiSdk(() => model)(callRequest())).rejects.toMatchObject({
      code: 'content_filter',
      message: expect.stringContaining('SAFETY'),
      usage: { inputTokens: 9, outputTokens: 0, totalTokens: 9 },
      finishReason: 'content-filter',
      responseModel: 'g-1',
    });
  });

  it('throws a stream error part as is, and cancels the stream', async () => {
    const carried = { message: 'upstream overloaded', code: 502 };
    let cancelled = false;
    const model = fakeModel('v3', () => ({ content: [] }), [{ type: 'text-delta', delta: 'Hel' }, { type: 'error', error: carried }, { type: 'text-delta', delta: 'never' }], () => (cancelled = true));
    const deltas: string[] = [];
    await expect(fromAiSdk(() => model)(callRequest({ onDelta: (d) => deltas.push(d) }))).rejects.toBe(carried);
    expect(deltas).toEqual(['Hel']);
    expect(cancelled).toBe(true);
  });

  it('stops reading and cancels when the signal aborts, even if the model ignores abortSignal', async () => {
    const controller = new AbortController();
    let cancelled = false;
    const stream = new ReadableStream({
      start(c) {
        c.enqueue({ type: 'text-delta', delta: 'first' });
      }, // then nothing: a model that never ends and never looks at the signal
      cancel() {
        cancelled = true;
      },
    });
    const model = { ...fakeModel('v3', () => ({ content: [] })), doStream: async () => ({ stream }) };
    const call = fromAiSdk(() => model);
    const pending = call(callRequest({ signal: controller.signal, onDelta: () => controller.abort(new Error('attempt timeout')) }));
    await expect(pending).rejects.toThrow('attempt timeout');
    expect(cancelled).toBe(true);
  });
});

/** An in-memory model of any spec version: what duck typing must accept. */
function fakeModel(
  specificationVersion: 'v2' | 'v3' | 'v4',
  generate: (options: Record<string, unknown>) => unknown,
  parts: unknown[] = [],
  onCancel?: () => void,
): AiSdkLanguageModel {
  return {
    specificationVersion,
    provider: 'fake',
    modelId: 'fake-model',
    doGenerate: async (options) => (await generate(options as unknown as Record<string, unknown>)) as never,
    doStream: async () => ({
      stream: new ReadableStream({
        start(c) {
          for (const part of parts) c.enqueue(part as never);
          c.close();
        },
        cancel: onCancel,
      }),
    }),
  };
}
