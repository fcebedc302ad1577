// A worker that commits runs as fast as it can on a few sessions, with replies of random sizes
// (so a commit spans several pages), until the test kills it with SIGKILL mid-write.
import { emit, seededRandom, startWorker } from './worker-io.js';

interface Options {
  dbPath: string;
  sessions: number;
  seed: number;
  leaseTtlMs: number;
}

const { o, store } = startWorker<Options>();
const random = seededRandom(o.seed);
for (let i = 0; ; i++) {
  const runId = `storm-${i}`;
  const sessionId = `k${i % o.sessions}`;
  const { lease } = await store.openRun({ runId, sessionId, now: Date.now(), leaseTtlMs: o.leaseTtlMs, lockWaitMs: 10_000, providers: [] });
  const reply = 'x'.repeat(Math.floor(random() * 20_000));
  await store.commitRun(lease, { runId, messages: [{ role: 'user', content: `q${i}` }], reply: { role: 'assistant', content: reply }, servedBy: { provider: 'a', model: 'm', profileId: 'p' }, attempts: [], now: Date.now() });
  if (i % 25 === 24) emit({ type: 'progress', committed: i + 1 });
}
