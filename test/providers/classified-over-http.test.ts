import { afterEach, describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, openSqliteStore } from '../../src/index.js';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/providers/emulator/index.js';
import { openAiCompatibleModel } from './helpers/models.js';

// Real payloads from the corpus (test/fixtures/error-payloads.json) sent over HTTP, read by the AI
// SDK's openai-compatible provider and classified by the engine: the verdicts that used to end a
// run, or to block a whole key, now move it on. The emulator's request log is the witness.

const KEYS: Record<string, string> = {
  'sk-emu-xai-1': 'xai:main',
  'sk-emu-openai-1': 'openai:main',
  'sk-emu-deepseek-1': 'deepseek:main',
};
const KEY_OF_PROFILE = Object.fromEntries(Object.entries(KEYS).map(([key, id]) => [id, key]));

let emu: Emulator | undefined;
let store: ReturnType<typeof openSqliteStore> | undefined;
afterEach(async () => {
  await emu?.close();
  store?.close();
  emu = undefined;
  store = undefined;
});

async function runOver(options: EmulatorOptions, chain: string[], profiles: Record<string, string[]>) {
  const e = (emu = await startEmulator({ keys: KEYS, ...options }));
  const s = (store = openSqliteStore());
  const call = fromAiSdk((provider, model, profileId) => openAiCompatibleModel(e, provider, model, KEY_OF_PROFILE[profileId]));
  const actor = createRunActor({ sessionId: 's-1', messages: [{ role: 'user', content: 'hello' }], chain, profiles, call, store: s });
  actor.start();
  return { e, out: await toPromise(actor) };
}

const served = (e: Emulator) => e.requests().map((r) => `${r.provider}/${r.model}:${r.status ?? '-'}`);

describe('real payloads over HTTP through fromAiSdk', () => {
  it('a 400 "Incorrect API key" (xAI answers bad keys with 400) moves on to the next provider, which answers', async () => {
    // xai-400-auth-1 of the corpus: the body xAI sends, the key part URL-encoded as in the issue.
    const body = JSON.stringify({ code: 'Client specified an invalid argument', error: 'Incorrect API key provided: xa***9f. You can obtain an API key from https://console.x.ai.' });
    const { e, out } = await runOver(
      {
        scenario: [
          { provider: 'xai', steps: [{ error: { status: 400, headers: { 'content-type': 'application/json' }, body } }] },
          { provider: 'deepseek', steps: [{ reply: 'DeepSeek answers.' }] },
        ],
      },
      ['xai/grok-4', 'deepseek/deepseek-v4-pro'],
      { xai: ['xai:main'], deepseek: ['deepseek:main'] },
    );
    expect(out.status).toBe('succeeded');
    expect(served(e)).toEqual(['xai/grok-4:400', 'deepseek/deepseek-v4-pro:200']);
    const first = out.attempts[0];
    expect(first).toMatchObject({ provider: 'xai', outcome: 'failed', reason: 'auth', scope: 'profile', status: 400 });
  });

  it('a per-model TPM 429 on openai/gpt-5 lets openai/gpt-5-mini answer on the same key', async () => {
    const body = JSON.stringify({
      error: {
        message: 'Rate limit reached for gpt-5 in organization org-Abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 4000. Please try again in 2m0s. Visit https://platform.openai.com/account/rate-limits to learn more.',
        type: 'tokens',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    const { e, out } = await runOver(
      {
        scenario: [
          { provider: 'openai', model: 'gpt-5', steps: [{ error: { status: 429, headers: { 'content-type': 'application/json' }, body } }] },
          { provider: 'openai', model: 'gpt-5-mini', steps: [{ reply: 'The mini model answers.' }] },
        ],
      },
      ['openai/gpt-5', 'openai/gpt-5-mini'],
      { openai: ['openai:main'] },
    );
    expect(out.status).toBe('succeeded');
    if (out.status === 'succeeded') expect(out.servedBy).toEqual({ provider: 'openai', model: 'gpt-5-mini', profileId: 'openai:main' });
    // The wait (2 minutes) is longer than a retry is worth: the sibling model on the same key answers at once.
    expect(served(e)).toEqual(['openai/gpt-5:429', 'openai/gpt-5-mini:200']);
    expect(out.attempts[0]).toMatchObject({ reason: 'rate_limit', scope: 'model' });
  });
});
