import { describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { parseMessage, parseMessages } from '../../src/config/parse-messages.js';
import { ConfigError, createRunActor, openSqliteStore, type Message, type RunActorOptions } from '../../src/index.js';

// Messages in the AI SDK's shape: what createRunActor accepts, refuses (with the field named),
// and hands to `call` exactly as it will store it.

const valid: RunActorOptions = {
  sessionId: 's',
  messages: [{ role: 'user', content: 'hi' }],
  chain: ['openai/gpt-x'],
  call: async () => ({ content: 'ok' }),
};

function fieldOf(messages: unknown): string {
  try {
    createRunActor({ ...valid, messages } as RunActorOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).field;
  }
  throw new Error('createRunActor accepted the messages');
}

/** An agent transcript with every part type a run keeps. */
const transcript: Message[] = [
  { role: 'system', content: 'You are terse.', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
      { type: 'image', image: 'https://example.com/cat.png', mediaType: 'image/png' },
      { type: 'file', data: new URL('blobs://bucket/report.pdf'), mediaType: 'application/pdf', filename: 'report.pdf' },
    ],
  },
  {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Look at the picture, then call the tool.', providerOptions: { anthropic: { signature: 'sig-1' } } },
      { type: 'text', text: 'A cat. Checking the weather.' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris', days: [1, 2], metric: true, note: null } },
    ],
  },
  {
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { type: 'json', value: { temp: 21.5, sky: 'clear' } } }],
  },
  { role: 'assistant', content: 'Sunny, 21.5 °C.' },
];

describe('messages in the AI SDK shape', () => {
  it('accepts every part type and returns a canonical copy: JSON, with a URL given as its string', () => {
    const parsed = parseMessages(transcript);
    expect(parsed).toHaveLength(transcript.length);
    const file = (parsed[1]!.content as readonly { type: string; data?: unknown }[])[2]!;
    expect(file.data).toBe('blobs://bucket/report.pdf');
    // what the run keeps is plain JSON: it survives a round trip unchanged
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
    expect(parsed[4]).toEqual({ role: 'assistant', content: 'Sunny, 21.5 °C.' });
  });

  it('keeps a plain text message as the same two fields, whatever else the object carried being refused', () => {
    expect(parseMessage({ role: 'user', content: 'hi' }, 'm')).toEqual({ role: 'user', content: 'hi' });
    expect(() => parseMessage({ role: 'user', content: 'hi', name: 'bob' }, 'm')).toThrow(/m\.name/);
  });

  it('keeps provider options of a provider named "__proto__" as its own entry', () => {
    const given = JSON.parse('{"role":"user","content":"x","providerOptions":{"__proto__":{"k":1},"openai":{"k":2}}}') as Message;
    const m = parseMessage(given, 'messages[0]') as { providerOptions: Record<string, unknown> };
    expect(Object.keys(m.providerOptions)).toEqual(['__proto__', 'openai']);
    expect(Object.getPrototypeOf(m.providerOptions)).toBe(Object.prototype);
  });

  it('keeps the fields a newer SDK adds to a part, when they are JSON', () => {
    const m = parseMessage({ role: 'assistant', content: [{ type: 'text', text: 'x', futureField: { a: 1 } }] }, 'm');
    expect(m.content).toEqual([{ type: 'text', text: 'x', futureField: { a: 1 } }]);
  });

  it.each<[string, unknown, string]>([
    ['a UI message (parts instead of content)', [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }], 'messages[0].parts'],
    ['a UI message id', [{ id: 'u1', role: 'user', content: 'x' }], 'messages[0].id'],
    ['a system message with parts', [{ role: 'system', content: [{ type: 'text', text: 'x' }] }], 'messages[0].content'],
    ['an empty parts array', [{ role: 'user', content: [] }], 'messages[0].content'],
    ['a part of the wrong role', [{ role: 'user', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: {} }] }], 'messages[0].content[0].type'],
    ['a tool-call without an id', [{ role: 'assistant', content: [{ type: 'tool-call', toolName: 't', input: {} }] }], 'messages[0].content[0].toolCallId'],
    ['a tool input that is not JSON', [{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: { at: new Date(0) } }] }], 'messages[0].content[0].input.at'],
    ['a NaN in a tool input', [{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 't', input: { n: Number.NaN } }] }], 'messages[0].content[0].input.n'],
    ['a tool result with an unknown output type', [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'blob' } }] }], 'messages[0].content[0].output.type'],
    ['a file without a media type', [{ role: 'user', content: [{ type: 'file', data: 'https://x/y.pdf' }] }], 'messages[0].content[0].mediaType'],
    ['provider options that are not objects', [{ role: 'user', content: 'x', providerOptions: { openai: 3 } }], 'messages[0].providerOptions.openai'],
    ['a lone surrogate in text content', [{ role: 'user', content: 'half \uD83D' }], 'messages[0].content'],
  ])('refuses %s, naming the field', (_name, messages, field) => {
    expect(fieldOf(messages)).toBe(field);
  });

  it.each<[string, unknown]>([
    ['bytes', new Uint8Array(3_000_000)],
    ['an ArrayBuffer', new ArrayBuffer(16)],
    ['a base64 string', 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='],
    ['a data: URL', 'data:image/png;base64,iVBORw0KGgo='],
  ])('refuses an image given inline as %s: binary goes by reference, never into the session', (_name, image) => {
    let thrown: unknown;
    try {
      createRunActor({ ...valid, messages: [{ role: 'user', content: [{ type: 'image', image }] }] } as unknown as RunActorOptions);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ field: 'messages[0].content[0].image' });
    expect((thrown as Error).message).toMatch(/inline binary data.*give its URL/);
  });

  it('refuses inline bytes in a tool result’s content too (a file-url item is the way)', () => {
    expect(
      fieldOf([{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'content', value: [{ type: 'image-data', data: 'AAAA', mediaType: 'image/png' }] } }] }]),
    ).toBe('messages[0].content[0].output.value[0].data');
  });

  it('hands `call` exactly the messages it stores, and the next run exactly what was stored, in order', async () => {
    const store = openSqliteStore();
    const seen: (readonly Message[])[] = [];
    const run = async (messages: readonly Message[]) => {
      const actor = createRunActor({ ...valid, store, messages, call: async (req) => (seen.push(req.messages), { content: 'done' }) });
      actor.start();
      return toPromise(actor);
    };
    expect((await run(transcript)).status).toBe('succeeded');
    expect((await run([{ role: 'user', content: 'and tomorrow?' }])).status).toBe('succeeded');
    const stored = (await store.listTurns('s')).map(({ seq: _seq, runId: _runId, ...m }) => m);
    expect(seen[0]).toEqual(parseMessages(transcript));
    expect(seen[1]).toEqual(stored.slice(0, transcript.length + 1).concat([{ role: 'user', content: 'and tomorrow?' }]));
    expect(stored.slice(0, transcript.length)).toEqual(parseMessages(transcript));
    await store.close();
  });
});

