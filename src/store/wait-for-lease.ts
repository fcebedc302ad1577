import { SessionBusyError } from '../errors.js';
import type { LeaseTaker, TakeOutcome, Ticket } from './lease.js';
import type { SessionWakeups } from './session-wakeups.js';
import { isBusy } from './sqlite-errors.js';
import type { OpenedRun, OpenRunArgs } from './types.js';

// The next waiter re-reads the lease often (a holder in another process cannot wake it); the
// others only keep their ticket fresh and notice when they become next.
const FIRST_POLL_MS = 2;
const NEXT_POLL_MAX_MS = 10;
const QUEUED_POLL_MAX_MS = 100;

/** The outcome of a first try the caller made itself (synchronously, to spare an uncontended run the waiting machinery). */
export interface FirstTry {
  outcome?: TakeOutcome;
  /** The database was busy: the first try did not get as far as the lease. */
  busy?: unknown;
}

export interface LeaseWaitContext {
  taker: LeaseTaker;
  wakeups: SessionWakeups;
  /** The store clock while waiting; by default the caller's `now` advanced by the real time waited. */
  now: (() => number) | undefined;
  /** The error to stop with if the store was closed meanwhile. */
  stopped: () => Error | undefined;
  /** Turns a database error into the store's typed error. */
  storeError: (e: unknown) => unknown;
  /** The tickets of this store's waiters, so that closing the store can take them back. */
  tickets: Set<number>;
  /** Runs a try without SQLite's synchronous busy wait (see RetryBounds.withoutBusyWait). */
  withoutBusyWait: <T>(fn: () => T) => T;
}

/**
 * Takes the session lease for a run, waiting up to `lockWaitMs` (real time) for a busy session
 * or a busy database without ever blocking the event loop: between tries the run sleeps on a
 * timer, and it is woken at once when a run of this store releases the session. Fails with
 * SessionBusyError when the session stayed leased, or STORE_BUSY when the database itself stayed
 * locked by another connection.
 */
export async function waitForLease(c: LeaseWaitContext, a: OpenRunArgs, firstTry?: FirstTry): Promise<OpenedRun> {
  const started = performance.now();
  const now = c.now ?? (() => a.now + (performance.now() - started));
  const queue = a.lockWaitMs > 0;
  let ticket: Ticket | undefined;
  let pollMs = FIRST_POLL_MS;
  let handed = firstTry;
  try {
    for (let first = true; ; first = false) {
      let outcome: TakeOutcome | undefined;
      let dbBusy: unknown;
      if (handed) {
        ({ outcome, busy: dbBusy } = handed);
        handed = undefined;
      } else {
        const stop = c.stopped();
        if (stop) throw stop;
        a.signal?.throwIfAborted();
        try {
          outcome = first ? c.taker.take(a, a.now, undefined, queue) : c.withoutBusyWait(() => c.taker.retry(a, now(), ticket));
        } catch (e) {
          if (!isBusy(e)) throw c.storeError(e);
          dbBusy = e;
        }
      }
      if (outcome?.acquired) {
        if (ticket) c.tickets.delete(ticket.id);
        ticket = undefined; // the grant deleted it
        return outcome.opened;
      }
      if (outcome && outcome.ticket?.id !== ticket?.id) {
        if (ticket) c.tickets.delete(ticket.id);
        if (outcome.ticket) c.tickets.add(outcome.ticket.id);
      }
      if (outcome) ticket = outcome.ticket;
      const waited = performance.now() - started;
      const left = a.lockWaitMs - waited;
      if (!(left > 0)) {
        if (dbBusy !== undefined) throw c.storeError(dbBusy);
        throw new SessionBusyError(a.sessionId, Math.round(waited));
      }
      let delay = Math.min(pollMs, outcome?.head ? NEXT_POLL_MAX_MS : QUEUED_POLL_MAX_MS, left);
      // a holder that dies is taken over right at its expiry, not at the next poll
      if (outcome?.holderExpiresAt !== undefined) delay = Math.min(delay, outcome.holderExpiresAt - now());
      pollMs = Math.min(pollMs * 2, QUEUED_POLL_MAX_MS);
      await c.wakeups.sleep(a.sessionId, Math.max(1, Math.ceil(delay)), a.signal);
    }
  } finally {
    if (ticket) dropQuietly(c, ticket);
  }
}

function dropQuietly(c: LeaseWaitContext, ticket: Ticket): void {
  // a closing store has taken its waiters' tickets back already
  if (!c.tickets.delete(ticket.id) || c.stopped()) return;
  try {
    c.taker.dropTicket(ticket);
  } catch {
    // busy or failing: the ticket lapses on its own within TICKET_TTL_MS
  }
}
