// One host of the README incident: a run through the real engine whose first candidate's account
// is out of quota (openai-codex answers 429 insufficient_quota) and whose fallback answers.
// It reports which providers it called. Run on two hosts sharing a store, the second must skip
// the exhausted account the first one found. Usage: node --import tsx cooldown-host.ts '<json>'
import { toPromise } from 'xstate';
import { createRunActor } from '../../../src/create-run-actor.js';
import type { CallFn } from '../../../src/types.js';
import { emit, startWorker } from './worker-io.js';

const { o, store } = startWorker<{ dbPath: string; runId: string; sessionId: string }>();
const called: string[] = [];
const call: CallFn = async (req) => {
  called.push(req.provider);
  if (req.provider === 'openai-codex') {
    throw { status: 429, headers: {}, body: '{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","code":"insufficient_quota"}}' };
  }
  return { content: `answer from ${req.provider}` };
};
const actor = createRunActor({
  runId: o.runId,
  sessionId: o.sessionId,
  messages: [{ role: 'user', content: `question of ${o.runId}` }],
  chain: ['openai-codex/gpt-5.5', 'deepseek/deepseek-v4-pro'],
  profiles: { 'openai-codex': ['codex:main'], deepseek: ['ds:main'] },
  call,
  store,
});
actor.start();
const out = await toPromise(actor);
emit({ type: 'calls', runId: o.runId, status: out.status, providers: called });
await store.close();
emit({ type: 'done' });