// parseMessages takes a plain `{ role, content: string }` without parseMessage's field names
// (src/config/parse-messages.ts): whatever the message, the answer must be parseMessage's.
describe('parseMessages and parseMessage agree', () => {
  const inherited = Object.assign(Object.create({ extra: 1 }) as object, { role: 'user', content: 'hi' });
  const inheritedRole = Object.assign(Object.create({ role: 'user' }) as object, { content: 'hi' });
  const nullProto = Object.assign(Object.create(null) as object, { role: 'user', content: 'hi' });
  const withSymbol = { role: 'user', content: 'hi', [Symbol('s')]: 1 };
  const cases: unknown[] = [
    { role: 'user', content: 'hi' },
    { content: 'reversed keys', role: 'assistant' },
    { role: 'system', content: '' },
    { role: 'tool', content: 'a tool result as text' },
    { role: 'user', content: 'hi', providerOptions: undefined },
    { role: 'user', content: 'hi', providerOptions: { openai: { store: true } } },
    { role: 'user', content: 'hi', extra: undefined },
    { role: 'user', content: 'hi', id: 'm1' },
    { role: 'user', content: 'lone \ud800 surrogate' },
    { role: 'user', content: 'a pair \ud83d\ude00 is fine' },
    { role: 'robot', content: 'hi' },
    { role: 'user', content: 42 },
    { role: 'user' },
    { content: 'hi' },
    { role: 'user', content: [{ type: 'text', text: 'parts' }] },
    inherited,
    inheritedRole,
    nullProto,
    withSymbol,
    null,
    'hi',
    [],
  ];

  const outcome = (f: () => unknown): unknown => {
    try {
      return { value: f() };
    } catch (err) {
      return { error: (err as Error).constructor.name, field: (err as ConfigError).field, message: (err as Error).message };
    }
  };

  it.each(cases.map((m, i) => [i, m]))('message %i', (_i, m) => {
    const many = outcome(() => parseMessages([{ role: 'user', content: 'first' }, m]));
    const one = outcome(() => [parseMessage({ role: 'user', content: 'first' }, 'messages[0]'), parseMessage(m, 'messages[1]')]);
    expect(many).toEqual(one);
    // the copy is a new object with exactly parseMessage's keys, in its order
    if ('value' in (many as object)) {
      const [, got] = (many as { value: Message[] }).value;
      const [, want] = (one as { value: Message[] }).value;
      expect(got).not.toBe(m);
      expect(Object.keys(got!)).toEqual(Object.keys(want!));
      expect(Object.getOwnPropertySymbols(got!)).toEqual([]);
    }
  });
});
