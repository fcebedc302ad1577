import { isLlmFailoverError } from './errors.js';
import type { Logger, RunClock } from './runtime.js';
import type { storeCall } from './store-call.js';
import type { FailRunArgs, Lease, RunStore, UncommittedTurns } from './store/types.js';
import type { AttemptRecord, Decision } from './types.js';

export interface FailureRecordContext {
  runId: string;
  sessionId: string;
  store: RunStore;
  call: ReturnType<typeof storeCall>;
  clock: RunClock;
  /** How long the store may wait for a busy database (the run's lockWaitMs). */
  maxWaitMs: number;
  logger: Logger | undefined;
}

export interface RunFailure {
  error: unknown;
  attempts: readonly AttemptRecord[];
  decisions: readonly Decision[];
  /** A reply the run got but could not commit. */
  uncommitted?: UncommittedTurns | undefined;
}

const codeOf = (e: unknown): string | undefined => (isLlmFailoverError(e) ? e.code : undefined);

/**
 * Closes a failed run in the store: one transaction that marks its row, keeps an uncommitted
 * reply as an orphan, and releases the lease. Never throws: what could not be written is
 * logged. Answers where an uncommitted reply ended up: `'orphan'` (on the run's row) or
 * `'output'` (nowhere but the run's output).
 */
export async function recordRunFailure(c: FailureRecordContext, lease: Lease | undefined, f: RunFailure): Promise<'orphan' | 'output' | undefined> {
  const code = codeOf(f.error) ?? 'UNKNOWN';
  const args: FailRunArgs = {
    runId: c.runId,
    sessionId: c.sessionId,
    status: code === 'RUN_ABORTED' ? 'aborted' : 'failed',
    errorCode: code,
    errorMessage: f.error instanceof Error ? f.error.message : String(f.error),
    attempts: f.attempts,
    decisions: f.decisions,
    now: c.clock.now(),
    maxWaitMs: c.maxWaitMs,
    ...(f.uncommitted ? { uncommitted: f.uncommitted } : {}),
  };
  try {
    await c.call('recording the failed run', () => c.store.failRun(lease, args));
    return f.uncommitted ? 'orphan' : undefined;
  } catch (err) {
    c.logger?.error({ err }, f.uncommitted ? 'could not keep the uncommitted reply in the store; it is in the output' : 'could not record the failed run');
    // A full disk may refuse the reply yet take the much smaller row update that frees the
    // session; a busy, closed or unreachable store would refuse that too.
    if (f.uncommitted && codeOf(err) !== 'STORE_BUSY' && codeOf(err) !== 'STORE_CLOSED' && codeOf(err) !== 'STORE_UNAVAILABLE') {
      try {
        const { uncommitted: _dropped, ...without } = args;
        await c.call('recording the failed run', () => c.store.failRun(lease, without));
      } catch (again) {
        c.logger?.error({ err: again }, 'could not record the failed run; its lease is left to expire');
      }
    }
    return f.uncommitted ? 'output' : undefined;
  }
}
