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

const TURN_COLUMNS = 'seq, role, content, run_id AS runId';

/** Every statement the store runs, prepared once per store (preparing costs more than running). */
export function prepareStatements(db: Database.Database) {
  return {
    ensureSession: db.prepare<[string]>('INSERT INTO sessions (id) VALUES (?) ON CONFLICT (id) DO NOTHING'),
    getSession: db.prepare<[string], SessionRow>('SELECT lease_owner, lease_token, lease_expires_at FROM sessions WHERE id = ?'),
    grantLease: db.prepare<LeaseParams & { expiresAt: number }>(
      'UPDATE sessions SET lease_owner = @owner, lease_token = @token, lease_expires_at = @expiresAt WHERE id = @session',
    ),
    renewLease: db.prepare<LeaseParams & { expiresAt: number }>(
      'UPDATE sessions SET lease_expires_at = @expiresAt WHERE id = @session AND lease_owner = @owner AND lease_token = @token',
    ),
    releaseLease: db.prepare<LeaseParams & { committed: number }>(
      `UPDATE sessions SET lease_owner = NULL, lease_expires_at = NULL, version = version + @committed
       WHERE id = @session AND lease_owner = @owner AND lease_token = @token`,
    ),

    listTurns: db.prepare<[string], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY seq`),
    turnsOfRun: db.prepare<[string], TurnRow>(`SELECT ${TURN_COLUMNS} FROM turns WHERE run_id = ? ORDER BY run_index`),
    lastSeq: db.prepare<[string], number | null>('SELECT max(seq) FROM turns WHERE session_id = ?').pluck(),
    insertTurn: db.prepare<{ session: string; seq: number; role: Role; content: string; runId: string; index: number }>(
      `INSERT INTO turns (session_id, seq, role, content, run_id, run_index)
       VALUES (@session, @seq, @role, @content, @runId, @index)
       ON CONFLICT (run_id, run_index) DO NOTHING`,
    ),

    insertRun: db.prepare<{ runId: string; session: string; token: number; now: number }>(
      `INSERT INTO runs (id, session_id, status, lease_token, started_at) VALUES (@runId, @session, 'running', @token, @now)`,
    ),
    getRun: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    markAbandoned: db.prepare<{ runId: string; now: number }>(
      `UPDATE runs SET status = 'abandoned', finished_at = @now WHERE id = @runId AND status = 'running'`,
    ),
    markSucceeded: db.prepare<ServedParams & { runId: string; now: number }>(
      `UPDATE runs SET status = 'succeeded', finished_at = @now,
         served_provider = @provider, served_model = @model, served_profile_id = @profileId
       WHERE id = @runId`,
    ),
    // an orphan keeps everything the provider returned, even if its row was marked abandoned meanwhile
    upsertOrphan: db.prepare<ServedParams & { runId: string; session: string; now: number; messages: string; reply: string }>(
      `INSERT INTO runs (id, session_id, status, started_at, finished_at, served_provider, served_model, served_profile_id, orphan_messages, orphan_reply)
       VALUES (@runId, @session, 'orphaned', @now, @now, @provider, @model, @profileId, @messages, @reply)
       ON CONFLICT (id) DO UPDATE SET status = 'orphaned', finished_at = excluded.finished_at,
         served_provider = excluded.served_provider, served_model = excluded.served_model,
         served_profile_id = excluded.served_profile_id,
         orphan_messages = excluded.orphan_messages, orphan_reply = excluded.orphan_reply`,
    ),
    insertEndedRun: db.prepare<{ runId: string; session: string; status: RunStatus; now: number; code: string; message: string }>(
      `INSERT INTO runs (id, session_id, status, started_at, finished_at, error_code, error_message)
       VALUES (@runId, @session, @status, @now, @now, @code, @message)`,
    ),
    endRun: db.prepare<{ runId: string; status: RunStatus; now: number; code: string; message: string }>(
      `UPDATE runs SET status = @status, finished_at = @now, error_code = @code, error_message = @message WHERE id = @runId`,
    ),
    // a failure reported after the reply was orphaned explains it without hiding the orphan
    noteOrphanError: db.prepare<{ runId: string; code: string; message: string }>(
      'UPDATE runs SET error_code = @code, error_message = @message WHERE id = @runId',
    ),
    listOrphans: db.prepare<[], RunRow>(`SELECT * FROM runs WHERE status = 'orphaned' ORDER BY finished_at, id`),

    insertAttempt: db.prepare<Omit<AttemptRow, 'probe'> & { probe: number }>(
      `INSERT INTO attempts (run_id, n, provider, model, profile_id, outcome, reason, scope, status, message, started_at, duration_ms, probe)
       VALUES (@run_id, @n, @provider, @model, @profile_id, @outcome, @reason, @scope, @status, @message, @started_at, @duration_ms, @probe)
       ON CONFLICT (run_id, n) DO NOTHING`,
    ),
    listAttempts: db.prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE run_id = ? ORDER BY n'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
