import type Database from 'better-sqlite3';
import type { AttemptRecord, Message, Role } from '../types.js';
import { attemptValues } from './row-mapping.js';
import { turnColumns } from './turn-rows.js';
import { multiRowInsert } from './multi-row-insert.js';
import type { TurnRow } from './turn-rows.js';
import type { RunStatus } from './types.js';

export interface SessionRow {
  lease_owner: string | null;
  lease_token: number;
  lease_expires_at: number | null;
}

export type { TurnRow } from './turn-rows.js';

export interface RunRow {
  id: string;
  session_id: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  served_provider: string | null;
  served_model: string | null;
  served_profile_id: string | null;
  error_code: string | null;
  error_message: string | null;
  orphan_messages: string | null;
  orphan_reply: string | null;
  decisions: string | null;
}

export interface AttemptRow {
  run_id: string;
  n: number;
  provider: string;
  model: string;
  profile_id: string;
  outcome: 'succeeded' | 'failed';
  reason: string | null;
  scope: string | null;
  status: number | null;
  message: string | null;
  started_at: number;
  duration_ms: number;
  probe: number;
  usage: string | null;
  streamed: number;
}

/** A session as a run opening it finds it (openSession): one row even when the session has none. */
export interface OpenSessionRow {
  /** The session's lease: all null when the session has no row (lease_token is never null in one). */
  lease_owner: string | null;
  lease_token: number | null;
  lease_expires_at: number | null;
  /** The oldest live ticket waiting for the session, if any. */
  head_ticket: number | null;
  /** Seq of the session's last turn; null for a session without turns. */
  last_seq: number | null;
}

/** What a commit checks before it writes (commitCheck): one row even when the session or the run has none. */
export interface CommitCheckRow {
  /** The run's status; null for a run without a row. */
  status: RunStatus | null;
  /** The session's lease (both null when the session has no row). */
  lease_owner: string | null;
  lease_token: number | null;
  /** Seq of the session's last turn; null for a session without turns. */
  last_seq: number | null;
}

export interface LeaseParams {
  session: string;
  owner: string;
  token: number;
}

export interface ServedParams {
  provider: string;
  model: string;
  profileId: string;
}

export interface TicketRow {
  ticket: number;
  run_id: string;
}

/** What the turns of one commit share: their session and run, and the seq before the first. */
export interface CommitTurns {
  session: string;
  runId: string;
  base: number;
}

export type InsertTurn = { session: string; seq: number; role: Role; content: string; parts: string | null; providerOptions: string | null; runId: string; index: number };
type Ended = { runId: string; now: number; code: string; message: string; decisions: string | null };
type Orphan = ServedParams & { runId: string; session: string; now: number; messages: string; reply: string; decisions: string | null };

/**
 * A write every run makes, taking its parameters as one object like the other statements but
 * binding them positionally: better-sqlite3 looks a named parameter up by its name on every
 * call, which cost 0.5-0.6 µs per statement of 5 or 6 parameters (measured on :memory:).
 */
export interface BoundInOrder<P> {
  run(params: P): Database.RunResult;
}

