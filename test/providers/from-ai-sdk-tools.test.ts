import { afterEach, describe, expect, it } from 'vitest';
import { fromAiSdk, type AiSdkLanguageModel } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/providers/emulator/index.js';
import type { Message, ToolDefinition } from '../../src/types.js';
import { anthropicModel, callRequest, googleModel, openAiCompatibleModel } from './helpers/models.js';

// fromAiSdk's tools, over real HTTP: definitions and tool choice in each wire format, tool calls
// back as messages, and a tool history the next provider accepts (ids, pairing, reasoning).

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (options: EmulatorOptions = {}) => (emu = await startEmulator(options));

const WEATHER: ToolDefinition = {
  name: 'weather',
  description: 'The weather in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

type Body = Record<string, unknown> & { messages: Record<string, unknown>[] };
const bodyOf = (e: Emulator, i = 0) => e.requests()[i]!.body as Body;

/** A tool history as a run stores it: another provider's ids, reasoning, a result. */
const history: Message[] = [
  { role: 'user', content: 'Weather in Paris?' },
  {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'I should call the tool.', providerOptions: { anthropic: { signature: 'sig-anthropic' } } },
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', toolCallId: 'call:abc.1', toolName: 'weather', input: { city: 'Paris' } },
    ],
  },
  { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call:abc.1', toolName: 'weather', output: { type: 'json', value: { temp: 21 } } }] },
];

const clients = [
  ['openai-compatible', 'deepseek', openAiCompatibleModel],
  ['anthropic', 'anthropic', anthropicModel],
] as const;

describe.each(clients)('fromAiSdk tools through %s', (_name, provider, makeModel) => {
  it.each([false, true])('a tool-call answer (streamed: %s) resolves with the assistant message holding the call, its input parsed', async (stream) => {
    const e = await start({ scenario: [{ provider, steps: [{ toolCalls: [{ name: 'weather', input: { city: 'Paris' } }], reply: 'Let me look.' }] }] });
    const call = fromAiSdk({ [`${provider}/m1`]: makeModel(e, provider, 'm1') });
    const deltas: string[] = [];
    const result = await call(callRequest({ provider, model: 'm1', tools: [WEATHER], ...(stream && { onDelta: (d: string) => deltas.push(d) }) }));
    expect(result.finishReason).toBe('tool-calls');
    expect(result.content).toBe('Let me look.');
    expect(result.messages).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool-call', toolCallId: expect.stringMatching(/_emu_1_0$/), toolName: 'weather', input: { city: 'Paris' } },
        ],
      },
    ]);
    if (stream) expect(deltas.join('')).toBe('Let me look.');
  });

  it('sends the run’s tools and tool choice in the format’s own shape', async () => {
    const e = await start();
    const call = fromAiSdk({ [`${provider}/m1`]: makeModel(e, provider, 'm1') });
    await call(callRequest({ provider, model: 'm1', tools: [WEATHER], toolChoice: { type: 'tool', toolName: 'weather' } }));
    const body = bodyOf(e);
    if (provider === 'anthropic') {
      expect(body.tools).toEqual([{ name: 'weather', description: 'The weather in a city', input_schema: WEATHER.inputSchema }]);
      expect(body.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    } else {
      expect(body.tools).toEqual([{ type: 'function', function: { name: 'weather', description: 'The weather in a city', parameters: WEATHER.inputSchema } }]);
      expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    }
  });

  it('sends another provider’s tool history valid for this one: ids mapped the same in call and result, the call answered at once', async () => {
    const e = await start();
    const call = fromAiSdk({ [`${provider}/m1`]: makeModel(e, provider, 'm1') });
    await call(callRequest({ provider, model: 'm1', tools: [WEATHER], messages: history }));
    const body = bodyOf(e);
    if (provider === 'anthropic') {
      const [, assistant, results] = body.messages as { role: string; content: Record<string, unknown>[] }[];
      const use = assistant!.content.find((b) => b.type === 'tool_use')!;
      expect(use.id).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(results).toMatchObject({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id }] });
      // Anthropic's own signed reasoning goes back to Anthropic
      expect(assistant!.content[0]).toMatchObject({ type: 'thinking', thinking: 'I should call the tool.', signature: 'sig-anthropic' });
    } else {
      const [, assistant, result] = body.messages as Record<string, unknown>[];
      const calls = assistant!.tool_calls as { id: string }[];
      expect(calls[0]!.id).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(calls[0]!.id).not.toBe('call:abc.1');
      expect(result).toMatchObject({ role: 'tool', tool_call_id: calls[0]!.id });
      // Anthropic's reasoning does not go to another provider
      expect(assistant!.reasoning_content).toBeUndefined();
      expect(JSON.stringify(body)).not.toContain('I should call the tool.');
    }
    expect(e.requests()[0]!.prompt.map((m) => m.text).join(' ')).toContain('[tool-call weather {"city":"Paris"}]');
  });
});

