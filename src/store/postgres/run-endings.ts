import { ConfigError, LeaseLostError } from '../../errors.js';
import { decisionsJson } from '../decisions-json.js';
import type { AttemptRecord, Decision, Message, Turn } from '../../types.js';
import type { HistoryCache } from '../history-cache.js';
import { attemptToRow } from '../row-mapping.js';
import { turnColumns, turnFromRow, turnOf, type TurnRow } from '../turn-rows.js';
import type { CommitRunArgs, FailRunArgs, Lease, RunStatus, UncommittedTurns } from '../types.js';
import type { Database, Queryable } from './database.js';
import { ATTEMPT_WIDTH, type PgStatements } from './statements.js';
import { checkTurnText, storableText } from './text.js';

type CommitOutcome = { kind: 'committed'; turns: Turn[] } | { kind: 'repeated'; turns: Turn[] } | { kind: 'lost' };


/** `($1, $2, …), ($k, …)` for `rows` rows of `width` parameters. */
const valuesList = (rows: number, width: number): string =>
  Array.from({ length: rows }, (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');

/**
 * The two ways a run ends, each one transaction that first locks the session row and checks the
 * lease (owner + fencing token) before touching session data; a run whose lease is gone only
 * ever writes its own row. The release notifies the session's waiters on every host.
 */
export function createPgRunEndings(db: Database, q: PgStatements, history: HistoryCache, channel: string) {
  const insertAttempts = async (tx: Queryable, runId: string, attempts: readonly AttemptRecord[]): Promise<void> => {
    if (attempts.length === 0) return;
    const values = attempts.flatMap((a) => {
      const r = attemptToRow(runId, a.message === undefined ? a : { ...a, message: storableText(a.message) });
      return [r.run_id, r.n, r.provider, r.model, r.profile_id, r.outcome, r.reason, r.scope, r.status, r.message, r.started_at, r.duration_ms, r.probe, r.usage, r.streamed];
    });
    await tx.query(q.insertAttemptsHead + valuesList(attempts.length, ATTEMPT_WIDTH) + q.insertAttemptsTail, values);
  };
  const holds = async (tx: Queryable, lease: Lease): Promise<boolean> => {
    const row = (await tx.query<{ lease_owner: string | null; lease_token: number }>(q.lockHeld, [lease.sessionId])).rows[0];
    return row !== undefined && row.lease_owner === lease.runId && row.lease_token === lease.token;
  };
  const status = async (tx: Queryable, runId: string): Promise<RunStatus | undefined> => (await tx.query<{ status: RunStatus }>(q.runStatus, [runId])).rows[0]?.status;
  const keepOrphan = (tx: Queryable, runId: string, sessionId: string, u: UncommittedTurns, now: number, decisions: string | null, error?: { code: string; message: string }) =>
    tx.query(q.upsertOrphan, [
      runId,
      sessionId,
      now,
      u.servedBy.provider,
      u.servedBy.model,
      u.servedBy.profileId,
      JSON.stringify(u.messages),
      JSON.stringify(u.reply),
      decisions,
      error?.code ?? null,
      error?.message ?? null,
    ]);
  /** Releases the lease if still held; true when it was (and the waiters were told). */
  const release = async (tx: Queryable, lease: Lease, turns: number, now: number): Promise<boolean> => {
    const payload = Buffer.byteLength(lease.sessionId) < 7_000 ? lease.sessionId : ''; // NOTIFY payloads end at 8000 bytes: '' wakes every waiter
    return ((await tx.query(q.releaseLease, [lease.sessionId, lease.runId, lease.token, turns, now, channel, payload])).rowCount ?? 0) > 0;
  };

  const commit = (lease: Lease, a: CommitRunArgs) =>
    db.transaction(async (tx): Promise<CommitOutcome> => {
      // the session lock first (as a lease grant takes it), then the run's row: one lock order
      const held = await holds(tx, lease);
      // a repeated commit of a run that already landed returns what landed and writes nothing
      if ((await status(tx, a.runId)) === 'succeeded') {
        return { kind: 'repeated', turns: (await tx.query<TurnRow>(q.turnsOfRun, [a.runId])).rows.map((t) => turnFromRow(t, lease.sessionId)) };
      }
      const decisions = decisionsJson(a.decisions);
      if (!held) {
        await keepOrphan(tx, a.runId, lease.sessionId, a, a.now, decisions);
        await insertAttempts(tx, a.runId, a.attempts);
        return { kind: 'lost' };
      }
      const base = (await tx.query<{ seq: number }>(q.lastSeq, [lease.sessionId])).rows[0]?.seq ?? 0;
      const messages: Message[] = [...a.messages, a.reply];
      const values: unknown[] = [];
      const turns = messages.map((m, index): Turn => {
        const seq = base + index + 1;
        const cols = turnColumns(m);
        values.push(lease.sessionId, seq, m.role, cols.parts === null ? cols.content : storableText(cols.content), cols.parts, cols.providerOptions, a.runId, index);
        return turnOf(m, seq, a.runId);
      });
      await tx.query(q.insertTurnsHead + valuesList(messages.length, 8) + q.insertTurnsTail, values);
      await tx.query(q.markSucceeded, [a.runId, a.now, a.servedBy.provider, a.servedBy.model, a.servedBy.profileId, decisions]);
      await insertAttempts(tx, a.runId, a.attempts);
      await release(tx, lease, turns.length, a.now);
      return { kind: 'committed', turns };
    });

  const fail = (lease: Lease | undefined, a: FailRunArgs) =>
    db.transaction(async (tx): Promise<boolean> => {
      if (lease) await holds(tx, lease); // for the lock order only
      const current = await status(tx, a.runId);
      if (current === 'succeeded') return false;
      const message = storableText(a.errorMessage);
      const decisions = decisionsJson(a.decisions);
      if (a.uncommitted) await keepOrphan(tx, a.runId, a.sessionId, a.uncommitted, a.now, decisions, { code: a.errorCode, message });
      else if (current === undefined) await tx.query(q.insertEndedRun, [a.runId, a.sessionId, a.status, a.now, a.errorCode, message, decisions]);
      else if (current === 'running' || current === 'abandoned') await tx.query(q.endRun, [a.runId, a.status, a.now, a.errorCode, message, decisions]);
      else if (current === 'orphaned') await tx.query(q.noteOrphanError, [a.runId, a.errorCode, message, decisions]);
      await insertAttempts(tx, a.runId, a.attempts);
      return lease ? release(tx, lease, 0, a.now) : false;
    });

  const checkRunId = (lease: Lease | undefined, runId: string): void => {
    if (lease && lease.runId !== runId) throw new ConfigError('runId', `run ${runId} was given the lease of run ${lease.runId}`);
  };

  return {
    /** Checks the arguments (before any I/O), then one transaction. */
    async commitRun(lease: Lease, a: CommitRunArgs, onReleased: (sessionId: string) => void): Promise<{ turns: Turn[] }> {
      const out = await commit(lease, a);
      if (out.kind === 'lost') throw new LeaseLostError(lease.sessionId, a.runId, 'another run took the session over; the reply is kept on the run as orphaned');
      if (out.kind === 'committed') {
        history.appended(lease.sessionId, a.runId, out.turns);
        onReleased(lease.sessionId);
      }
      return { turns: out.turns };
    },
    checkCommit(lease: Lease, a: CommitRunArgs): void {
      checkRunId(lease, a.runId);
      checkTurnText(a);
    },
    checkFail: (lease: Lease | undefined, a: FailRunArgs): void => checkRunId(lease, a.runId),
    async failRun(lease: Lease | undefined, a: FailRunArgs, onReleased: (sessionId: string) => void): Promise<void> {
      if ((await fail(lease, a)) && lease) onReleased(lease.sessionId);
    },
  };
}

export type PgRunEndings = ReturnType<typeof createPgRunEndings>;