/** Every statement a run's life needs (spelled out: the .d.ts emitter cannot name better-sqlite3's inner Statement type). */
export interface Statements {
  ensureSession: Database.Statement<[string]>;
  /** A run opening: the session's lease, its oldest live ticket and its last seq in one read. */
  openSession: Database.Statement<[session: string, wallNow: number], OpenSessionRow>;
  getSession: Database.Statement<[string], SessionRow>;
  grantLease: BoundInOrder<LeaseParams & { expiresAt: number; now: number }>;
  /** ensureSession then grantLease, for a session without a row (openSession found none), in one write. */
  insertLeasedSession: BoundInOrder<LeaseParams & { expiresAt: number; now: number }>;
  renewLease: Database.Statement<LeaseParams & { expiresAt: number }>;
  releaseLease: BoundInOrder<LeaseParams & { turns: number; now: number }>;
  listTurns: Database.Statement<[string], TurnRow>;
  turnsAfter: Database.Statement<[string, number], TurnRow>;
  turnsUpTo: Database.Statement<[string, number], TurnRow>;
  turnsOfRun: Database.Statement<[string], TurnRow>;
  insertTurn: Database.Statement<InsertTurn>;
  /** insertTurn for each row, in as few statements as MAX_ROWS_PER_INSERT allows (one for any commit of up to 16 turns). */
  insertTurns: (rows: readonly InsertTurn[]) => void;
  /** insertTurns of a commit's messages, the rows made from them and `of` without an object per row (message i is turn `of.base + i + 1`, run index i). */
  insertCommitTurns: (messages: readonly Message[], of: CommitTurns) => void;
  insertRun: BoundInOrder<{ runId: string; session: string; token: number; now: number }>;
  getRun: Database.Statement<[string], RunRow>;
  runStatus: Database.Statement<[string], RunStatus>;
  /** A commit's reads in one statement: runStatus, getSession's lease (the fencing check) and the last seq. */
  commitCheck: Database.Statement<[session: string, runId: string], CommitCheckRow>;
  markAbandoned: Database.Statement<{ runId: string; now: number }>;
  markSucceeded: BoundInOrder<ServedParams & { runId: string; now: number; decisions: string | null }>;
  upsertOrphan: Database.Statement<Orphan & { code: string | null; errorMessage: string | null }>;
  insertEndedRun: Database.Statement<Ended & { session: string; status: RunStatus }>;
  endRun: BoundInOrder<Ended & { status: RunStatus }>;
  noteOrphanError: Database.Statement<Ended>;
  listOrphans: Database.Statement<[], RunRow>;
  insertAttempt: Database.Statement<AttemptRow>;
  /** insertAttempt for each row, in as few statements as MAX_ROWS_PER_INSERT allows. */
  insertAttempts: (rows: readonly AttemptRow[]) => void;
  /** insertAttempts of a run's attempt records (attemptToRow's rows, without an object per row). */
  insertAttemptRecords: (attempts: readonly AttemptRecord[], runId: string) => void;
  listAttempts: Database.Statement<[string], AttemptRow>;
  headTicket: Database.Statement<[string, number], TicketRow>;
  insertTicket: Database.Statement<{ session: string; runId: string; expiresAt: number }>;
  refreshTicket: Database.Statement<{ ticket: number; expiresAt: number }>;
  deleteTicket: Database.Statement<[number]>;
  deleteExpiredTickets: Database.Statement<[string, number]>;
}

const TURN_COLUMNS = 'seq, role, content, run_id AS runId, parts, provider_options AS providerOptions';
// ORDER BY ... LIMIT 1 is one step down the primary key, whatever the session's length
const LAST_SEQ_OF_K = 'SELECT seq FROM turns WHERE session_id = k.session ORDER BY seq DESC LIMIT 1';

const inOrder = <A extends unknown[], P>(st: Database.Statement<A>, bind: (st: Database.Statement<A>, params: P) => Database.RunResult): BoundInOrder<P> => ({
  run: (params) => bind(st, params),
});