describe('fromAiSdk: history rules for any target', () => {
  it('a call with no recorded result gets an error result; a result separated from its call by user text is moved up to it', async () => {
    const e = await start();
    const call = fromAiSdk({ 'anthropic/m1': anthropicModel(e, 'anthropic', 'm1') });
    const messages: Message[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'a1', toolName: 'weather', input: { city: 'A' } }, { type: 'tool-call', toolCallId: 'a2', toolName: 'weather', input: { city: 'B' } }] },
      { role: 'user', content: 'also, hurry' },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a1', toolName: 'weather', output: { type: 'text', value: 'sunny' } }] },
    ];
    await call(callRequest({ provider: 'anthropic', model: 'm1', tools: [WEATHER], messages }));
    const turns = bodyOf(e).messages as { role: string; content: Record<string, unknown>[] }[];
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user']);
    // the results first, both calls answered, then the user's text
    expect(turns[2]!.content.map((b) => [b.type, b.tool_use_id ?? b.text])).toEqual([
      ['tool_result', 'a1'],
      ['tool_result', 'a2'],
      ['text', 'also, hurry'],
    ]);
    expect(JSON.stringify(turns[2]!.content[1])).toContain('No result was recorded for this tool call.');
  });

  it('a result whose call is not in the history reaches the model as text, not as an orphan result', async () => {
    const e = await start();
    const call = fromAiSdk({ 'deepseek/m1': openAiCompatibleModel(e, 'deepseek', 'm1') });
    const messages: Message[] = [
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'gone', toolName: 'weather', output: { type: 'text', value: 'rainy' } }] },
      { role: 'user', content: 'so?' },
    ];
    await call(callRequest({ provider: 'deepseek', model: 'm1', messages }));
    expect(bodyOf(e).messages).toEqual([
      { role: 'user', content: 'Result of tool weather (call gone):\nrainy' },
      { role: 'user', content: 'so?' },
    ]);
  });

  it('candidateOptions apply per provider and per candidate over callOptions, providerOptions merged per key', async () => {
    const seen: Record<string, unknown>[] = [];
    const fake = (provider: string): AiSdkLanguageModel => ({
      specificationVersion: 'v3',
      provider: `${provider}.chat`,
      modelId: 'm',
      doGenerate: async (options) => (seen.push(options as unknown as Record<string, unknown>), { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop', raw: 'stop' } }),
      doStream: async () => ({ stream: new ReadableStream() }),
    });
    const call = fromAiSdk((provider) => fake(provider), {
      callOptions: { maxOutputTokens: 4000, temperature: 0.2, providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 2000 } } } },
      candidateOptions: {
        anthropic: { providerOptions: { anthropic: { sendReasoning: true } } },
        'anthropic/haiku': { maxOutputTokens: 1000, providerOptions: { anthropic: { thinking: { type: 'disabled' } } } },
      },
    });
    await call(callRequest({ provider: 'anthropic', model: 'sonnet' }));
    await call(callRequest({ provider: 'anthropic', model: 'haiku' }));
    await call(callRequest({ provider: 'openai', model: 'x' }));
    expect(seen.map(({ maxOutputTokens, temperature, providerOptions }) => ({ maxOutputTokens, temperature, providerOptions }))).toEqual([
      { maxOutputTokens: 4000, temperature: 0.2, providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 2000 }, sendReasoning: true } } },
      { maxOutputTokens: 1000, temperature: 0.2, providerOptions: { anthropic: { thinking: { type: 'disabled' }, sendReasoning: true } } },
      { maxOutputTokens: 4000, temperature: 0.2, providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 2000 } } } },
    ]);
  });

  it('resolveReference reads a private reference when the message goes out; an https URL is passed on as a URL', async () => {
    const prompts: unknown[] = [];
    const model: AiSdkLanguageModel = {
      specificationVersion: 'v3',
      provider: 'anthropic.messages',
      modelId: 'm',
      doGenerate: async (options) => (prompts.push(options.prompt), { content: [{ type: 'text', text: 'a cat' }], finishReason: { unified: 'stop', raw: 'end_turn' } }),
      doStream: async () => ({ stream: new ReadableStream() }),
    };
    const asked: string[] = [];
    const call = fromAiSdk({ 'anthropic/m': model }, { resolveReference: async (url) => (asked.push(url.href), new Uint8Array([1, 2, 3])) });
    const messages: Message[] = [
      {
        role: 'user',
        content: [
          { type: 'image', image: 'blobs://photos/cat.png', mediaType: 'image/png' },
          { type: 'file', data: 'https://example.com/a.pdf', mediaType: 'application/pdf' },
        ],
      },
    ];
    await call(callRequest({ provider: 'anthropic', model: 'm', messages }));
    expect(asked).toEqual(['blobs://photos/cat.png']);
    const [user] = prompts[0] as { content: { data: unknown; mediaType: string }[] }[];
    expect(user!.content[0]).toEqual({ type: 'file', mediaType: 'image/png', data: new Uint8Array([1, 2, 3]) });
    expect(user!.content[1]!.data).toEqual(new URL('https://example.com/a.pdf'));
  });

  it('a generated file is kept by the URL saveFile answers, and without saveFile the call says what to pass', async () => {
    const model: AiSdkLanguageModel = {
      specificationVersion: 'v3',
      provider: 'google.generative-ai',
      modelId: 'm',
      doGenerate: async () => ({ content: [{ type: 'file', mediaType: 'image/png', data: 'AQID' }, { type: 'text', text: 'Here.' }], finishReason: { unified: 'stop', raw: 'STOP' } }),
      doStream: async () => ({ stream: new ReadableStream() }),
    };
    const saved: number[][] = [];
    const withSave = fromAiSdk({ 'g/m': model }, { saveFile: async ({ data }) => (saved.push([...data]), 'https://files.example/1.png') });
    const result = await withSave(callRequest({ provider: 'g', model: 'm' }));
    expect(saved).toEqual([[1, 2, 3]]);
    expect(result.messages?.[0]?.content).toEqual([
      { type: 'file', mediaType: 'image/png', data: 'https://files.example/1.png' },
      { type: 'text', text: 'Here.' },
    ]);
    await expect(fromAiSdk({ 'g/m': model })(callRequest({ provider: 'g', model: 'm' }))).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'saveFile' });
  });

  it('a tool-call answer of Gemini resolves with the call (Gemini calls carry no id: the client names them)', async () => {
    const e = await start({ scenario: [{ provider: 'gemini', steps: [{ toolCalls: [{ name: 'weather', input: { city: 'Rome' } }] }] }] });
    const call = fromAiSdk({ 'gemini/g1': googleModel(e, 'gemini', 'g1') });
    const result = await call(callRequest({ provider: 'gemini', model: 'g1', tools: [WEATHER] }));
    expect(result.messages?.[0]?.content).toEqual([{ type: 'tool-call', toolCallId: expect.any(String), toolName: 'weather', input: { city: 'Rome' } }]);
    expect(result.finishReason).toBe('tool-calls');
  });
});
