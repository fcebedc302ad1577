import { APICallError } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type EmulatorOptions, type MalformedKind } from '../../src/providers/emulator/index.js';
import { clients, rejection } from './helpers/clients.js';
import { callRequest, until } from './helpers/models.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});
const start = async (options: EmulatorOptions) => (emu = await startEmulator(options));

describe.each(clients)('%s: hung provider', (_client, makeModel) => {
  it.each([false, true])('a request that gets no byte is aborted by req.signal and its socket closes (stream: %s)', async (streaming) => {
    const e = await start({ scenario: [{ steps: [{ hang: true }] }] });
    const call = fromAiSdk((provider, model) => makeModel(e, provider, model));
    const controller = new AbortController();

    const pending = rejection(call(callRequest({ signal: controller.signal, ...(streaming ? { onDelta: () => undefined } : {}) })));
    await until(() => e.requests().length === 1, 'the emulator received the request');
    expect(e.openConnections()).toBe(1);
    controller.abort(new DOMException('attempt timed out', 'TimeoutError'));

    const err = await pending;
    expect((err as Error).name).toMatch(/AbortError|TimeoutError/);
    await e.waitForNoConnections();
    expect(e.openConnections()).toBe(0);
    expect(e.requests()).toMatchObject([{ outcome: 'hang', status: undefined, end: 'client_closed' }]);
  });

  it('a stream that stalls after some deltas is aborted and its socket closes', async () => {
    // Deltas are sent, then the server waits far longer than the test: only the abort ends it.
    const e = await start({ scenario: [{ steps: [{ reply: ['one ', 'two ', 'three'], deltaDelayMs: 600_000 }] }] });
    const call = fromAiSdk((provider, model) => makeModel(e, provider, model));
    const controller = new AbortController();
    const deltas: string[] = [];

    const pending = rejection(call(callRequest({ signal: controller.signal, onDelta: (d) => deltas.push(d) })));
    await until(() => deltas.length === 1, 'the first delta arrived');
    controller.abort();

    await pending;
    expect(deltas).toEqual(['one ']);
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'reply', status: 200, end: 'client_closed' }]);
  });
});

describe.each(clients)('%s: connection dropped by the server', (_client, makeModel) => {
  it('a stream dropped after n deltas forwards the n deltas, then rejects', async () => {
    const e = await start({ scenario: [{ steps: [{ dropAfterDeltas: 2, reply: ['a', 'b', 'c', 'd'] }] }] });
    const call = fromAiSdk((provider, model) => makeModel(e, provider, model));
    const deltas: string[] = [];

    await rejection(call(callRequest({ onDelta: (d) => deltas.push(d) })));

    expect(deltas).toEqual(['a', 'b']);
    await e.waitForNoConnections();
    expect(e.requests()).toMatchObject([{ outcome: 'dropped', end: 'server_dropped' }]);
  });

  it('a JSON answer dropped halfway rejects', async () => {
    const e = await start({ scenario: [{ steps: [{ dropAfterDeltas: 0 }] }] });
    const call = fromAiSdk((provider, model) => makeModel(e, provider, model));
    await rejection(call(callRequest()));
    await e.waitForNoConnections();
  });
});

const kinds: MalformedKind[] = ['non-json', 'truncated', 'html', 'empty'];

describe.each(clients)('%s: malformed bodies reject, never resolve or crash', (_client, makeModel) => {
  it.each(kinds)('%s, JSON → APICallError carrying the body', async (kind) => {
    const e = await start({ scenario: [{ steps: [{ malformed: kind }] }] });
    const call = fromAiSdk((provider, model) => makeModel(e, provider, model));

    const err = await rejection(call(callRequest()));

    expect(APICallError.isInstance(err), String(err)).toBe(true);
    expect((err as APICallError).statusCode).toBe(kind === 'html' ? 502 : 200);
    if (kind === 'html') expect((err as APICallError).responseBody).toContain('502 Bad Gateway');
    expect(e.requests()).toMatchObject([{ outcome: 'malformed', end: 'completed' }]);
  });

  it.each(kinds)('%s, streaming → rejects', async (kind) => {
    const e = await start({ scenario: [{ steps: [{ malformed: kind }] }] });
    const call = fromAiSdk((provider, model) => makeModel(e, provider, model));
    const err = await rejection(call(callRequest({ onDelta: () => undefined })));
    expect(err).toBeDefined();
    expect(e.requests()).toMatchObject([{ outcome: 'malformed', stream: true }]);
  });

  it('a 503 with a non-JSON body keeps its status for the classifier', async () => {
    const e = await start({ scenario: [{ steps: [{ malformed: 'non-json', status: 503 }] }] });
    const call = fromAiSdk((provider, model) => makeModel(e, provider, model));
    const err = await rejection(call(callRequest()));
    expect(err).toMatchObject({ statusCode: 503, responseBody: expect.stringContaining('upstream connect error') });
  });
});