export function prepareStatements(db: Database.Database): Statements {
  const prep = <P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Database.Statement<P, R> =>
    db.prepare<P, R>(sql) as Database.Statement<P, R>;
  return {
    ensureSession: prep<[string]>('INSERT INTO sessions (id) VALUES (?) ON CONFLICT (id) DO NOTHING'),
    // The parameters come in once, as the row k, for the subqueries to share. The subqueries
    // cost about what statements of their own would: the gain is the statements' own overhead.
    // A LEFT JOIN from k: a session without a row still has its tickets and turns read.
    openSession: prep<[string, number], OpenSessionRow>(
      `WITH k(session, wall_now) AS (VALUES (?, ?))
       SELECT s.lease_owner, s.lease_token, s.lease_expires_at,
         (SELECT ticket FROM lease_tickets WHERE session_id = k.session AND expires_at > k.wall_now ORDER BY ticket LIMIT 1) AS head_ticket,
         (${LAST_SEQ_OF_K}) AS last_seq
       FROM k LEFT JOIN sessions AS s ON s.id = k.session`,
    ),
    getSession: prep<[string], SessionRow>('SELECT lease_owner, lease_token, lease_expires_at FROM sessions WHERE id = ?'),
    grantLease: inOrder(
      prep<[string, number, number, number, string]>('UPDATE sessions SET lease_owner = ?, lease_token = ?, lease_expires_at = ?, last_active_at = ? WHERE id = ?'),
      (st, p: LeaseParams & { expiresAt: number; now: number }) => st.run(p.owner, p.token, p.expiresAt, p.now, p.session),
    ),
    insertLeasedSession: inOrder(
      prep<[string, string, number, number, number]>('INSERT INTO sessions (id, lease_owner, lease_token, lease_expires_at, last_active_at) VALUES (?, ?, ?, ?, ?)'),
      (st, p: LeaseParams & { expiresAt: number; now: number }) => st.run(p.session, p.owner, p.token, p.expiresAt, p.now),
    ),
    renewLease: prep<LeaseParams & { expiresAt: number }>(
      'UPDATE sessions SET lease_expires_at = @expiresAt WHERE id = @session AND lease_owner = @owner AND lease_token = @token',
    ),
    // `version` counts commits, so a reader can tell the history moved
    releaseLease: inOrder(
      prep<[number, number, number, string, string, number]>(
        `UPDATE sessions SET lease_owner = NULL, lease_expires_at = NULL, version = version + (? > 0),
           turn_count = turn_count + ?, last_active_at = ?
         WHERE id = ? AND lease_owner = ? AND lease_token = ?`,
      ),
      (st, p: LeaseParams & { turns: number; now: number }) => st.run(p.turns, p.turns, p.now, p.session, p.owner, p.token),
    ),

    listTurns: prep<[string], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY seq`),
    turnsAfter: prep<[string, number], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? AND seq > ? ORDER BY seq`),
    turnsUpTo: prep<[string, number], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? AND seq <= ? ORDER BY seq`),
    turnsOfRun: prep<[string], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE run_id = ? ORDER BY run_index`),
    // ORDER BY ... LIMIT 1 is one step down the primary key, whatever the session's length
    insertTurn: prep<InsertTurn>(
      `INSERT INTO turns (session_id, seq, role, content, parts, provider_options, run_id, run_index)
       VALUES (@session, @seq, @role, @content, @parts, @providerOptions, @runId, @index)
       ON CONFLICT (run_id, run_index) DO NOTHING`,
    ),
    insertTurns: multiRowInsert<InsertTurn>(db, {
      into: 'INSERT INTO turns (session_id, seq, role, content, parts, provider_options, run_id, run_index)',
      columns: 8,
      tail: 'ON CONFLICT (run_id, run_index) DO NOTHING',
      values: (t, into) => void into.push(t.session, t.seq, t.role, t.content, t.parts, t.providerOptions, t.runId, t.index),
    }),
    insertCommitTurns: multiRowInsert<Message, CommitTurns>(db, {
      into: 'INSERT INTO turns (session_id, seq, role, content, parts, provider_options, run_id, run_index)',
      columns: 8,
      tail: 'ON CONFLICT (run_id, run_index) DO NOTHING',
      values: (m, into, of, index) => {
        const { content, parts, providerOptions } = turnColumns(m);
        into.push(of.session, of.base + index + 1, m.role, content, parts, providerOptions, of.runId, index);
      },
    }),

    insertRun: inOrder(
      prep<[string, string, number, number]>(`INSERT INTO runs (id, session_id, status, lease_token, started_at) VALUES (?, ?, 'running', ?, ?)`),
      (st, p: { runId: string; session: string; token: number; now: number }) => st.run(p.runId, p.session, p.token, p.now),
    ),
    getRun: prep<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    runStatus: prep<[string], RunStatus>('SELECT status FROM runs WHERE id = ?').pluck() as Database.Statement<[string], RunStatus>,
    // as openSession, a LEFT JOIN from k: a session without a row still gives the run's status
    commitCheck: prep<[string, string], CommitCheckRow>(
      `WITH k(session, run) AS (VALUES (?, ?))
       SELECT (SELECT status FROM runs WHERE id = k.run) AS status, s.lease_owner, s.lease_token, (${LAST_SEQ_OF_K}) AS last_seq
       FROM k LEFT JOIN sessions AS s ON s.id = k.session`,
    ),
    markAbandoned: prep<{ runId: string; now: number }>(
      `UPDATE runs SET status = 'abandoned', finished_at = @now WHERE id = @runId AND status = 'running'`,
    ),
    markSucceeded: inOrder(
      prep<[number, string, string, string, string | null, string]>(
        `UPDATE runs SET status = 'succeeded', finished_at = ?, served_provider = ?, served_model = ?, served_profile_id = ?, decisions = ?
         WHERE id = ?`,
      ),
      (st, p: ServedParams & { runId: string; now: number; decisions: string | null }) => st.run(p.now, p.provider, p.model, p.profileId, p.decisions, p.runId),
    ),
    // an orphan keeps everything the provider returned, even if its row was marked abandoned meanwhile
    upsertOrphan: prep<Orphan & { code: string | null; errorMessage: string | null }>(
      `INSERT INTO runs (id, session_id, status, started_at, finished_at, served_provider, served_model, served_profile_id,
         orphan_messages, orphan_reply, decisions, error_code, error_message)
       VALUES (@runId, @session, 'orphaned', @now, @now, @provider, @model, @profileId, @messages, @reply, @decisions, @code, @errorMessage)
       ON CONFLICT (id) DO UPDATE SET status = 'orphaned', finished_at = excluded.finished_at,
         served_provider = excluded.served_provider, served_model = excluded.served_model,
         served_profile_id = excluded.served_profile_id,
         orphan_messages = excluded.orphan_messages, orphan_reply = excluded.orphan_reply,
         decisions = coalesce(excluded.decisions, decisions),
         error_code = coalesce(excluded.error_code, error_code), error_message = coalesce(excluded.error_message, error_message)`,
    ),
    insertEndedRun: prep<Ended & { session: string; status: RunStatus }>(
      `INSERT INTO runs (id, session_id, status, started_at, finished_at, error_code, error_message, decisions)
       VALUES (@runId, @session, @status, @now, @now, @code, @message, @decisions)`,
    ),
    endRun: inOrder(
      prep<[RunStatus, number, string, string, string | null, string]>(
        `UPDATE runs SET status = ?, finished_at = ?, error_code = ?, error_message = ?, decisions = coalesce(?, decisions)
         WHERE id = ?`,
      ),
      (st, p: Ended & { status: RunStatus }) => st.run(p.status, p.now, p.code, p.message, p.decisions, p.runId),
    ),
    // a failure reported after the reply was orphaned explains it without hiding the orphan
    noteOrphanError: prep<Ended>(
      'UPDATE runs SET error_code = @code, error_message = @message, decisions = coalesce(@decisions, decisions) WHERE id = @runId',
    ),
    listOrphans: prep<[], RunRow>(`SELECT * FROM runs WHERE status = 'orphaned' ORDER BY finished_at, id`),

    insertAttempt: prep<AttemptRow>(
      `INSERT INTO attempts (run_id, n, provider, model, profile_id, outcome, reason, scope, status, message, started_at, duration_ms, probe, usage, streamed)
       VALUES (@run_id, @n, @provider, @model, @profile_id, @outcome, @reason, @scope, @status, @message, @started_at, @duration_ms, @probe, @usage, @streamed)
       ON CONFLICT (run_id, n) DO NOTHING`,
    ),
    insertAttempts: multiRowInsert<AttemptRow>(db, {
      into: `INSERT INTO attempts (run_id, n, provider, model, profile_id, outcome, reason, scope, status, message, started_at, duration_ms, probe, usage, streamed)`,
      columns: 15,
      tail: 'ON CONFLICT (run_id, n) DO NOTHING',
      values: (a, into) =>
        void into.push(a.run_id, a.n, a.provider, a.model, a.profile_id, a.outcome, a.reason, a.scope, a.status, a.message, a.started_at, a.duration_ms, a.probe, a.usage, a.streamed),
    }),
    insertAttemptRecords: multiRowInsert<AttemptRecord, string>(db, {
      into: `INSERT INTO attempts (run_id, n, provider, model, profile_id, outcome, reason, scope, status, message, started_at, duration_ms, probe, usage, streamed)`,
      columns: 15,
      tail: 'ON CONFLICT (run_id, n) DO NOTHING',
      values: (a, into, runId) => attemptValues(runId, a, into),
    }),
    listAttempts: prep<[string], AttemptRow>('SELECT * FROM attempts WHERE run_id = ? ORDER BY n'),

    headTicket: prep<[string, number], TicketRow>(
      'SELECT ticket, run_id FROM lease_tickets WHERE session_id = ? AND expires_at > ? ORDER BY ticket LIMIT 1',
    ),
    insertTicket: prep<{ session: string; runId: string; expiresAt: number }>(
      'INSERT INTO lease_tickets (session_id, run_id, expires_at) VALUES (@session, @runId, @expiresAt)',
    ),
    refreshTicket: prep<{ ticket: number; expiresAt: number }>('UPDATE lease_tickets SET expires_at = @expiresAt WHERE ticket = @ticket'),
    deleteTicket: prep<[number]>('DELETE FROM lease_tickets WHERE ticket = ?'),
    deleteExpiredTickets: prep<[string, number]>('DELETE FROM lease_tickets WHERE session_id = ? AND expires_at <= ?'),
  };
}
