import { APICallError } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator } from '../../src/providers/emulator/index.js';
import { allFixtures, type FixturePayload } from './helpers/fixtures.js';
import { clients, rejection } from './helpers/clients.js';
import { callRequest, openAiCompatibleModel } from './helpers/models.js';

// One emulator for the whole table: each fixture is served to its own provider name, so the
// rules never interfere and the records can be checked per fixture.
let emu: Emulator;
const fixtures = allFixtures();
beforeAll(async () => {
  emu = await startEmulator({ scenario: fixtures.map((f) => ({ provider: f.id, steps: [{ error: f }] })) });
});
afterAll(async () => {
  await emu.close();
});

function expectIntact(err: unknown, f: FixturePayload): void {
  expect(APICallError.isInstance(err), `${f.id}: ${String(err)}`).toBe(true);
  const e = err as APICallError;
  expect(e.statusCode).toBe(f.status);
  expect(e.responseBody).toBe(f.body);
  for (const [name, value] of Object.entries(f.headers)) expect(e.responseHeaders?.[name.toLowerCase()], `${f.id} header ${name}`).toBe(value);
}

describe('every error payload surfaces intact through fromAiSdk', () => {
  it('the table is not empty (the fixtures were found)', () => {
    expect(fixtures.length).toBeGreaterThan(40);
  });

  describe.each(clients)('%s, JSON', (_client, makeModel) => {
    const non2xx = fixtures.filter((f) => f.status >= 300);
    it.each(non2xx.map((f) => [f.id, f] as const))('%s → APICallError with status, headers and body', async (_id, f) => {
      const call = fromAiSdk((provider, model) => makeModel(emu, provider, model));
      expectIntact(await rejection(call(callRequest({ provider: f.id, model: 'm' }))), f);
    });
    // A 200 that says "blocked" or "error" is parsed by the client whose wire format it speaks
    // (so it is no APICallError there), and is still never a reply.
    const in200 = fixtures.filter((f) => f.status < 300);
    it.each(in200.map((f) => [f.id, f] as const))('%s (HTTP 200) → rejected, never a reply', async (_id, f) => {
      const call = fromAiSdk((provider, model) => makeModel(emu, provider, model));
      expect(await rejection(call(callRequest({ provider: f.id, model: 'm' })))).toBeDefined();
    });
  });

  describe.each(clients)('%s, streaming', (_client, makeModel) => {
    const non2xx = fixtures.filter((f) => f.status >= 300);
    it.each(non2xx.map((f) => [f.id, f] as const))('%s → APICallError with status, headers and body', async (_id, f) => {
      const call = fromAiSdk((provider, model) => makeModel(emu, provider, model));
      const deltas: string[] = [];
      expectIntact(await rejection(call(callRequest({ provider: f.id, model: 'm', onDelta: (d) => deltas.push(d) }))), f);
      expect(deltas).toEqual([]);
    });
  });

  // These carry the failure inside an HTTP 200: streamed, the client meets it in the stream.
  const in200 = fixtures.filter((f) => f.status < 300);
  it.each(in200.map((f) => [f.id, f] as const))('%s (HTTP 200) rejects when streamed through openai-compatible', async (_id, f) => {
    const call = fromAiSdk((provider, model) => openAiCompatibleModel(emu, provider, model));
    const err = await rejection(call(callRequest({ provider: f.id, model: 'm', onDelta: () => undefined })));
    expect(err).toBeDefined();
  });

  it('carries the SSE error object of an HTTP 200 stream as is, after the deltas before it', async () => {
    const f = fixtures.find((x) => x.status === 200 && x.body.includes('"error"') && x.body.includes('"content"'));
    expect(f, 'a 200 SSE fixture with text before its error').toBeDefined();
    const call = fromAiSdk((provider, model) => openAiCompatibleModel(emu, provider, model));
    const deltas: string[] = [];
    const err = await rejection(call(callRequest({ provider: f!.id, model: 'm', onDelta: (d) => deltas.push(d) })));
    expect(deltas.length).toBeGreaterThan(0);
    expect(APICallError.isInstance(err)).toBe(false);
    expect(err).toMatchObject({ message: expect.any(String) });
  });

  it('throws the error object of a choice that ends with finish_reason "error" (HTTP 200 stream)', async () => {
    const f = fixtures.find((x) => x.status === 200 && x.body.includes('"finish_reason":"error"'));
    expect(f, 'a 200 SSE fixture whose choice ends in error').toBeDefined();
    const call = fromAiSdk((provider, model) => openAiCompatibleModel(emu, provider, model));
    const err = await rejection(call(callRequest({ provider: f!.id, model: 'm', onDelta: () => undefined })));
    const inBody = JSON.parse(f!.body.replace(/^data: /, '')) as { choices: { error: unknown }[] };
    expect(err).toEqual(inBody.choices[0]?.error);
  });

  it('counted every call at the server', () => {
    const served = emu.requests();
    expect(served.every((r) => r.outcome === 'error')).toBe(true);
    expect(new Set(served.map((r) => r.provider))).toEqual(new Set(fixtures.map((f) => f.id)));
  });
});
