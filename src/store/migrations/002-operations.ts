import type { Migration } from './migration.js';

// What the operations tools read (session listings, run timelines) and fair lease waiting
// across processes.
export const migration002: Migration = {
  version: 2,
  name: 'operations and lease tickets',
  sql: `
-- JSON array of the run's decisions, written with the run's end
ALTER TABLE runs ADD COLUMN decisions TEXT;
CREATE INDEX runs_session_started ON runs (session_id, started_at);
CREATE INDEX runs_started ON runs (started_at);

-- kept by every commit, so listing sessions never counts turns
ALTER TABLE sessions ADD COLUMN turn_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_active_at REAL;
UPDATE sessions SET
  turn_count = (SELECT count(*) FROM turns WHERE turns.session_id = sessions.id),
  last_active_at = (SELECT max(coalesce(runs.finished_at, runs.started_at)) FROM runs WHERE runs.session_id = sessions.id);

-- Runs waiting for a busy session, in every process: the oldest live ticket is served first.
-- A waiter refreshes its ticket while it waits, so the ticket of a dead process expires.
CREATE TABLE lease_tickets (
  ticket INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  expires_at REAL NOT NULL
) STRICT;
CREATE INDEX lease_tickets_session ON lease_tickets (session_id, ticket);
`,
};
