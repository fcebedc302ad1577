import { toPromise } from 'xstate';
import { createRunActor } from '../create-run-actor.js';
import { createEventBus } from '../events.js';
import { startEmulator, type Emulator } from '../providers/emulator/index.js';
import type { SessionStore } from '../store/types.js';
import { formatEvent } from './format-event.js';
import { openAiHttpCall } from './openai-http-call.js';

/** The quota incident (README), as the embedded default scenario of `npm start`. */
export const INCIDENT_CHAIN = [
  'openai-codex/gpt-5.5',
  'openai-codex/gpt-5.4-mini',
  'deepseek/deepseek-v4-pro',
  'deepseek/deepseek-v4-flash',
  'moonshot/kimi-k2.6',
];

// Demo keys: they exist only between this process and its own emulator on 127.0.0.1.
const DEMO_KEYS: Readonly<Record<string, string>> = {
  'sk-demo-codex-main': 'codex:main',
  'sk-demo-deepseek': 'deepseek:default',
  'sk-demo-moonshot': 'moonshot:default',
};
const KEY_OF_PROFILE = Object.fromEntries(Object.entries(DEMO_KEYS).map(([key, id]) => [id, key]));

const USAGE_LIMIT = {
  status: 429,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } }),
};

/** The third run: a stream that goes silent mid-answer (demo-sized limit: the default is 30 s). */
const STALL_CHAIN = ['deepseek/deepseek-v4-flash', 'moonshot/kimi-k2.6'];
const DEMO_IDLE_MS = 400;

export interface DemoOptions {
  /** Where the two runs keep their session and cooldowns; the caller opens and closes it. */
  store: SessionStore;
  write: (line: string) => void;
}

/**
 * Runs the incident twice on one store against a provider emulator over real HTTP (Codex's
 * account quota is spent, the others answer) and prints the decision timeline and what the
 * providers saw. Returns the exit code.
 */
export async function runDemo({ store, write }: DemoOptions): Promise<0 | 1> {
  const emulator = await startEmulator({
    keys: DEMO_KEYS,
    scenario: [
      { provider: 'openai-codex', steps: [{ error: USAGE_LIMIT }] },
      { provider: 'deepseek', model: 'deepseek-v4-flash', steps: [{ stallAfterDeltas: 3, reply: ['Here ', 'is ', 'the ', 'answer ', 'you ', 'asked ', 'for.'] }] },
    ],
    fallback: (req) => ({ reply: `(${req.model}) Hello! How can I help?` }),
  });
  // its server keeps the process alive: closed whatever happens
  try {
    return await tellIncident(store, emulator, write);
  } finally {
    await emulator.close();
  }
}

async function tellIncident(store: SessionStore, emulator: Emulator, write: (line: string) => void): Promise<0 | 1> {
  const bus = createEventBus();
  let startedAt = Date.now();
  for (const type of ['attempt.started', 'attempt.failed', 'attempt.succeeded', 'cooldown.set', 'retry.scheduled', 'profile.rotated', 'candidate.skipped', 'model.escalated', 'reply.reset', 'session.persisted', 'run.succeeded', 'run.failed'] as const) {
    bus.on(type, (e) => {
      const line = formatEvent(e, startedAt);
      if (line) write(`  ${line}`);
    });
  }
  const call = openAiHttpCall((provider) => emulator.baseUrl(provider), (profileId) => KEY_OF_PROFILE[profileId] ?? 'sk-demo-unknown');
  write('llm-failover demo: the quota incident, over HTTP against a local provider emulator');
  write(`chain: ${INCIDENT_CHAIN.join(' → ')}`);
  write(`emulator: ${emulator.url} (openai-codex answers 429 usage_limit_reached; the others answer)\n`);
  let failed = 0;
  let seen = 0;
  for (const [i, title] of ['run 1: a fresh store', 'run 2: same store, the cooldown is remembered'].entries()) {
    write(title);
    startedAt = Date.now();
    const actor = createRunActor({
      sessionId: 'chat-42',
      messages: [{ role: 'user', content: i === 0 ? 'hello' : 'and again' }],
      chain: INCIDENT_CHAIN,
      profiles: { 'openai-codex': ['codex:main'] },
      call,
      store,
      events: bus,
    });
    actor.start();
    const out = await toPromise(actor);
    if (out.status !== 'succeeded') failed++;
    const requests = emulator.requests().slice(seen);
    seen += requests.length;
    write(`  → ${out.status}; the providers saw ${requests.length} request(s): ${requests.map((r) => `${r.provider}/${r.model} (${r.keyId}) → ${r.outcome}`).join(', ')}\n`);
  }
  const turns = await store.listTurns('chat-42');
  write(`session chat-42 now holds ${turns.length} turns:`);
  for (const t of turns) write(`  ${t.seq}. ${t.role}: ${t.content}`);
  if (!(await tellStall(store, emulator, bus, write, (t) => (startedAt = t)))) failed++;
  return failed === 0 ? 0 : 1;
}

/** Run 3: a streamed answer stalls after three words; the host is told to drop them, the next provider answers in full. */
async function tellStall(store: SessionStore, emulator: Emulator, bus: ReturnType<typeof createEventBus>, write: (line: string) => void, setStart: (t: number) => void): Promise<boolean> {
  write(`\nrun 3: streaming; ${STALL_CHAIN[0]} sends three words, then goes silent (streamIdleTimeoutMs: ${DEMO_IDLE_MS} ms here, 30 s by default)`);
  write(`chain: ${STALL_CHAIN.join(' → ')}`);
  setStart(Date.now());
  let shown = '';
  const onDelta = (e: { text: string }) => (shown += e.text);
  const onReset = () => {
    write(`  the host had shown "${shown}" and drops it (reply.reset)`);
    shown = '';
  };
  bus.on('reply.delta', onDelta);
  bus.on('reply.reset', onReset);
  try {
    const call = openAiHttpCall((provider) => emulator.baseUrl(provider), (profileId) => KEY_OF_PROFILE[profileId] ?? 'sk-demo-unknown');
    const actor = createRunActor({
      sessionId: 'chat-43',
      messages: [{ role: 'user', content: 'tell me' }],
      chain: STALL_CHAIN,
      call,
      store,
      stream: true,
      events: bus,
      policy: { streamIdleTimeoutMs: DEMO_IDLE_MS },
    });
    actor.start();
    const out = await toPromise(actor);
    write(`  → ${out.status}; the host shows: "${shown}"`);
    return out.status === 'succeeded';
  } finally {
    bus.off('reply.delta', onDelta);
    bus.off('reply.reset', onReset);
  }
}
