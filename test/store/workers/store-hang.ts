// A worker that takes a session lease, keeps renewing it like a live run, announces that it is
// "calling the provider", and then never finishes: the test kills it with SIGKILL.
import { openSqliteStore } from '../../../src/store/index.js';
import { argJson, emit, failOnUnhandled } from './worker-io.js';

interface Options {
  dbPath: string;
  sessionId: string;
  runId: string;
  leaseTtlMs: number;
}

failOnUnhandled();
const o = argJson<Options>();
const store = openSqliteStore({ path: o.dbPath });
let { lease } = await store.openRun({ runId: o.runId, sessionId: o.sessionId, now: Date.now(), leaseTtlMs: o.leaseTtlMs, lockWaitMs: 10_000, providers: ['alpha'] });
setInterval(() => {
  lease = store.renewLease(lease, Date.now(), o.leaseTtlMs);
}, Math.max(1, Math.floor(o.leaseTtlMs / 3)));
emit({ type: 'calling', runId: o.runId });
