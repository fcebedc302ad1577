import { SessionBusyError } from '../../errors.js';
import { signalAborted } from '../../call-signal.js';
import type { SessionWakeups } from '../session-wakeups.js';
import type { OpenedRun, OpenRunArgs } from '../types.js';
import { isRetryable } from './errors.js';
import type { PgLeaseTaker, PgTakeOutcome, PgTicket } from './lease.js';

// A release on any host is announced by NOTIFY, so polling is only the safety net for a missed
// one (the listener was reconnecting) and for a holder whose lease runs out without a release.
const FIRST_POLL_MS = 5;
const NEXT_POLL_MAX_MS = 50;
const QUEUED_POLL_MAX_MS = 250;
/** Without a LISTEN in place, the next waiter looks as often as on SQLite. */
const UNLISTENED_NEXT_POLL_MAX_MS = 10;

export interface PgLeaseWaitContext {
  taker: PgLeaseTaker;
  wakeups: SessionWakeups;
  listening: () => boolean;
  now: (() => number) | undefined;
  stopped: () => Error | undefined;
  storeError: (e: unknown) => unknown;
  /** The tickets of this store's waiters, so that closing the store can take them back. */
  tickets: Set<number>;
  /** Runs a first try after the first tries of the same session that this store started earlier. */
  inOrder: <T>(sessionId: string, fn: () => Promise<T>) => Promise<T>;
}

/**
 * First tries of one session in the order the store was asked: each goes on its own pooled
 * connection, and without this a later call could queue on the server before an earlier one.
 */
export function createArrivalOrder() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(sessionId: string, fn: () => Promise<T>): Promise<T> => {
    const before = tails.get(sessionId) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    const tail = mine.catch(() => undefined);
    tails.set(sessionId, tail);
    void tail.then(() => {
      if (tails.get(sessionId) === tail) tails.delete(sessionId);
    });
    return mine;
  };
}

/**
 * Takes the session lease for a run, waiting up to `lockWaitMs` (real time): first come first
 * served through the ticket queue, woken by a release on any host, and taking an expired
 * holder's lease over at its expiry. An unreachable server is tried again within the same
 * bound. Fails with SessionBusyError when the session stayed leased, or the store's typed error
 * when the server stayed unreachable.
 */
export async function waitForPgLease(c: PgLeaseWaitContext, a: OpenRunArgs): Promise<OpenedRun> {
  const started = performance.now();
  const now = c.now ?? (() => a.now + (performance.now() - started));
  const queue = a.lockWaitMs > 0;
  let ticket: PgTicket | undefined;
  let pollMs = FIRST_POLL_MS;
  const track = (next: PgTicket | undefined) => {
    if (ticket && ticket.id !== next?.id) c.tickets.delete(ticket.id);
    if (next) c.tickets.add(next.id);
    ticket = next;
  };
  try {
    for (let first = true; ; first = false) {
      const stop = c.stopped();
      if (stop) throw stop;
      // asked first: the engine's signal is made only when read (see signalAborted)
      if (signalAborted(a)) a.signal?.throwIfAborted();
      let outcome: PgTakeOutcome | undefined;
      let failure: unknown;
      try {
        outcome = first ? await c.inOrder(a.sessionId, () => c.taker.take(a, a.now, undefined, queue)) : await c.taker.retry(a, now(), ticket);
      } catch (e) {
        const stopped = c.stopped();
        if (stopped) throw stopped;
        if (!isRetryable(e)) throw c.storeError(e);
        failure = e;
      }
      if (outcome?.acquired) {
        if (ticket) c.tickets.delete(ticket.id);
        ticket = undefined; // the grant deleted it
        return outcome.opened;
      }
      if (outcome) track(outcome.ticket);
      const waited = performance.now() - started;
      const left = a.lockWaitMs - waited;
      if (!(left > 0)) {
        if (failure !== undefined) throw c.storeError(failure);
        throw new SessionBusyError(a.sessionId, Math.round(waited));
      }
      const nextMax = c.listening() ? NEXT_POLL_MAX_MS : UNLISTENED_NEXT_POLL_MAX_MS;
      let delay = Math.min(pollMs, outcome?.head ? nextMax : QUEUED_POLL_MAX_MS, left);
      // a holder that dies is taken over right at its expiry, not at the next poll
      if (outcome?.holderExpiresAt !== undefined) delay = Math.min(delay, outcome.holderExpiresAt - now());
      pollMs = Math.min(pollMs * 2, QUEUED_POLL_MAX_MS);
      await c.wakeups.sleep(a.sessionId, Math.max(1, Math.ceil(delay)), a.signal);
    }
  } finally {
    if (ticket) {
      const id = ticket.id;
      // a closing store has taken its waiters' tickets back already
      if (c.tickets.delete(id) && !c.stopped()) c.taker.dropTickets([id]).catch(() => undefined); // else it lapses within TICKET_TTL_MS
    }
  }
}
