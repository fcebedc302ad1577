import type Database from 'better-sqlite3';
import { ConfigError, LeaseLostError } from '../errors.js';
import type { CooldownTable } from './cooldown-table.js';
import type { HistoryCache } from './history-cache.js';
import type { SessionRow, Statements } from './statements.js';
import type { Turn } from '../types.js';
import { openedRun } from './opened-run.js';
import { turnFromRow, type TurnRow } from './turn-rows.js';
import type { Lease, OpenedRun, OpenRunArgs } from './types.js';

/** A place in a session's queue of waiters, shared by every process (the lease_tickets table). */
export interface Ticket {
  id: number;
  /** Wall-clock ms: a ticket is about its waiter being alive, which no simulated clock knows. */
  expiresAt: number;
}

/**
 * How long a waiter's ticket lives without a refresh. Waiters refresh theirs when half of it is
 * gone, so only the ticket of a dead or frozen process lapses, and then the next one is served.
 */
export const TICKET_TTL_MS = 3_000;

export type TakeOutcome =
  | { acquired: true; opened: OpenedRun }
  | {
      acquired: false;
      /** Store-clock expiry of the lease holding the session, if one does. */
      holderExpiresAt: number | undefined;
      /** The caller's ticket after this try (inserted or refreshed if it queues). */
      ticket: Ticket | undefined;
      /** The caller's ticket is the oldest live one: it is next. */
      head: boolean;
    };

/** No turns to read: one empty list for every run that has none (history.read only reads it). */
const NO_ROWS: readonly TurnRow[] = Object.freeze([]);

const isHeld = (row: Pick<SessionRow, 'lease_owner' | 'lease_expires_at'> | undefined, now: number): boolean =>
  row !== undefined && row.lease_owner !== null && row.lease_expires_at !== null && row.lease_expires_at > now;

/**
 * Taking a session lease, first come first served across processes. A run takes the lease only
 * when it is free (or expired) and no older live ticket waits for it; otherwise it takes a ticket
 * and waits. The grant, the abandonment of an expired holder, the runs row and the reads of
 * history and cooldowns are one BEGIN IMMEDIATE transaction, so what the run reads is exactly
 * the state its lease protects.
 */
