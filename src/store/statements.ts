import type Database from 'better-sqlite3';
import type { Role } from '../types.js';
import type { RunStatus } from './types.js';

export interface SessionRow {
  lease_owner: string | null;
  lease_token: number;
  lease_expires_at: number | null;
}

export interface TurnRow {
  seq: number;
  role: Role;
  content: string;
  runId: string;
}

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
}

interface LeaseParams {
  session: string;
  owner: string;
  token: number;
}

interface ServedParams {
  provider: string;
  model: string;
  profileId: string;
}

/** Every statement the store runs (spelled out: the .d.ts emitter cannot name better-sqlite3's inner Statement type). */
export interface Statements {
  ensureSession: Database.Statement<[string]>;
  getSession: Database.Statement<[string], SessionRow>;
  grantLease: Database.Statement<LeaseParams & { expiresAt: number }>;
  renewLease: Database.Statement<LeaseParams & { expiresAt: number }>;
  releaseLease: Database.Statement<LeaseParams & { committed: number }>;
  listTurns: Database.Statement<[string], TurnRow>;
  turnsAfter: Database.Statement<[string, number], TurnRow>;
  turnsOfRun: Database.Statement<[string], TurnRow>;
  lastSeq: Database.Statement<[string], number | undefined>;
  insertTurn: Database.Statement<{ session: string; seq: number; role: Role; content: string; runId: string; index: number }>;
  insertRun: Database.Statement<{ runId: string; session: string; token: number; now: number }>;
  getRun: Database.Statement<[string], RunRow>;
  runStatus: Database.Statement<[string], RunStatus>;
  markAbandoned: Database.Statement<{ runId: string; now: number }>;
  markSucceeded: Database.Statement<ServedParams & { runId: string; now: number }>;
  upsertOrphan: Database.Statement<ServedParams & { runId: string; session: string; now: number; messages: string; reply: string }>;
  insertEndedRun: Database.Statement<{ runId: string; session: string; status: RunStatus; now: number; code: string; message: string }>;
  endRun: Database.Statement<{ runId: string; status: RunStatus; now: number; code: string; message: string }>;
  noteOrphanError: Database.Statement<{ runId: string; code: string; message: string }>;
  listOrphans: Database.Statement<[], RunRow>;
  insertAttempt: Database.Statement<AttemptRow>;
  listAttempts: Database.Statement<[string], AttemptRow>;
}

const TURN_COLUMNS = 'seq, role, content, run_id AS runId';

/** Prepared once per store: preparing costs more than running. */
export function prepareStatements(db: Database.Database): Statements {
  const prep = <P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Database.Statement<P, R> =>
    db.prepare<P, R>(sql) as Database.Statement<P, R>;
  return {
    ensureSession: prep<[string]>('INSERT INTO sessions (id) VALUES (?) ON CONFLICT (id) DO NOTHING'),
    getSession: prep<[string], SessionRow>('SELECT lease_owner, lease_token, lease_expires_at FROM sessions WHERE id = ?'),
    grantLease: prep<LeaseParams & { expiresAt: number }>(
      'UPDATE sessions SET lease_owner = @owner, lease_token = @token, lease_expires_at = @expiresAt WHERE id = @session',
    ),
    renewLease: prep<LeaseParams & { expiresAt: number }>(
      'UPDATE sessions SET lease_expires_at = @expiresAt WHERE id = @session AND lease_owner = @owner AND lease_token = @token',
    ),
    releaseLease: prep<LeaseParams & { committed: number }>(
      `UPDATE sessions SET lease_owner = NULL, lease_expires_at = NULL, version = version + @committed
       WHERE id = @session AND lease_owner = @owner AND lease_token = @token`,
    ),

    listTurns: prep<[string], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY seq`),
    turnsAfter: prep<[string, number], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? AND seq > ? ORDER BY seq`),
    turnsOfRun: prep<[string], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE run_id = ? ORDER BY run_index`),
    // ORDER BY ... LIMIT 1 is one step down the primary key, whatever the session's length
    lastSeq: prep<[string], number | undefined>('SELECT seq FROM turns WHERE session_id = ? ORDER BY seq DESC LIMIT 1').pluck() as Database.Statement<[string], number | undefined>,
    insertTurn: prep<{ session: string; seq: number; role: Role; content: string; runId: string; index: number }>(
      `INSERT INTO turns (session_id, seq, role, content, run_id, run_index)
       VALUES (@session, @seq, @role, @content, @runId, @index)
       ON CONFLICT (run_id, run_index) DO NOTHING`,
    ),

    insertRun: prep<{ runId: string; session: string; token: number; now: number }>(
      `INSERT INTO runs (id, session_id, status, lease_token, started_at) VALUES (@runId, @session, 'running', @token, @now)`,
    ),
    getRun: prep<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    runStatus: prep<[string], RunStatus>('SELECT status FROM runs WHERE id = ?').pluck() as Database.Statement<[string], RunStatus>,
    markAbandoned: prep<{ runId: string; now: number }>(
      `UPDATE runs SET status = 'abandoned', finished_at = @now WHERE id = @runId AND status = 'running'`,
    ),
    markSucceeded: prep<ServedParams & { runId: string; now: number }>(
      `UPDATE runs SET status = 'succeeded', finished_at = @now,
         served_provider = @provider, served_model = @model, served_profile_id = @profileId
       WHERE id = @runId`,
    ),
    // an orphan keeps everything the provider returned, even if its row was marked abandoned meanwhile
    upsertOrphan: prep<ServedParams & { runId: string; session: string; now: number; messages: string; reply: string }>(
      `INSERT INTO runs (id, session_id, status, started_at, finished_at, served_provider, served_model, served_profile_id, orphan_messages, orphan_reply)
       VALUES (@runId, @session, 'orphaned', @now, @now, @provider, @model, @profileId, @messages, @reply)
       ON CONFLICT (id) DO UPDATE SET status = 'orphaned', finished_at = excluded.finished_at,
         served_provider = excluded.served_provider, served_model = excluded.served_model,
         served_profile_id = excluded.served_profile_id,
         orphan_messages = excluded.orphan_messages, orphan_reply = excluded.orphan_reply`,
    ),
    insertEndedRun: prep<{ runId: string; session: string; status: RunStatus; now: number; code: string; message: string }>(
      `INSERT INTO runs (id, session_id, status, started_at, finished_at, error_code, error_message)
       VALUES (@runId, @session, @status, @now, @now, @code, @message)`,
    ),
    endRun: prep<{ runId: string; status: RunStatus; now: number; code: string; message: string }>(
      `UPDATE runs SET status = @status, finished_at = @now, error_code = @code, error_message = @message WHERE id = @runId`,
    ),
    // a failure reported after the reply was orphaned explains it without hiding the orphan
    noteOrphanError: prep<{ runId: string; code: string; message: string }>(
      'UPDATE runs SET error_code = @code, error_message = @message WHERE id = @runId',
    ),
    listOrphans: prep<[], RunRow>(`SELECT * FROM runs WHERE status = 'orphaned' ORDER BY finished_at, id`),

    insertAttempt: prep<AttemptRow>(
      `INSERT INTO attempts (run_id, n, provider, model, profile_id, outcome, reason, scope, status, message, started_at, duration_ms, probe)
       VALUES (@run_id, @n, @provider, @model, @profile_id, @outcome, @reason, @scope, @status, @message, @started_at, @duration_ms, @probe)
       ON CONFLICT (run_id, n) DO NOTHING`,
    ),
    listAttempts: prep<[string], AttemptRow>('SELECT * FROM attempts WHERE run_id = ? ORDER BY n'),
  };
}

