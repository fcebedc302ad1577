// A worker that starts one run at the moment the test says (a go file), on a chain whose
// primary's cooldown has ended: it reports which providers its run called. The primary takes
// its time to answer, so every run starts while the first probe is still under way.
// Usage: node --import tsx probe-race.ts '<json options>'
import fs from 'node:fs';
import { toPromise } from 'xstate';
import { createRunActor } from '../../../src/create-run-actor.js';
import { emit, sleep, startWorker } from './worker-io.js';

const { o, store } = startWorker<{ dbPath: string; worker: number; goPath: string; primaryMs: number }>();
await store.ready;
emit({ type: 'ready' });
while (!fs.existsSync(o.goPath)) await sleep(1);

const runId = `w${o.worker}`;
const actor = createRunActor({
  runId,
  sessionId: runId,
  messages: [{ role: 'user', content: 'hi' }],
  chain: ['primary/p1', 'fallback/f1'],
  call: async (req) => {
    if (req.provider === 'primary') await sleep(o.primaryMs);
    return { content: `from ${req.provider}` };
  },
  store,
});
actor.start();
const out = await toPromise(actor);
emit({ type: 'run', runId, sessionId: runId, status: out.status, message: out.attempts.map((a) => a.provider).join(',') });
await store.close();
emit({ type: 'done' });