export function createLeaseTaker(
  db: Database.Database,
  s: Statements,
  cooldowns: CooldownTable,
  history: HistoryCache,
  wallNow: () => number,
  /** Reads a run's turn records when asked for; the store passes one that types its errors. */
  turnsUpTo: (sessionId: string, lastSeq: number) => Turn[] = (sessionId, lastSeq) =>
    s.turnsUpTo.all(sessionId, lastSeq).map((row) => Object.freeze(turnFromRow(row, sessionId)) as Turn),
) {
  /** The session's last seq as the transaction under way read it (openSession): set just before history.read calls readAfter. */
  let lastSeqRead = 0;
  /**
   * The turns after `afterSeq`, knowing the session's last seq (lastSeqRead): no statement when
   * there is nothing after it, which is a new session's case and that of every session whose
   * history the cache holds up to date. One function for every run (the transaction is
   * synchronous), not a closure over each run's last seq.
   */
  const readAfter = (sessionId: string, afterSeq: number): readonly TurnRow[] => (afterSeq >= lastSeqRead ? NO_ROWS : s.turnsAfter.all(sessionId, afterSeq));

  const keepTicket = (a: OpenRunArgs, ticket: Ticket | undefined): Ticket => {
    const expiresAt = wallNow() + TICKET_TTL_MS;
    if (ticket && s.refreshTicket.run({ ticket: ticket.id, expiresAt }).changes > 0) return { id: ticket.id, expiresAt };
    // a ticket that lapsed (its process was frozen) was deleted: queue again at the back
    const id = Number(s.insertTicket.run({ session: a.sessionId, runId: a.runId, expiresAt }).lastInsertRowid);
    return { id, expiresAt };
  };

  const take = db.transaction((a: OpenRunArgs, now: number, ticket: Ticket | undefined, queue: boolean): TakeOutcome => {
    const row = s.openSession.get(a.sessionId, wallNow())!;
    // a session's first run finds no row (lease_token is never null in one): free, token 0
    const found = row.lease_token !== null;
    const head = row.head_ticket;
    const held = isHeld(row, now);
    if (held || (head !== null && head !== ticket?.id)) {
      if (!found) s.ensureSession.run(a.sessionId);
      const mine = queue ? keepTicket(a, ticket) : undefined;
      return {
        acquired: false,
        holderExpiresAt: held ? row.lease_expires_at! : undefined,
        ticket: mine,
        head: mine !== undefined && (head === null || head === mine.id),
      };
    }
    if (ticket) {
      s.deleteTicket.run(ticket.id);
      // a waiter's grant sweeps the lapsed tickets of the session (prune sweeps the rest)
      s.deleteExpiredTickets.run(a.sessionId, wallNow());
    }
    // an expired lease whose run is still 'running' means that process died or hung: say so
    if (row.lease_owner !== null) s.markAbandoned.run({ runId: row.lease_owner, now });
    const lease: Lease = { sessionId: a.sessionId, runId: a.runId, token: (row.lease_token ?? 0) + 1, expiresAt: now + a.leaseTtlMs };
    const grant = { session: a.sessionId, owner: a.runId, token: lease.token, expiresAt: lease.expiresAt, now };
    // a new session's row is made with the lease in it: the row ensureSession then grantLease make, in one write
    if (found) s.grantLease.run(grant);
    else s.insertLeasedSession.run(grant);
    try {
      s.insertRun.run({ runId: a.runId, session: a.sessionId, token: lease.token, now });
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new ConfigError('runId', `run id ${JSON.stringify(a.runId)} was already used by another run`);
      }
      throw e;
    }
    cooldowns.maybeCleanup(now);
    lastSeqRead = row.last_seq ?? 0;
    const { messages, lastSeq } = history.read(a.sessionId, a.runId, readAfter);
    return { acquired: true, opened: openedRun(lease, messages, cooldowns.activeShared(a.providers, now), turnsUpTo, a.sessionId, lastSeq) };
  });

  return {
    /** One try in a write transaction: the lease, or a (refreshed) ticket when `queue`. */
    take: (a: OpenRunArgs, now: number, ticket: Ticket | undefined, queue: boolean): TakeOutcome => take.immediate(a, now, ticket, queue),
    /**
     * A waiter's try: a plain read first, so a waiter that is not next (or finds the lease
     * held) takes no write lock, unless its ticket needs a refresh.
     */
    retry(a: OpenRunArgs, now: number, ticket: Ticket | undefined): TakeOutcome {
      const row = s.getSession.get(a.sessionId);
      const head = s.headTicket.get(a.sessionId, wallNow());
      const held = isHeld(row, now);
      const next = head === undefined || head.ticket === ticket?.id;
      const fresh = ticket !== undefined && ticket.expiresAt - wallNow() > TICKET_TTL_MS / 2;
      if ((held || !next) && fresh) {
        return { acquired: false, holderExpiresAt: held ? row!.lease_expires_at! : undefined, ticket, head: next };
      }
      return take.immediate(a, now, ticket, true);
    },
    /** A waiter gave up: its ticket must not hold up the ones behind it. */
    dropTicket: (ticket: Ticket): void => void s.deleteTicket.run(ticket.id),
  };
}

export type LeaseTaker = ReturnType<typeof createLeaseTaker>;

export function createLeaseRenewer(db: Database.Database, s: Statements) {
  const renew = db.transaction((lease: Lease, now: number, ttlMs: number): Lease => {
    const expiresAt = now + ttlMs;
    const changed = s.renewLease.run({ session: lease.sessionId, owner: lease.runId, token: lease.token, expiresAt }).changes;
    if (changed === 0) throw new LeaseLostError(lease.sessionId, lease.runId);
    return { ...lease, expiresAt };
  });
  return (lease: Lease, now: number, ttlMs: number): Lease => renew.immediate(lease, now, ttlMs);
}
