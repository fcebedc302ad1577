import type Database from 'better-sqlite3';
import { ConfigError, LeaseLostError } from '../errors.js';
import type { CooldownTable } from './cooldown-table.js';
import type { HistoryCache } from './history-cache.js';
import type { Statements } from './statements.js';
import type { Lease, OpenedRun, OpenRunArgs } from './types.js';

export type LeaseAttempt = { acquired: true; opened: OpenedRun } | { acquired: false; holderExpiresAt: number };

const isHeld = (owner: string | null, expiresAt: number | null, now: number): expiresAt is number =>
  owner !== null && expiresAt !== null && expiresAt > now;

/**
 * One try at the session lease, without waiting. The grant, the abandonment of an expired
 * holder, the runs row and the reads of history and cooldowns are one BEGIN IMMEDIATE
 * transaction, so what the run reads is exactly the state its lease protects.
 */
export function createLeaseTaker(db: Database.Database, s: Statements, cooldowns: CooldownTable, history: HistoryCache) {
  const readAfter = (sessionId: string, afterSeq: number) => s.turnsAfter.all(sessionId, afterSeq);
  const take = db.transaction((a: OpenRunArgs, now: number, known: boolean): LeaseAttempt => {
    // sessions are never deleted, so a row the peek saw is still there
    if (!known) s.ensureSession.run(a.sessionId);
    const row = s.getSession.get(a.sessionId);
    if (!row) throw new Error(`session ${a.sessionId} vanished inside its own transaction`);
    if (isHeld(row.lease_owner, row.lease_expires_at, now)) return { acquired: false, holderExpiresAt: row.lease_expires_at };
    // an expired lease whose run is still 'running' means that process died or hung: say so
    if (row.lease_owner !== null) s.markAbandoned.run({ runId: row.lease_owner, now });
    const lease: Lease = { sessionId: a.sessionId, runId: a.runId, token: row.lease_token + 1, expiresAt: now + a.leaseTtlMs };
    s.grantLease.run({ session: a.sessionId, owner: a.runId, token: lease.token, expiresAt: lease.expiresAt });
    try {
      s.insertRun.run({ runId: a.runId, session: a.sessionId, token: lease.token, now });
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new ConfigError('runId', `run id ${JSON.stringify(a.runId)} was already used by another run`);
      }
      throw e;
    }
    cooldowns.maybeCleanup(now);
    const { turns, messages } = history.read(a.sessionId, readAfter);
    return { acquired: true, opened: { lease, history: turns, messages, cooldowns: cooldowns.active(a.providers, now) } };
  });

  return (a: OpenRunArgs, now: number): LeaseAttempt => {
    // a plain read first: a waiter that finds the session busy never takes the write lock
    const peek = s.getSession.get(a.sessionId);
    if (peek && isHeld(peek.lease_owner, peek.lease_expires_at, now)) return { acquired: false, holderExpiresAt: peek.lease_expires_at };
    return take.immediate(a, now, peek !== undefined);
  };
}

export function createLeaseRenewer(db: Database.Database, s: Statements) {
  const renew = db.transaction((lease: Lease, now: number, ttlMs: number): Lease => {
    const expiresAt = now + ttlMs;
    const changed = s.renewLease.run({ session: lease.sessionId, owner: lease.runId, token: lease.token, expiresAt }).changes;
    if (changed === 0) throw new LeaseLostError(lease.sessionId, lease.runId);
    return { ...lease, expiresAt };
  });
  return (lease: Lease, now: number, ttlMs: number): Lease => renew.immediate(lease, now, ttlMs);
}
