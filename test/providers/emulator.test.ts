import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { startEmulator, type Emulator, type EmulatorOptions, type Step } from '../../src/providers/emulator/index.js';
import { fixture } from './helpers/fixtures.js';
import { until } from './helpers/models.js';
import { chat, messages } from './helpers/wire.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (options: EmulatorOptions = {}) => (emu = await startEmulator(options));

describe('emulator: wire formats', () => {
  it('listens on 127.0.0.1 on an ephemeral port and builds per-provider base URLs', async () => {
    const e = await start();
    expect(e.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(e.port).toBeGreaterThan(0);
    expect(e.baseUrl('openai-codex')).toBe(`${e.url}/openai-codex/v1`);
    expect(e.baseUrl('a b/c')).toBe(`${e.url}/a%20b%2Fc/v1`);
  });

  it('answers an OpenAI chat completion as JSON', async () => {
    const e = await start({ scenario: [{ steps: [{ reply: 'Hello there.' }] }] });
    const res = await chat(e, 'deepseek', { model: 'deepseek-v4-pro' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({
      object: 'chat.completion',
      model: 'deepseek-v4-pro',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
    });
  });

  it('streams an OpenAI chat completion as SSE chunks ending in [DONE]', async () => {
    const e = await start({ scenario: [{ steps: [{ reply: 'Hello big world' }] }] });
    const res = await chat(e, 'deepseek', { model: 'm', stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((ev) => JSON.parse(ev.replace(/^data: /, '')) as { choices: { delta: { content?: string }; finish_reason: string | null }[] });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello big world');
    expect(chunks.slice(1, -1).map((c) => c.choices[0]?.delta.content)).toEqual(['Hello ', 'big ', 'world']);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('answers an Anthropic message as JSON and as an event stream', async () => {
    const e = await start({ scenario: [{ steps: [{ reply: 'Hi from Claude' }] }] });
    const json = await messages(e, 'anthropic', { model: 'claude-x', system: 'Be brief.' });
    expect(await json.json()).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-x', content: [{ type: 'text', text: 'Hi from Claude' }], stop_reason: 'end_turn' });

    const sse = await (await messages(e, 'anthropic', { model: 'claude-x', stream: true })).text();
    const types = [...sse.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types.filter((t) => t === 'content_block_delta')).toHaveLength(3);
    expect(e.requests()[0]?.prompt).toEqual([
      { role: 'system', text: 'Be brief.' },
      { role: 'user', text: 'hi' },
    ]);
  });

  it('sends an error payload verbatim: status, headers and body', async () => {
    const f = fixture('openai-codex-429-quota_exhausted-1');
    const e = await start({ scenario: [{ steps: [{ error: f }] }] });
    const res = await chat(e, 'openai-codex', { model: 'gpt-5.5' });
    expect(res.status).toBe(f.status);
    for (const [name, value] of Object.entries(f.headers)) expect(res.headers.get(name)).toBe(value);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(f.body);
    expect(e.requests()).toMatchObject([{ outcome: 'error', status: 429, end: 'completed' }]);
  });

  it('answers 404 outside its routes and 400 to a body that is not a JSON object', async () => {
    const e = await start();
    expect((await fetch(`${e.url}/deepseek/v1/embeddings`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${e.baseUrl('deepseek')}/chat/completions`)).status).toBe(404);
    const bad = await fetch(`${e.baseUrl('deepseek')}/chat/completions`, { method: 'POST', body: '{"model":' });
    expect(bad.status).toBe(400);
    expect(e.requests()).toMatchObject([{ provider: 'deepseek', outcome: 'invalid_request', status: 400 }]);
  });
});

describe('emulator: scenarios', () => {
  it('gives each rule its own script and repeats a script’s last step', async () => {
    const e = await start({
      scenario: [
        { provider: 'p', model: 'a', steps: [{ reply: 'a1' }, { reply: 'a2' }] },
        { provider: 'p', steps: [{ reply: 'p1' }] },
      ],
    });
    const replies: string[] = [];
    for (const model of ['a', 'b', 'a', 'a', 'b']) {
      const body = (await (await chat(e, 'p', { model })).json()) as { choices: { message: { content: string } }[] };
      replies.push(body.choices[0]?.message.content ?? '');
    }
    expect(replies).toEqual(['a1', 'p1', 'a2', 'a2', 'p1']);
  });

  it('falls back to a reply naming provider and model, or to the given fallback', async () => {
    const e = await start({ scenario: [{ provider: 'other', steps: [{ reply: 'x' }] }] });
    const body = (await (await chat(e, 'deepseek', { model: 'v4' })).json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe('Reply from deepseek/v4.');
    await e.close();

    const e2 = await start({ fallback: { error: { status: 503, body: 'down' } } });
    expect((await chat(e2, 'deepseek', { model: 'v4' })).status).toBe(503);
  });

  it('accepts a function scenario that sees provider, model, key id, arrival number and time', async () => {
    const seen: unknown[] = [];
    let clock = 1000;
    const e = await start({
      now: () => (clock += 5),
      keys: { 'sk-1': 'k:1' },
      scenario: (req) => {
        seen.push(req);
        return req.seq === 1 ? { error: { status: 500, body: '{}' } } : { reply: 'ok' };
      },
    });
    expect((await chat(e, 'p', { model: 'm' }, 'sk-1')).status).toBe(500);
    expect((await chat(e, 'p', { model: 'm', stream: true }, 'sk-1')).status).toBe(200);
    expect(seen).toEqual([
      { provider: 'p', model: 'm', keyId: 'k:1', api: 'openai-chat', stream: false, seq: 1, at: e.requests()[0]?.receivedAt },
      { provider: 'p', model: 'm', keyId: 'k:1', api: 'openai-chat', stream: true, seq: 2, at: e.requests()[1]?.receivedAt },
    ]);
  });

  it.each<[string, unknown]>([
    ['an empty script', [{ steps: [] }]],
    ['a step of no known kind', [{ steps: [{ wait: 1 }] }]],
    ['an error that is a fixture id, not a payload', [{ steps: [{ error: 'openai-429' }] }]],
    ['an unknown malformed kind', [{ steps: [{ malformed: 'xml' }] }]],
    ['a negative latency', [{ steps: [{ reply: 'x', latencyMs: -1 }] }]],
    ['a fractional drop count', [{ steps: [{ dropAfterDeltas: 1.5 }] }]],
  ])('rejects %s with a ConfigError naming the step', async (_what, scenario) => {
    await expect(startEmulator({ scenario: scenario as Step[] as never })).rejects.toBeInstanceOf(ConfigError);
    await expect(startEmulator({ scenario: scenario as never })).rejects.toThrow(/scenario\[0\]\.steps/);
  });
});

describe('emulator: API keys', () => {
  const keys = { 'sk-emu-codex-1': 'codex:main', 'sk-emu-codex-2': 'codex:backup' };

  it('records key ids and never the keys themselves', async () => {
    const e = await start({ keys });
    await chat(e, 'openai-codex', { model: 'gpt-5.5' }, 'sk-emu-codex-1');
    await messages(e, 'anthropic', { model: 'c' }, 'sk-emu-codex-2');
    await chat(e, 'openai-codex', { model: 'gpt-5.5' }, 'sk-emu-unknown-9');

    expect(e.requests().map((r) => r.keyId)).toEqual(['codex:main', 'codex:backup', undefined]);
    const everything = JSON.stringify(e.requests());
    for (const key of [...Object.keys(keys), 'sk-emu-unknown-9']) expect(everything).not.toContain(key);
  });

  it('refuses a missing or unknown key with the format’s 401, before any scenario step', async () => {
    const e = await start({ keys, scenario: [{ steps: [{ hang: true }] }] });
    const unknown = await chat(e, 'openai-codex', { model: 'gpt-5.5' }, 'sk-emu-unknown-9');
    expect(unknown.status).toBe(401);
    const text = await unknown.text();
    expect(text).toContain('invalid_api_key');
    expect(text).not.toContain('sk-emu-unknown-9');
    const missing = await fetch(`${e.baseUrl('anthropic')}/messages`, { method: 'POST', body: JSON.stringify({ model: 'c', messages: [] }) });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(e.requests().map((r) => r.outcome)).toEqual(['unauthorized', 'unauthorized']);
  });

  it('accepts any key when no key map is given, recording no key id', async () => {
    const e = await start();
    await chat(e, 'p', { model: 'm' }, 'sk-secret-123');
    expect(e.requests()).toMatchObject([{ keyId: undefined, outcome: 'reply' }]);
    expect(JSON.stringify(e.requests())).not.toContain('sk-secret-123');
  });
});

describe('emulator: connections and lifecycle', () => {
  it('counts an open hung exchange, and none once the client gives up', async () => {
    const e = await start({ scenario: [{ steps: [{ hang: true }] }] });
    const controller = new AbortController();
    const pending = chat(e, 'p', { model: 'm' }, 'k', { signal: controller.signal }).catch((err: unknown) => err);
    await until(() => e.requests().length === 1, 'request received');
    expect(e.openConnections()).toBe(1);
    controller.abort();
    await pending;
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'hang', end: 'client_closed', endedAt: expect.any(Number) }]);
  });

  it('leaves no idle keep-alive socket after a completed answer', async () => {
    const e = await start();
    await (await chat(e, 'p', { model: 'm' })).text();
    await e.waitForNoConnections();
    expect(e.openConnections()).toBe(0);
  });

  it('counts a socket that never carried a request in openSockets() only, and close() ends it', async () => {
    const e = await start();
    const spare = connect(e.port, '127.0.0.1');
    const spareClosed = new Promise((resolve) => spare.once('close', resolve));
    spare.on('error', () => undefined);
    await until(() => e.openSockets() === 1, 'the server accepted the spare socket');
    expect(e.openConnections()).toBe(0);
    await e.close();
    expect(e.openSockets()).toBe(0);
    await spareClosed;
  });

  it('cancels a pending latency when the client leaves', async () => {
    const e = await start({ scenario: [{ steps: [{ reply: 'late', latencyMs: 600_000 }] }] });
    const controller = new AbortController();
    const pending = chat(e, 'p', { model: 'm' }, 'k', { signal: controller.signal }).catch((err: unknown) => err);
    await until(() => e.requests().length === 1, 'request received');
    controller.abort();
    await pending;
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ status: undefined, end: 'client_closed' }]);
  });

  it('close() ends hung connections, stops listening, and can be called twice', async () => {
    const e = await start({ scenario: [{ steps: [{ hang: true }] }] });
    const pending = chat(e, 'p', { model: 'm' }).then(
      () => 'resolved',
      () => 'rejected',
    );
    await until(() => e.requests().length === 1, 'request received');
    await Promise.all([e.close(), e.close()]);
    expect(await pending).toBe('rejected');
    expect(e.openConnections()).toBe(0);
    expect(e.openSockets()).toBe(0);
    await expect(chat(e, 'p', { model: 'm' })).rejects.toThrow();
  });

  it('returns copies of its records', async () => {
    const e = await start();
    await chat(e, 'p', { model: 'm' });
    const first = e.requests();
    first[0]!.provider = 'changed';
    first[0]!.prompt.length = 0;
    expect(e.requests()[0]).toMatchObject({ provider: 'p', prompt: [{ role: 'user', text: 'hi' }] });
  });
});
