import { toPromise } from 'xstate';
import { createRunActor } from '../create-run-actor.js';
import { createEventBus } from '../events.js';
import { openSqliteStore } from '../store/index.js';
import type { CallFn } from '../types.js';
import { formatEvent } from './format-event.js';

/** The incident of design.md, as the embedded default scenario of `npm start`. */
export const INCIDENT_CHAIN = [
  'openai-codex/gpt-5.5',
  'openai-codex/gpt-5.4-mini',
  'deepseek/deepseek-v4-pro',
  'deepseek/deepseek-v4-flash',
  'moonshot/kimi-k2.6',
];

/** In-process stand-ins for the providers: Codex's account quota is spent, the others answer. */
const incidentProviders: CallFn = async (req) => {
  if (req.provider === 'openai-codex') {
    throw {
      status: 429,
      headers: { 'content-type': 'application/json' },
      body: { error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_in_seconds: 3600 } },
    };
  }
  return { content: `(${req.model}) Hello! How can I help?` };
};

export interface DemoOptions {
  dbPath: string;
  write: (line: string) => void;
}

/** Runs the incident twice on one store and prints the decision timeline; returns the exit code. */
export async function runDemo({ dbPath, write }: DemoOptions): Promise<number> {
  const store = openSqliteStore({ path: dbPath });
  const bus = createEventBus();
  let startedAt = Date.now();
  let calls = 0;
  for (const type of ['attempt.started', 'attempt.failed', 'attempt.succeeded', 'cooldown.set', 'retry.scheduled', 'profile.rotated', 'candidate.skipped', 'model.escalated', 'session.persisted', 'run.succeeded', 'run.failed'] as const) {
    bus.on(type, (e) => {
      if (e.type === 'attempt.started') calls++;
      const line = formatEvent(e, startedAt);
      if (line) write(`  ${line}`);
    });
  }
  write('llm-failover demo: the quota incident of design.md');
  write(`chain: ${INCIDENT_CHAIN.join(' → ')}`);
  write('openai-codex answers 429 usage_limit_reached (account quota spent); the others answer.\n');
  let failed = 0;
  for (const [i, title] of ['run 1: a fresh store', 'run 2: same store, the cooldown is remembered'].entries()) {
    write(title);
    startedAt = Date.now();
    calls = 0;
    const actor = createRunActor({
      sessionId: 'chat-42',
      messages: [{ role: 'user', content: i === 0 ? 'hello' : 'and again' }],
      chain: INCIDENT_CHAIN,
      profiles: { 'openai-codex': ['codex:main'] },
      call: incidentProviders,
      store,
      events: bus,
    });
    actor.start();
    const out = await toPromise(actor);
    if (out.status !== 'succeeded') failed++;
    write(`  → ${out.status} with ${calls} provider call(s)\n`);
  }
  const turns = store.listTurns('chat-42');
  write(`session chat-42 now holds ${turns.length} turns:`);
  for (const t of turns) write(`  ${t.seq}. ${t.role}: ${t.content}`);
  store.close();
  return failed === 0 ? 0 : 1;
}
