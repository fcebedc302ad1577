// A worker process that drives the store directly, as the engine would: take the lease, make
// simulated provider attempts (random failures, random delays, lease renewed while it waits),
// then commit or fail. Usage: node --import tsx store-runs.ts '<json options>'
import { isLlmFailoverError } from '../../../src/errors.js';
import type { AttemptRecord } from '../../../src/types.js';
import { emit, pool, seededRandom, sleep, startWorker, type RunsOptions } from './worker-io.js';

const { o, store } = startWorker<RunsOptions>();
const random = seededRandom(o.seed);
const LEASE_TTL = 5_000;

async function oneRun(i: number): Promise<void> {
  const runId = `w${o.worker}-r${i}`;
  const sessionId = `s${Math.floor(random() * o.sessions)}`;
  const user = `question ${runId}`;
  let lease;
  try {
    ({ lease } = await store.openRun({ runId, sessionId, now: Date.now(), leaseTtlMs: LEASE_TTL, lockWaitMs: 30_000, providers: ['alpha', 'beta'] }));
  } catch (e) {
    emit({ type: 'run', runId, sessionId, status: 'not_opened', code: (e as { code?: string }).code ?? 'UNKNOWN', message: String(e) });
    return;
  }
  const attempts: AttemptRecord[] = [];
  for (let n = 1; n <= 3; n++) {
    const startedAt = Date.now();
    await sleep(Math.floor(random() * 6));
    lease = await store.renewLease(lease, Date.now(), LEASE_TTL);
    const failed = random() < 0.3;
    attempts.push({ n, provider: n === 1 ? 'alpha' : 'beta', model: 'm', profileId: `p${n}`, outcome: failed ? 'failed' : 'succeeded', startedAt, durationMs: Date.now() - startedAt, ...(failed ? { reason: 'overloaded' as const, status: 503 } : {}) });
    if (failed) {
      if (random() < 0.5) await store.putCooldown({ provider: 'alpha', until: Date.now() + 20, reason: 'overloaded', failures: n });
      continue;
    }
    const reply = `answer to ${runId}`;
    await store.commitRun(lease, { runId, messages: [{ role: 'user', content: user }], reply: { role: 'assistant', content: reply }, servedBy: { provider: 'beta', model: 'm', profileId: `p${n}` }, attempts, now: Date.now() });
    emit({ type: 'run', runId, sessionId, status: 'succeeded', user, reply });
    return;
  }
  await store.failRun(lease, { runId, sessionId, status: 'failed', errorCode: 'FALLBACK_EXHAUSTED', errorMessage: 'all attempts failed', attempts, now: Date.now() });
  emit({ type: 'run', runId, sessionId, status: 'failed', code: 'FALLBACK_EXHAUSTED' });
}

try {
  await pool(o.runs, o.concurrency, oneRun);
} catch (e) {
  emit({ type: 'problem', what: `${isLlmFailoverError(e) ? e.code : ''} ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
  process.exitCode = 1;
} finally {
  await store.close();
}
emit({ type: 'done' });
