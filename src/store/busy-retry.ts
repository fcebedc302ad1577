import { isBusy, isPassingIoError } from './sqlite-errors.js';

const FIRST_DELAY_MS = 2;
const MAX_DELAY_MS = 50;
/** A passing I/O error is tried again this many times; one that stays is not passing. */
const IO_RETRIES = 3;

export interface RetryBounds {
  /** Real ms the retries may take in all; 0 means one try. */
  maxWaitMs: number;
  /** Checked after each wait: a store closed meanwhile stops the retries with its error. */
  stopped: () => Error | undefined;
  /**
   * Runs a retry without SQLite's synchronous busy wait: the database was just found locked,
   * so each retry either gets the lock at once or goes back to waiting asynchronously. Without
   * it, many calls retrying through a long foreign lock would each block the loop for the
   * whole busy_timeout, over and over.
   */
  withoutBusyWait?: <T>(fn: () => T) => T;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An error a later try of the same transaction may not meet: the lock was held, or the I/O failed once. */
export const isRetryable = (e: unknown): boolean => isBusy(e) || isPassingIoError(e);

/**
 * Runs a synchronous SQLite transaction, and on a busy database (or a passing I/O error) runs it
 * again after a growing pause, until it succeeds or `maxWaitMs` is spent; then the last error is
 * thrown. The first try runs synchronously in the caller's turn (no await before it), so an
 * uncontended call costs no timer and keeps the order of calls; each try blocks the event loop
 * for one transaction at most (the connection's busy_timeout is tens of ms), never for the wait.
 * The whole transaction is retried, never a statement of it: SQLITE_BUSY_SNAPSHOT in WAL mode
 * needs a fresh read.
 */
export async function retryWhileBusy<T>(attempt: () => T, bounds: RetryBounds, firstError?: unknown): Promise<T> {
  let started: number | undefined;
  let delay = FIRST_DELAY_MS;
  let ioErrors = 0;
  // a caller that made the first try itself hands its error over: the loop starts by waiting
  let pending = firstError !== undefined ? { error: firstError } : undefined;
  for (let retry = pending !== undefined; ; retry = true) {
    try {
      if (pending) throw pending.error;
      return retry && bounds.withoutBusyWait ? bounds.withoutBusyWait(attempt) : attempt();
    } catch (e) {
      pending = undefined;
      const io = isPassingIoError(e);
      if (!(isBusy(e) || (io && ioErrors < IO_RETRIES))) throw e;
      if (io) ioErrors++;
      started ??= performance.now();
      const left = bounds.maxWaitMs - (performance.now() - started);
      if (left <= 0) throw e;
      // jitter keeps waiters of several processes from retrying in lockstep
      await sleep(Math.max(1, Math.min(left, delay * (0.5 + Math.random()))));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
      const stop = bounds.stopped();
      if (stop) throw stop;
    }
  }
}
