import type { Migration } from './migration.js';

// Timestamps are REAL so a fractional clock (performance.now-based) never trips STRICT typing.
// Tables keyed by text are WITHOUT ROWID: one b-tree to write per row instead of table + index.
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  -- bumped by every commit, so a reader can tell the history moved
  version INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  -- fencing token: bumped by every lease grant and kept after release, so it only grows
  lease_token INTEGER NOT NULL DEFAULT 0,
  lease_expires_at REAL
) STRICT, WITHOUT ROWID;

CREATE TABLE turns (
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content TEXT NOT NULL,
  run_id TEXT NOT NULL,
  run_index INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq)
) STRICT, WITHOUT ROWID;
-- the idempotency key: appending the same (run, index) twice is a no-op
CREATE UNIQUE INDEX turns_run_index ON turns (run_id, run_index);

CREATE TABLE runs (
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
  orphan_reply TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX runs_orphaned ON runs (finished_at, id) WHERE status = 'orphaned';

-- profiles are stored by id only: no column here can hold a key
CREATE TABLE attempts (
  run_id TEXT NOT NULL,
  n INTEGER NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  reason TEXT,
  scope TEXT,
  status INTEGER,
  message TEXT,
  started_at REAL NOT NULL,
  duration_ms REAL NOT NULL,
  probe INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, n)
) STRICT, WITHOUT ROWID;

-- absent key parts are '' so the composite primary key stays exact (NULLs never conflict)
CREATE TABLE cooldowns (
  provider TEXT NOT NULL,
  profile_id TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  until REAL NOT NULL,
  reason TEXT NOT NULL,
  failures INTEGER NOT NULL,
  PRIMARY KEY (provider, profile_id, model)
) STRICT, WITHOUT ROWID;
CREATE INDEX cooldowns_until ON cooldowns (until);
`,
};
