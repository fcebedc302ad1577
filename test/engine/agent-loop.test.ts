import { describe, expect, it } from 'vitest';
import { SimulatedClock, toPromise } from 'xstate';
import {
  ConfigError,
  createRunActor,
  openSqliteStore,
  ToolAbortError,
  type AgentTool,
  type Message,
  type RunActorOptions,
  type RunEvent,
  type SqliteSessionStore,
} from '../../src/index.js';
import { agentCall, failure, text, toolCalls, type AgentOutcome } from '../helpers/agent-call.js';
import { driveToEnd } from '../property/harness/sim-driver.js';

// The agent loop inside one run: tools executed between steps, each step a model call with the
// whole failover behind it, nothing executed twice, and the session holding exactly what the
// steps saw.

const QUOTA = { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } };
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

function weatherTool(log: string[] = []): AgentTool<{ city: string }> {
  return {
    description: 'The weather in a city',
    inputSchema: SCHEMA,
    execute: async ({ city }, ctx) => {
      log.push(`${ctx.toolCallId}:${city}`);
      return { city, temp: 21 };
    },
  };
}

interface Setup {
  scripts: Record<string, AgentOutcome[]>;
  tools?: RunActorOptions['tools'];
  chain?: string[];
  options?: Partial<RunActorOptions>;
  store?: SqliteSessionStore;
}

async function runAgent(s: Setup) {
  const store = s.store ?? openSqliteStore();
  const provider = agentCall(s.scripts);
  const actor = createRunActor({
    sessionId: 'chat',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    chain: s.chain ?? ['a/m1', 'b/m1'],
    call: provider.call,
    store,
    tools: s.tools ?? { weather: weatherTool() },
    ...s.options,
  });
  const events: RunEvent[] = [];
  actor.on('*', (e) => events.push(e));
  actor.start();
  const out = await toPromise(actor);
  const turns = (await store.listTurns('chat')).map(({ seq: _s, runId: _r, ...m }) => m as Message);
  return { out, events, provider, store, turns };
}

const user: Message = { role: 'user', content: 'Weather in Paris?' };

/** The outputs of a tool message's results. */
function outputsOf(m: Message | undefined): { type: string; value?: unknown }[] {
  if (!m || m.role !== 'tool' || typeof m.content === 'string') throw new Error(`not a tool message: ${JSON.stringify(m)}`);
  return m.content.map((p) => (p.type === 'tool-result' ? (p.output as { type: string; value?: unknown }) : { type: p.type }));
}

