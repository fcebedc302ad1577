import { ConfigError, LeaseLostError } from '../../errors.js';
import { turnRecords, type HistoryCache } from '../history-cache.js';
import { openedRun } from '../opened-run.js';
import type { TurnRow } from '../turn-rows.js';
import type { Lease, OpenedRun, OpenRunArgs } from '../types.js';
import type { PgCooldowns } from './cooldowns.js';
import type { Database, Queryable } from './database.js';
import { isUniqueViolation } from './errors.js';
import type { PgStatements } from './statements.js';

/**
 * How long a waiter's ticket lives without a refresh (server clock). Waiters refresh theirs when
 * half of it is gone, so only the ticket of a dead or frozen host lapses.
 */
export const TICKET_TTL_MS = 3_000;

/** A place in a session's queue, shared by every host (the lease_tickets table). */
export interface PgTicket {
  id: number;
  /** performance.now() of the last refresh, on this host: when the next one is due. */
  refreshedAt: number;
}

export type PgTakeOutcome =
  | { acquired: true; opened: OpenedRun }
  | { acquired: false; holderExpiresAt: number | undefined; ticket: PgTicket | undefined; head: boolean };

interface SessionLook {
  lease_owner: string | null;
  lease_token: number | null;
  lease_expires_at: number | null;
  head: number | null;
}

const isHeld = (row: SessionLook, now: number): boolean =>
  row.lease_owner !== null && row.lease_expires_at !== null && row.lease_expires_at > now;

/**
 * Taking a session lease, first come first served across hosts. The session row is locked for
 * the transaction (so takers of one session go one at a time, and runs of other sessions never
 * wait); the run takes the lease only when it is free or expired and no older live ticket waits,
 * otherwise it queues. The grant, the abandonment of an expired holder, the runs row and the
 * reads of history and cooldowns are one transaction: what the run reads is what its lease
 * protects.
 */
export function createPgLeaseTaker(db: Database, q: PgStatements, cooldowns: PgCooldowns, history: HistoryCache) {
  const keepTicket = async (tx: Queryable, a: OpenRunArgs, ticket: PgTicket | undefined): Promise<PgTicket> => {
    if (ticket && (await tx.query(q.refreshTicket, [ticket.id, TICKET_TTL_MS])).rowCount! > 0) return { id: ticket.id, refreshedAt: performance.now() };
    // a ticket that lapsed (this host was frozen) was deleted: queue again at the back
    const { rows } = await tx.query<{ ticket: number }>(q.insertTicket, [a.sessionId, a.runId, TICKET_TTL_MS]);
    return { id: rows[0]!.ticket, refreshedAt: performance.now() };
  };

  /** The history and cooldowns a granted run starts from, read in its transaction. */
  const opened = async (tx: Queryable, a: OpenRunArgs, lease: Lease, now: number): Promise<OpenedRun> => {
    const read = await history.readAsync(a.sessionId, a.runId, async (sessionId, afterSeq) => (await tx.query<TurnRow>(q.turnsAfter, [sessionId, afterSeq])).rows);
    return openedRun(lease, read.messages, await cooldowns.activeShared(tx, a.providers, now), () => turnRecords(read), a.sessionId, read.lastSeq);
  };

  const take = (a: OpenRunArgs, now: number, ticket: PgTicket | undefined, queue: boolean) =>
    db.transaction(async (tx): Promise<PgTakeOutcome> => {
      const row = (await tx.query<SessionLook>(q.lockSession, [a.sessionId])).rows[0]!;
      const held = isHeld(row, now);
      if (held && row.lease_owner === a.runId) {
        // this run's own grant, whose COMMIT landed but whose answer was lost with the connection
        const { rows } = await tx.query<{ status: string }>(q.runStatus, [a.runId]);
        if (rows[0]?.status === 'running') {
          const lease: Lease = { sessionId: a.sessionId, runId: a.runId, token: row.lease_token!, expiresAt: row.lease_expires_at! };
          return { acquired: true, opened: await opened(tx, a, lease, now) };
        }
      }
      if (held || (row.head !== null && row.head !== ticket?.id)) {
        const mine = queue ? await keepTicket(tx, a, ticket) : undefined;
        return {
          acquired: false,
          holderExpiresAt: held ? row.lease_expires_at! : undefined,
          ticket: mine,
          head: mine !== undefined && (row.head === null || row.head === mine.id),
        };
      }
      const lease: Lease = { sessionId: a.sessionId, runId: a.runId, token: (row.lease_token ?? 0) + 1, expiresAt: now + a.leaseTtlMs };
      try {
        await tx.query(q.grantLease, [a.sessionId, a.runId, lease.token, lease.expiresAt, now, row.lease_owner]);
      } catch (e) {
        if (isUniqueViolation(e, 'runs_pkey')) throw new ConfigError('runId', `run id ${JSON.stringify(a.runId)} was already used by another run`);
        throw e;
      }
      if (ticket) {
        await tx.query(q.deleteTickets, [[ticket.id]]);
        // a waiter's grant sweeps the lapsed tickets of the session (prune sweeps the rest)
        await tx.query(q.deleteExpiredTickets, [a.sessionId]);
      }
      await cooldowns.maybeCleanup(tx, now);
      return { acquired: true, opened: await opened(tx, a, lease, now) };
    });

  return {
    /** One try in a transaction: the lease, or a (refreshed) ticket when `queue`. */
    take,
    /**
     * A waiter's try: a plain read first, so a waiter that is not next (or finds the lease held)
     * takes no lock, unless its ticket needs a refresh.
     */
    async retry(a: OpenRunArgs, now: number, ticket: PgTicket | undefined): Promise<PgTakeOutcome> {
      const row = (await db.direct.query<SessionLook>(q.peekSession, [a.sessionId])).rows[0]!;
      const held = isHeld(row, now);
      const next = row.head === null || row.head === ticket?.id;
      const fresh = ticket !== undefined && performance.now() - ticket.refreshedAt < TICKET_TTL_MS / 2;
      if ((held || !next) && fresh) return { acquired: false, holderExpiresAt: held ? row.lease_expires_at! : undefined, ticket, head: next };
      return take(a, now, ticket, true);
    },
    /** Waiters that gave up: their tickets must not hold up the ones behind. */
    dropTickets: async (ids: readonly number[]): Promise<void> => {
      if (ids.length > 0) await db.direct.query(q.deleteTickets, [ids]);
    },
  };
}

export type PgLeaseTaker = ReturnType<typeof createPgLeaseTaker>;

/** A single conditional UPDATE: the fencing token is the compare in the compare-and-set. */
export async function renewPgLease(db: Database, q: PgStatements, lease: Lease, ttlMs: number, now: number): Promise<Lease> {
  const expiresAt = now + ttlMs;
  const { rowCount } = await db.direct.query(q.renewLease, [lease.sessionId, lease.runId, lease.token, expiresAt]);
  if (!rowCount) throw new LeaseLostError(lease.sessionId, lease.runId);
  return { ...lease, expiresAt };
}
