// A worker whose run, driven by the real engine, holds the session lease (renewed by the
// engine's heartbeat) while its provider call never answers; the test kills it with SIGKILL.
import { createRunActor } from '../../../src/create-run-actor.js';
import { emit, startWorker, type HangOptions } from './worker-io.js';

const { o, store } = startWorker<HangOptions>();
const actor = createRunActor({
  runId: o.runId,
  sessionId: o.sessionId,
  messages: [{ role: 'user', content: 'a question that never gets its answer' }],
  chain: ['alpha/a1'],
  call: () => {
    emit({ type: 'calling', runId: o.runId });
    return new Promise(() => {});
  },
  store,
  policy: { leaseTtlMs: o.leaseTtlMs, attemptTimeoutMs: 600_000 },
});
actor.start();