describe('an agent run', () => {
  it('executes the step’s tool calls once, gives the model the results, and persists user, assistant(tool-call), tool(result), assistant(text)', async () => {
    const log: string[] = [];
    const { out, events, provider, turns } = await runAgent({
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'Paris' } }), text('Sunny, 21 °C.')] },
      tools: { weather: weatherTool(log) },
    });
    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(log).toEqual(['call_1:Paris']);
    const call: Message = { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }] };
    const result: Message = { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { type: 'json', value: { city: 'Paris', temp: 21 } } }] };
    const reply: Message = { role: 'assistant', content: 'Sunny, 21 °C.' };
    expect(turns).toEqual([user, call, result, reply]);
    expect(out.messages).toEqual([call, result, reply]);
    expect(out.reply).toEqual(reply);
    expect(out.text).toBe('Sunny, 21 °C.');
    // step 2 saw step 1's call and its result
    expect(provider.requests[1]!.messages).toEqual([user, call, result]);
    expect(provider.requests.map((r) => r.step)).toEqual([1, 2]);
    expect(provider.requests[0]!.tools).toEqual([{ name: 'weather', description: 'The weather in a city', inputSchema: SCHEMA }]);
    expect(out.steps.map((s) => [s.n, s.servedBy.provider, s.toolCalls, s.finishReason])).toEqual([
      [1, 'a', 1, 'tool-calls'],
      [2, 'a', 0, 'stop'],
    ]);
    expect(out.steps[0]!.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
    expect(events.filter((e) => e.type === 'tool.started' || e.type === 'tool.finished').map((e) => [e.type, (e as { toolName: string }).toolName])).toEqual([
      ['tool.started', 'weather'],
      ['tool.finished', 'weather'],
    ]);
    expect(events.find((e) => e.type === 'tool.finished')).toMatchObject({ outcome: 'ok', step: 1, toolCallId: 'call_1' });
    expect(out.decisions.map((d) => d.kind)).toEqual(['select', 'tools', 'select', 'persist']);
    expect(out.decisions[1]!.detail).toMatch(/^step 1: executed 1 tool call\(s\) \(weather\) in \d+ ms; step 2 follows$/);
    expect(out.decisions.at(-1)!.detail).toMatch(/appended 4 turn\(s\)/);
  });

  it('a failure in step 2 fails over at step 2: the tool result of step 1 is kept and the tool is not executed again', async () => {
    const log: string[] = [];
    const { out, provider, turns } = await runAgent({
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'Paris' } }), failure(429, QUOTA)], b: [text('From b: sunny.')] },
      tools: { weather: weatherTool(log) },
    });
    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(log).toEqual(['call_1:Paris']);
    expect(provider.served()).toEqual(['a/m1@step1', 'a/m1@step2', 'b/m1@step2']);
    // b got the whole tool history of the step a began
    expect(provider.requests[2]!.messages).toEqual(provider.requests[1]!.messages);
    expect(provider.requests[2]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(turns.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(out.steps.map((s) => s.servedBy.provider)).toEqual(['a', 'b']);
    expect(out.attempts.map((a) => [a.n, a.provider, a.outcome])).toEqual([
      [1, 'a', 'succeeded'],
      [2, 'a', 'failed'],
      [3, 'b', 'succeeded'],
    ]);
  });

  it('each step starts from the head of the chain with the run’s blocks kept: a key this run found exhausted is skipped, not called again', async () => {
    const { out, provider } = await runAgent({
      scripts: {
        a: [failure(429, QUOTA)],
        b: [toolCalls({ name: 'weather', input: { city: 'Paris' } }), toolCalls({ name: 'weather', input: { city: 'Rome' } }), text('done')],
      },
    });
    expect(out.status).toBe('succeeded');
    expect(provider.served()).toEqual(['a/m1@step1', 'b/m1@step1', 'b/m1@step2', 'b/m1@step3']);
    expect(out.decisions.filter((d) => d.kind === 'skip').map((d) => d.model)).toEqual(['m1', 'm1']);
  });

  it('the attempt budget is per step: one call per key still serves many steps on the same key', async () => {
    const { out, provider } = await runAgent({
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'A' } }), toolCalls({ name: 'weather', input: { city: 'B' } }), text('ok')] },
      options: { policy: { maxAttemptsPerCandidate: 1 } },
    });
    expect(out.status).toBe('succeeded');
    expect(provider.served()).toEqual(['a/m1@step1', 'a/m1@step2', 'a/m1@step3']);
  });

  it('a tool that throws is a result the model sees (error-text), not a run failure', async () => {
    const { out, provider } = await runAgent({
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'Paris' } }), text('Sorry, no weather.')] },
      tools: {
        weather: {
          inputSchema: SCHEMA,
          execute: async () => {
            throw new Error('weather service down (key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789)');
          },
        },
      },
    });
    expect(out.status).toBe('succeeded');
    const result = provider.requests[1]!.messages.at(-1)!;
    expect(result).toMatchObject({ role: 'tool', content: [{ type: 'tool-result', output: { type: 'error-text' } }] });
    const value = outputsOf(result)[0]!.value as string;
    expect(value).toContain('weather service down');
    expect(value).not.toContain('sk-proj-abcdefghijklmnopqrstuvwxyz');
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown tool', { name: 'stocks', input: { q: 'x' } }, /no tool named "stocks"; the tools are weather/],
    ['an input that is not an object for an object schema', { name: 'weather', input: 'Paris' }, /expected a JSON object/],
  ])('%s is answered with an error the model sees, and the loop goes on', async (_name, call, message) => {
    const log: string[] = [];
    const { out, provider } = await runAgent({
      scripts: { a: [toolCalls(call as { name: string; input: unknown }), text('ok')] },
      tools: { weather: weatherTool(log) },
    });
    expect(out.status).toBe('succeeded');
    expect(log).toEqual([]);
    const output = outputsOf(provider.requests[1]!.messages.at(-1))[0]!;
    expect(output.type).toBe('error-text');
    expect(output.value).toMatch(message);
  });

  it('an AI SDK schema’s validate decides the input, and its value is what the tool gets', async () => {
    const got: unknown[] = [];
    const schema = {
      jsonSchema: SCHEMA,
      validate: (v: unknown) =>
        typeof (v as { city?: unknown }).city === 'string' ? { success: true, value: { city: (v as { city: string }).city.toUpperCase() } } : { success: false, error: new Error('city must be a string') },
    };
    const { provider } = await runAgent({
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'paris' } }, { name: 'weather', input: { city: 7 } }), text('ok')] },
      tools: { weather: { inputSchema: schema, execute: async (input: unknown) => (got.push(input), 'fine') } },
    });
    expect(got).toEqual([{ city: 'PARIS' }]);
    expect(provider.requests[0]!.tools![0]!.inputSchema).toEqual(SCHEMA);
    const outputs = outputsOf(provider.requests[1]!.messages.at(-1));
    expect(outputs).toEqual([
      { type: 'text', value: 'fine' },
      { type: 'error-text', value: 'invalid input for tool weather: city must be a string' },
    ]);
  });

  it('a tool without execute ends the run with the call in its reply, for the host to execute; the run’s own tools of the batch still run', async () => {
    const log: string[] = [];
    const { out, turns, provider } = await runAgent({
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'Paris' } }, { name: 'confirm', input: { what: 'booking' } })] },
      tools: { weather: weatherTool(log), confirm: { description: 'Ask the user', inputSchema: { type: 'object' } } },
    });
    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(provider.requests).toHaveLength(1);
    expect(log).toEqual(['call_1:Paris']);
    expect(out.reply.content).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'confirm', input: { what: 'booking' } },
    ]);
    expect(turns.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(out.decisions.find((d) => d.kind === 'tools')!.detail).toMatch(/1 call\(s\) left for the host \(confirm\), so the run ends here/);
  });

  it('with tools that have no execute at all, a run is one step and returns the tool calls (the host runs the loop)', async () => {
    const { out, turns } = await runAgent({
      scripts: { a: [toolCalls({ name: 'confirm', input: {} })] },
      tools: { confirm: { inputSchema: { type: 'object' } } },
    });
    expect(out.status).toBe('succeeded');
    expect(turns.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('maxSteps bounds the model calls; the last step’s tools still run, so no call the run can answer is left unanswered', async () => {
    const log: string[] = [];
    const { out, provider, turns } = await runAgent({
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'X' } })] },
      tools: { weather: weatherTool(log) },
      options: { maxSteps: 3 },
    });
    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(provider.requests).toHaveLength(3);
    expect(log).toHaveLength(3);
    expect(turns.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool']);
    expect(out.reply.role).toBe('assistant');
    expect(out.messages.at(-1)!.role).toBe('tool');
    expect(out.decisions.filter((d) => d.kind === 'tools').at(-1)!.detail).toMatch(/maxSteps \(3\) reached/);
  });

  it('a ToolAbortError ends the run: nothing in the session, the completed steps handed back in error.reply and kept as an orphan', async () => {
    const store = openSqliteStore();
    const { out, turns } = await runAgent({
      store,
      scripts: { a: [toolCalls({ name: 'pay', input: { amount: 5 } })] },
      tools: {
        pay: {
          inputSchema: { type: 'object' },
          execute: async () => {
            throw new ToolAbortError('pay', 'needs a human approval');
          },
        },
      },
    });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error).toMatchObject({ code: 'TOOL_ABORTED', toolName: 'pay', toolCallId: 'call_1' });
    expect(out.error.message).toContain('needs a human approval');
    expect(turns).toEqual([]);
    expect(out.error.reply).toMatchObject({ messages: [user], reply: { role: 'assistant' }, keptIn: 'orphan' });
    expect((await store.listOrphans())[0]).toMatchObject({ messages: [user], reply: out.error.reply!.reply });
  });

  it('an abort while a tool runs aborts the tool’s signal and persists nothing', async () => {
    const store = openSqliteStore();
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const provider = agentCall({ a: [toolCalls({ name: 'slow', input: {} })] });
    const actor = createRunActor({
      sessionId: 'chat',
      messages: [user],
      chain: ['a/m1'],
      call: provider.call,
      store,
      signal: controller.signal,
      tools: {
        slow: {
          inputSchema: { type: 'object' },
          execute: (_input, ctx) =>
            new Promise((_resolve, reject) => {
              toolSignal = ctx.abortSignal;
              ctx.abortSignal?.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
              controller.abort('user left');
            }),
        },
      },
    });
    actor.start();
    const out = await toPromise(actor);
    expect(out.status === 'failed' && out.error.code).toBe('RUN_ABORTED');
    expect(toolSignal?.aborted).toBe(true);
    expect(await store.listTurns('chat')).toEqual([]);
  });

  it('a tool that never answers is cut at the run’s deadline: DEADLINE_EXCEEDED, its abortSignal aborted, nothing in the session', async () => {
    const clock = new SimulatedClock();
    const store = openSqliteStore();
    let toolSignal: AbortSignal | undefined;
    const provider = agentCall({ a: [toolCalls({ name: 'forever', input: {} })] });
    const actor = createRunActor({
      sessionId: 'chat',
      messages: [user],
      chain: ['a/m1'],
      call: provider.call,
      store,
      clock,
      policy: { deadlineMs: 5_000 },
      tools: { forever: { inputSchema: { type: 'object' }, execute: (_input, ctx) => new Promise(() => void (toolSignal = ctx.abortSignal)) } },
    });
    actor.start();
    const { hung } = await driveToEnd(actor, clock, 10_000);
    expect(hung).toBe(false);
    const out = actor.getSnapshot().output!;
    expect(out.status === 'failed' && out.error.code).toBe('DEADLINE_EXCEEDED');
    expect(clock.now()).toBe(5_000);
    expect(toolSignal?.aborted).toBe(true);
    expect(out.status === 'failed' && out.error.reply?.reply.role).toBe('assistant');
    expect(await store.listTurns('chat')).toEqual([]);
  });

  it('a later step that finds no candidate fails FALLBACK_EXHAUSTED naming that step’s calls; the earlier steps are in error.reply', async () => {
    const { out } = await runAgent({
      chain: ['a/m1'],
      scripts: { a: [toolCalls({ name: 'weather', input: { city: 'Paris' } }), failure(429, QUOTA)] },
    });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.code).toBe('FALLBACK_EXHAUSTED');
    if (out.error.code !== 'FALLBACK_EXHAUSTED') return;
    expect(out.error.candidates).toEqual([expect.objectContaining({ provider: 'a', outcome: 'failed', reason: 'quota_exhausted', detail: expect.stringMatching(/^1 call\(s\)/) })]);
    expect(out.error.reply?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(out.error.reply?.reply.role).toBe('tool');
  });

  it('toolChoice reaches call as given', async () => {
    const { provider } = await runAgent({ scripts: { a: [text('ok')] }, options: { toolChoice: { type: 'tool', toolName: 'weather' } } });
    expect(provider.requests[0]!.toolChoice).toEqual({ type: 'tool', toolName: 'weather' });
  });
});

