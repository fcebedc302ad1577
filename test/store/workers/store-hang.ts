// A worker that takes a session lease, keeps renewing it like a live run, announces that it is
// "calling the provider", and then never finishes: the test kills it with SIGKILL.
import { emit, startWorker, type HangOptions } from './worker-io.js';

const { o, store } = startWorker<HangOptions>();
let { lease } = await store.openRun({ runId: o.runId, sessionId: o.sessionId, now: Date.now(), leaseTtlMs: o.leaseTtlMs, lockWaitMs: 10_000, providers: ['alpha'] });
setInterval(() => {
  void store.renewLease(lease, Date.now(), o.leaseTtlMs).then((renewed) => (lease = renewed));
}, Math.max(1, Math.floor(o.leaseTtlMs / 3)));
emit({ type: 'calling', runId: o.runId });
