import type Database from 'better-sqlite3';
import { ConfigError } from '../errors.js';
import { rowToRunSummary, rowToSession, type SessionListRow } from './row-mapping.js';
import type { RunRow, Statements } from './statements.js';
import { turnFromRow } from './turn-rows.js';
import type { ListRunsQuery, ListSessionsQuery, PruneResult, RunSummary, SessionDetail, SessionSummary } from './types.js';


type SummaryRow = Omit<RunRow, 'orphan_messages' | 'orphan_reply' | 'decisions'>;

const SUMMARY_COLUMNS =
  'id, session_id, status, started_at, finished_at, served_provider, served_model, served_profile_id, error_code, error_message';
const NOT_SUCCEEDED = "status IN ('failed', 'aborted', 'orphaned', 'abandoned')";
const DEFAULT_LIMIT = 100;
/** Runs deleted per transaction by prune: each batch is short, and the event loop runs between them. */
export const PRUNE_BATCH = 500;


function limitOf(field: string, limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError(field, `must be a positive integer, got ${String(limit)}`);
  return limit;
}

/** The reads and maintenance of the operations tools; each call is one statement or one short transaction. */
export function createOperations(db: Database.Database, s: Statements) {
  const q = {
    sessions: db.prepare<[number], SessionListRow>(
      `SELECT id, turn_count, lease_owner, lease_expires_at, last_active_at FROM sessions
       ORDER BY last_active_at IS NULL, last_active_at DESC, id LIMIT ?`,
    ),
    session: db.prepare<[string], SessionListRow>('SELECT id, turn_count, lease_owner, lease_expires_at, last_active_at FROM sessions WHERE id = ?'),
    runsOfSession: db.prepare<[string], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE session_id = ? ORDER BY started_at DESC, id DESC`),
    runs: db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`),
    failedRuns: db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE ${NOT_SUCCEEDED} ORDER BY started_at DESC, id DESC LIMIT ?`),
    runsBySession: db.prepare<[string, number], SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM runs WHERE session_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
    ),
    failedRunsBySession: db.prepare<[string, number], SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM runs WHERE session_id = ? AND ${NOT_SUCCEEDED} ORDER BY started_at DESC, id DESC LIMIT ?`,
    ),
    // started_at < before is implied by finished_at < before, and lets the index narrow the scan
    prunable: db.prepare<{ before: number; limit: number }, { id: string; status: string }>(
      `SELECT id, status FROM runs WHERE started_at < @before AND status <> 'running' AND finished_at < @before LIMIT @limit`,
    ),
    deleteAttempts: db.prepare<[string]>('DELETE FROM attempts WHERE run_id = ?'),
    deleteRun: db.prepare<[string]>('DELETE FROM runs WHERE id = ?'),
    deleteLapsedTickets: db.prepare<[number]>('DELETE FROM lease_tickets WHERE expires_at <= ?'),
  };

  const pruneBatch = db.transaction((before: number, wallNow: number): PruneResult & { more: boolean } => {
    const rows = q.prunable.all({ before, limit: PRUNE_BATCH });
    const out = { runs: 0, attempts: 0, orphans: 0, more: rows.length === PRUNE_BATCH };
    for (const r of rows) {
      out.attempts += q.deleteAttempts.run(r.id).changes;
      q.deleteRun.run(r.id);
      if (r.status === 'orphaned') out.orphans++;
      else out.runs++;
    }
    q.deleteLapsedTickets.run(wallNow);
    return out;
  });

  return {
    listSessions: (query: ListSessionsQuery = {}): SessionSummary[] => q.sessions.all(limitOf('limit', query.limit)).map(rowToSession),
    getSession(sessionId: string): SessionDetail | undefined {
      const row = q.session.get(sessionId);
      if (!row) return undefined;
      return { session: rowToSession(row), turns: s.listTurns.all(sessionId).map((t) => turnFromRow(t, sessionId)), runs: q.runsOfSession.all(sessionId).map(rowToRunSummary) };
    },
    listRuns(query: ListRunsQuery = {}): RunSummary[] {
      const limit = limitOf('limit', query.limit);
      const rows =
        query.sessionId === undefined
          ? (query.failed ? q.failedRuns : q.runs).all(limit)
          : (query.failed ? q.failedRunsBySession : q.runsBySession).all(query.sessionId, limit);
      return rows.map(rowToRunSummary);
    },
    /** One batch of prune, in one BEGIN IMMEDIATE transaction; `more` when another batch may be left. */
    pruneBatch: (before: number, wallNow: number) => pruneBatch.immediate(before, wallNow),
  };
}

export type Operations = ReturnType<typeof createOperations>;
