import type { Migration } from './migration.js';

// `runs` was WITHOUT ROWID, where a row is its own b-tree key: every interior page repeats whole
// rows, and SQLite advises it only for rows under about a twentieth of a page (~200 bytes). A run's
// row is larger: its decisions (300 bytes for a success, 30 KB for a dead chain of 128), its
// error message (14 KB for that chain) and, when orphaned, its messages and reply. In a rowid
// table interior pages hold only rowids and a large row overflows on its own pages, so lookups and
// inserts stay flat as runs pile up; rows are appended in rowid order whatever the run ids are
// (a host's own random ids only scatter the small index on `id`). The columns, their order and
// the indexes stay as they were, so every statement reads and writes the same.
export const migration005: Migration = {
  version: 5,
  name: 'runs as a rowid table',
  sql: `
CREATE TABLE runs_rowid (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'aborted', 'orphaned', 'abandoned')),
  lease_token INTEGER,
  started_at REAL NOT NULL,
  finished_at REAL,
  served_provider TEXT,
  served_model TEXT,
  served_profile_id TEXT,
  error_code TEXT,
  error_message TEXT,
  -- JSON, only for orphaned runs: what the provider returned but the run could not commit
  orphan_messages TEXT,
  orphan_reply TEXT,
  -- JSON array of the run's decisions, written with the run's end
  decisions TEXT
) STRICT;
-- oldest first, so the rowids of existing runs follow their start as new ones will
INSERT INTO runs_rowid (id, session_id, status, lease_token, started_at, finished_at, served_provider, served_model,
    served_profile_id, error_code, error_message, orphan_messages, orphan_reply, decisions)
  SELECT id, session_id, status, lease_token, started_at, finished_at, served_provider, served_model,
    served_profile_id, error_code, error_message, orphan_messages, orphan_reply, decisions
  FROM runs ORDER BY started_at, id;
DROP TABLE runs;
ALTER TABLE runs_rowid RENAME TO runs;
CREATE INDEX runs_orphaned ON runs (finished_at, id) WHERE status = 'orphaned';
CREATE INDEX runs_session_started ON runs (session_id, started_at);
CREATE INDEX runs_started ON runs (started_at);
`,
};
