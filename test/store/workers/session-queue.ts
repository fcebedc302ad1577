// A worker whose runs all go to one session shared with the other workers: each process keeps
// `concurrency` runs waiting for the session at all times, so the order in which the session
// is served shows whether waiters of every process are served first come, first served.
import fs from 'node:fs';
import { toPromise } from 'xstate';
import { createRunActor } from '../../../src/create-run-actor.js';
import { emit, pool, sleep, startWorker, type QueueOptions } from './worker-io.js';

const { o, store } = startWorker<QueueOptions>();
await store.ready;
emit({ type: 'ready' });
while (!fs.existsSync(o.goPath)) await sleep(2);

await pool(o.runs, o.concurrency, async (i) => {
  const runId = `w${o.worker}-r${i}`;
  const actor = createRunActor({
    runId,
    sessionId: 'shared',
    messages: [{ role: 'user', content: `question ${runId}` }],
    chain: ['alpha/a1'],
    call: async () => {
      await sleep(2);
      return { content: `answer to ${runId}` };
    },
    store,
    policy: { lockWaitMs: 120_000, deadlineMs: 300_000 },
  });
  actor.start();
  const out = await toPromise(actor);
  if (out.status === 'succeeded') emit({ type: 'run', runId, sessionId: 'shared', status: 'succeeded' });
  else emit({ type: 'run', runId, sessionId: 'shared', status: 'failed', code: out.error.code, message: out.error.message });
});
await store.close();
emit({ type: 'done' });
