import { afterEach, describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, FAILURE_REASONS, openSqliteStore, type PolicyOverrides } from '../../src/index.js';
import { fromAiSdk } from '../../src/providers/ai-sdk/index.js';
import { startEmulator, type Emulator, type EmulatorOptions, type MalformedKind, type Step } from '../../src/providers/emulator/index.js';
import { fixture } from './helpers/fixtures.js';
import { openAiCompatibleModel } from './helpers/models.js';

// Acceptance tests of issue 6: the whole engine against real HTTP. The emulator's own log is
// the witness: calls are counted at the server, not in our code.

const INCIDENT_CHAIN = [
  'openai-codex/gpt-5.5',
  'openai-codex/gpt-5.4-mini',
  'deepseek/deepseek-v4-pro',
  'deepseek/deepseek-v4-flash',
  'moonshot/kimi-k2.6',
];

const KEYS: Record<string, string> = {
  'sk-emu-codex-1': 'codex:main',
  'sk-emu-deepseek-1': 'deepseek:main',
  'sk-emu-moonshot-1': 'moonshot:main',
  'sk-emu-mistral-1': 'mistral:one',
  'sk-emu-mistral-2': 'mistral:two',
};
/** The host's side: profile id → key. The engine only ever sees the ids. */
const KEY_OF_PROFILE = Object.fromEntries(Object.entries(KEYS).map(([key, id]) => [id, key]));

let emu: Emulator | undefined;
let store: ReturnType<typeof openSqliteStore> | undefined;
afterEach(async () => {
  await emu?.close();
  store?.close();
  emu = undefined;
  store = undefined;
});

async function setup(options: EmulatorOptions) {
  const e = (emu = await startEmulator({ keys: KEYS, ...options }));
  const s = (store = openSqliteStore());
  // One AI SDK provider instance per profile: the key comes from the profile id.
  const call = fromAiSdk((provider, model, profileId) => openAiCompatibleModel(e, provider, model, KEY_OF_PROFILE[profileId]));
  return { e, s, call };
}

function run(args: {
  call: ReturnType<typeof fromAiSdk>;
  store: ReturnType<typeof openSqliteStore>;
  chain: string[];
  profiles: Record<string, string[]>;
  policy?: PolicyOverrides;
}) {
  const actor = createRunActor({ sessionId: 'chat-42', messages: [{ role: 'user', content: 'hello' }], ...args });
  actor.start();
  return toPromise(actor);
}

/** deepseek plays `step`, moonshot answers: one run over the chain deepseek → moonshot. */
async function deepseekThenMoonshot(step: Step, policy: PolicyOverrides) {
  const { e, s, call } = await setup({
    scenario: [
      { provider: 'deepseek', steps: [step] },
      { provider: 'moonshot', steps: [{ reply: 'Moonshot answers.' }] },
    ],
  });
  const out = await run({
    call,
    store: s,
    chain: ['deepseek/deepseek-v4-pro', 'moonshot/kimi-k2.6'],
    profiles: { deepseek: ['deepseek:main'], moonshot: ['moonshot:main'] },
    policy,
  });
  return { e, out };
}

const served = (e: Emulator) => e.requests().map((r) => `${r.provider}/${r.model}@${r.keyId}:${r.outcome}`);

