import { afterEach, describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, fromAiSdk, openSqliteStore, startEmulator, type Emulator, type Message, type RunEvent } from '../../src/index.js';
import { fixture } from './helpers/fixtures.js';
import { anthropicModel, openAiCompatibleModel } from './helpers/models.js';

// Acceptance of the agent loop over real HTTP: step 1 on provider A (OpenAI wire format) asks
// for a tool, the tool runs once, step 2 on A fails with a quota error, and step 2 is served by
// B in the Anthropic format with the tool call and its result in its own history. The
// emulator's log of request bodies is the witness.

const KEYS: Record<string, string> = { 'sk-emu-a': 'a:main', 'sk-ant-b': 'b:main' };
const KEY_OF_PROFILE = Object.fromEntries(Object.entries(KEYS).map(([key, id]) => [id, key]));

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

type Body = { messages: Record<string, unknown>[]; tools?: unknown[] };

describe('an agent run over real HTTP, failing over between wire formats at the failing step', () => {
  it.each([false, true])('step 2 fails on A (OpenAI format) and B (Anthropic format) serves it with the tool history; the tool ran once; the next run sends exactly the stored history (streamed: %s)', async (stream) => {
    const quota = fixture('openai-codex-429-quota_exhausted-1');
    const e = (emu = await startEmulator({
      keys: KEYS,
      scenario: [
        { provider: 'a', steps: [{ toolCalls: [{ name: 'weather', input: { city: 'Paris' }, id: 'call:Paris.1' }] }, { error: quota }] },
        { provider: 'b', steps: [{ reply: 'It is sunny in Paris, 21 °C.' }, { reply: 'Tomorrow too.' }] },
      ],
    }));
    const viaAiSdk = fromAiSdk((provider, model, profileId) =>
      provider === 'b' ? anthropicModel(e, 'b', model, KEY_OF_PROFILE[profileId]) : openAiCompatibleModel(e, 'a', model, KEY_OF_PROFILE[profileId]),
    );
    // what each call was handed, to compare with what the session stored
    const handed: (readonly Message[])[] = [];
    const call: typeof viaAiSdk = (req) => (handed.push(req.messages), viaAiSdk(req));
    const store = openSqliteStore();
    let executions = 0;
    const tools = {
      weather: {
        description: 'The weather in a city',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        execute: async ({ city }: { city: string }) => (executions++, { city, sky: 'sunny', temp: 21 }),
      },
    };
    const run = async (content: string) => {
      const actor = createRunActor({
        sessionId: 'trip',
        messages: [{ role: 'user', content }],
        chain: ['a/gpt-x', 'b/claude-y'],
        profiles: { a: ['a:main'], b: ['b:main'] },
        call,
        store,
        tools,
        stream,
      });
      const events: RunEvent[] = [];
      actor.on('*', (ev) => events.push(ev));
      actor.start();
      return { out: await toPromise(actor), events };
    };

    const { out, events } = await run('What is the weather in Paris?');
    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(executions).toBe(1);
    expect(e.requests().map((r) => `${r.provider}:${r.api}:${r.outcome}`)).toEqual(['a:openai-chat:reply', 'a:openai-chat:error', 'b:anthropic-messages:reply']);
    expect(out.steps.map((s) => `${s.n}:${s.servedBy.provider}`)).toEqual(['1:a', '2:b']);
    expect(out.attempts.map((a) => [a.provider, a.outcome, a.reason])).toEqual([
      ['a', 'succeeded', undefined],
      ['a', 'failed', 'quota_exhausted'],
      ['b', 'succeeded', undefined],
    ]);
    expect(events.filter((ev) => ev.type.startsWith('tool.')).map((ev) => ev.type)).toEqual(['tool.started', 'tool.finished']);

    // step 2 on A carried the history in the OpenAI format
    const onA = e.requests()[1]!.body as Body;
    expect(onA.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    const aCall = (onA.messages[1]!.tool_calls as { id: string; function: { name: string; arguments: string } }[])[0]!;
    expect(aCall.function).toEqual({ name: 'weather', arguments: '{"city":"Paris"}' });
    expect(onA.messages[2]).toMatchObject({ role: 'tool', tool_call_id: aCall.id });
    // the same step on B, in the Anthropic format: tool_use, then its tool_result at once, same id, one Anthropic accepts
    const onB = e.requests()[2]!.body as { messages: { role: string; content: Record<string, unknown>[] }[]; tools: unknown[] };
    expect(onB.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const use = onB.messages[1]!.content.find((b) => b.type === 'tool_use')!;
    expect(use).toMatchObject({ type: 'tool_use', name: 'weather', input: { city: 'Paris' } });
    expect(use.id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(onB.messages[2]!.content).toEqual([{ type: 'tool_result', tool_use_id: use.id, content: JSON.stringify({ city: 'Paris', sky: 'sunny', temp: 21 }) }]);
    // (a streaming Anthropic client adds its own flags to each tool)
    expect(onB.tools).toEqual([expect.objectContaining({ name: 'weather', description: 'The weather in a city', input_schema: tools.weather.inputSchema })]);

    // the session: user, assistant(tool-call), tool(result), assistant(text), with the ids as the provider gave them
    const toolCall: Message = { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call:Paris.1', toolName: 'weather', input: { city: 'Paris' } }] };
    const toolResult: Message = {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call:Paris.1', toolName: 'weather', output: { type: 'json', value: { city: 'Paris', sky: 'sunny', temp: 21 } } }],
    };
    const transcript: Message[] = [{ role: 'user', content: 'What is the weather in Paris?' }, toolCall, toolResult, { role: 'assistant', content: 'It is sunny in Paris, 21 °C.' }];
    const stored = (await store.listTurns('trip')).map(({ seq: _s, runId: _r, ...m }) => m);
    expect(stored).toEqual(transcript);

    // the next run sends exactly that history (A is cooling down for quota: B answers, with the same history in its format)
    const next = await run('And tomorrow?');
    expect(next.out.status).toBe('succeeded');
    expect(executions).toBe(1);
    expect(handed.at(-1)).toEqual([...transcript, { role: 'user', content: 'And tomorrow?' }]);
    const last = e.requests().at(-1)!;
    expect(last.provider).toBe('b');
    expect(last.prompt).toEqual([
      { role: 'user', text: 'What is the weather in Paris?' },
      { role: 'assistant', text: `[tool-call weather {"city":"Paris"}]` },
      { role: 'user', text: `[tool-result ${use.id}: ${JSON.stringify({ city: 'Paris', sky: 'sunny', temp: 21 })}]` },
      { role: 'assistant', text: 'It is sunny in Paris, 21 °C.' },
      { role: 'user', text: 'And tomorrow?' },
    ]);
    await store.close();
  });
});

describe('the same the other way round: an Anthropic-format primary fails at step 2, an OpenAI-format fallback continues', () => {
  it.each([false, true])('the fallback gets tool_calls and the tool message answering them, the tool ran once (streamed: %s)', async (stream) => {
    const e = (emu = await startEmulator({
      keys: KEYS,
      scenario: [
        // an id OpenAI would refuse (over 40 characters): mapped for the fallback, kept as given in the session
        { provider: 'b', steps: [{ toolCalls: [{ name: 'weather', input: { city: 'Oslo' }, id: 'toolu_01ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij' }] }, { error: fixture('anthropic-529-overloaded-1') }] },
        { provider: 'a', steps: [{ reply: 'Snow in Oslo.' }] },
      ],
    }));
    const call = fromAiSdk((provider, model, profileId) =>
      provider === 'b' ? anthropicModel(e, 'b', model, KEY_OF_PROFILE[profileId]) : openAiCompatibleModel(e, 'a', model, KEY_OF_PROFILE[profileId]),
    );
    const store = openSqliteStore();
    let executions = 0;
    const actor = createRunActor({
      sessionId: 'trip',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      chain: ['b/claude-y', 'a/gpt-x'],
      profiles: { a: ['a:main'], b: ['b:main'] },
      call,
      store,
      stream,
      policy: { maxAttemptsPerCandidate: 1 },
      tools: { weather: { inputSchema: { type: 'object' }, execute: async () => (executions++, 'snow') } },
    });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status).toBe('succeeded');
    expect(executions).toBe(1);
    expect(e.requests().map((r) => `${r.provider}:${r.outcome}`)).toEqual(['b:reply', 'b:error', 'a:reply']);
    const onA = e.requests()[2]!.body as Body;
    expect(onA.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    const id = (onA.messages[1]!.tool_calls as { id: string }[])[0]!.id;
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    expect(onA.messages[2]).toEqual({ role: 'tool', tool_call_id: id, content: 'snow' });
    const stored = await store.listTurns('trip');
    expect(stored.map((t) => t.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(JSON.stringify(stored[1]!.content)).toContain('toolu_01ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij');
    await store.close();
  });
});