describe('agent options', () => {
  const base = { sessionId: 's', messages: [user], chain: ['a/m'], call: async () => ({ content: 'x' }) };
  it.each<[string, Record<string, unknown>, string]>([
    ['a tool name OpenAI and Anthropic refuse', { tools: { 'get.weather': { inputSchema: {} } } }, 'tools.get.weather'],
    ['a tool without inputSchema', { tools: { w: { execute: () => 1 } } }, 'tools.w.inputSchema'],
    ['a bare zod-like schema', { tools: { w: { inputSchema: new (class ZodObject { _def = {} })() } } }, 'tools.w.inputSchema'],
    ['execute that is not a function', { tools: { w: { inputSchema: {}, execute: 'run' } } }, 'tools.w.execute'],
    ['a provider-defined tool', { tools: { w: { type: 'provider', inputSchema: {} } } }, 'tools.w.type'],
    ['no tools at all', { tools: {} }, 'tools'],
    ['maxSteps without tools', { maxSteps: 3 }, 'maxSteps'],
    ['maxSteps 0', { tools: { w: { inputSchema: {} } }, maxSteps: 0 }, 'maxSteps'],
    ['toolChoice naming no tool', { tools: { w: { inputSchema: {} } }, toolChoice: { type: 'tool', toolName: 'x' } }, 'toolChoice.toolName'],
    ['toolChoice without tools', { toolChoice: 'required' }, 'toolChoice'],
  ])('%s is a ConfigError naming the field', (_name, patch, field) => {
    let thrown: unknown;
    try {
      createRunActor({ ...base, ...patch } as unknown as RunActorOptions);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).field).toBe(field);
  });
});