describe('the engine over real HTTP (emulator + fromAiSdk + openai-compatible)', () => {
  it('the incident: codex 429 usage_limit_reached, deepseek answers; 2 requests at the server, none for gpt-5.4-mini', async () => {
    const { e, s, call } = await setup({
      scenario: [
        { provider: 'openai-codex', steps: [{ error: fixture('openai-codex-429-quota_exhausted-1') }] },
        { provider: 'deepseek', steps: [{ reply: 'Hello from DeepSeek.' }] },
      ],
    });

    const out = await run({
      call,
      store: s,
      chain: INCIDENT_CHAIN,
      profiles: { 'openai-codex': ['codex:main'], deepseek: ['deepseek:main'], moonshot: ['moonshot:main'] },
    });

    expect(served(e)).toEqual(['openai-codex/gpt-5.5@codex:main:error', 'deepseek/deepseek-v4-pro@deepseek:main:reply']);
    expect(e.requests().some((r) => r.model === 'gpt-5.4-mini')).toBe(false);
    expect(out).toMatchObject({ status: 'succeeded', servedBy: { provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'deepseek:main' } });
    if (out.status !== 'succeeded') return;
    expect(out.reply.content).toBe('Hello from DeepSeek.');
    expect(out.attempts[0]).toMatchObject({ outcome: 'failed', reason: 'quota_exhausted', scope: 'profile', status: 429 });
    expect((await s.listTurns('chat-42')).map((t) => [t.role, t.content])).toEqual([
      ['user', 'hello'],
      ['assistant', 'Hello from DeepSeek.'],
    ]);
    // Keys reach the server only: not the run's output, not the session.
    const runRow = await s.getRun(await runIdOf(s));
    expect(runRow?.attempts).toHaveLength(2);
    const everything = JSON.stringify([out, await s.listTurns('chat-42'), runRow, e.requests()]);
    for (const key of Object.keys(KEYS)) expect(everything).not.toContain(key);
  });

  it('key rotation: key 1 answers 429 with retry-after, the server sees key 2 next', async () => {
    const limited = fixture('mistral-429-rate_limit-1');
    expect(limited.headers['retry-after']).toBeDefined();
    const { e, s, call } = await setup({
      scenario: [
        { provider: 'mistral', keyId: 'mistral:one', steps: [{ error: limited }] },
        { provider: 'mistral', keyId: 'mistral:two', steps: [{ reply: 'Served with key 2.' }] },
      ],
    });

    const out = await run({
      call,
      store: s,
      chain: ['mistral/mistral-large', 'deepseek/deepseek-v4-pro'],
      profiles: { mistral: ['mistral:one', 'mistral:two'], deepseek: ['deepseek:main'] },
    });

    expect(served(e)).toEqual(['mistral/mistral-large@mistral:one:error', 'mistral/mistral-large@mistral:two:reply']);
    expect(out).toMatchObject({ status: 'succeeded', servedBy: { provider: 'mistral', profileId: 'mistral:two' } });
  });

  it('a hung provider is cut by policy.attemptTimeoutMs, classified timeout, and its connection closed', async () => {
    const { e, out } = await deepseekThenMoonshot({ hang: true }, { attemptTimeoutMs: 300, maxAttemptsPerCandidate: 1 });

    expect(out.attempts[0]).toMatchObject({ provider: 'deepseek', outcome: 'failed', reason: 'timeout' });
    expect(out).toMatchObject({ status: 'succeeded', servedBy: { provider: 'moonshot' } });
    await e.waitForNoConnections();
    expect(e.openConnections()).toBe(0);
    expect(e.requests()[0]).toMatchObject({ provider: 'deepseek', outcome: 'hang', end: 'client_closed' });
  });

  const KINDS: MalformedKind[] = ['non-json', 'truncated', 'html', 'empty'];

  async function runAgainstMalformed(kind: MalformedKind) {
    const { e, out } = await deepseekThenMoonshot({ malformed: kind }, { backoffBaseMs: 1 });
    return { e, out, failed: out.attempts.filter((a) => a.provider === 'deepseek') };
  }

  it.each(KINDS)('a %s body is classified, never a crash', async (kind) => {
    const { e, out, failed } = await runAgainstMalformed(kind);

    expect(['succeeded', 'failed']).toContain(out.status);
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) {
      expect(a.outcome).toBe('failed');
      expect(FAILURE_REASONS).toContain(a.reason);
    }
    expect(e.requests().filter((r) => r.provider === 'deepseek').every((r) => r.outcome === 'malformed')).toBe(true);
  });

  it.each(KINDS)('a %s body is blamed on the provider, not the request, so the run moves on', async (kind) => {
    const { out, failed } = await runAgainstMalformed(kind);

    // The server accepted the request (or a proxy broke the answer): every other candidate
    // may well answer, so failing the run as a bad request would be wrong.
    expect(failed.map((a) => a.reason)).not.toContain('bad_request');
    expect(out).toMatchObject({ status: 'succeeded', servedBy: { provider: 'moonshot' } });
  });
});

/** The one run of the store's session, to read its row. */
async function runIdOf(s: ReturnType<typeof openSqliteStore>): Promise<string> {
  return (await s.listTurns('chat-42'))[0]?.runId ?? '';
}
