import type { Migration } from '../migrations/migration.js';

// The PostgreSQL schema, versioned apart from SQLite's (its version 1 holds what SQLite's 001–003
// hold). `S` stands for the store's schema, quoted; the runner puts the real one in. Text keys are
// COLLATE "C" so listings sort by code point, exactly as SQLite's do, whatever the database's
// locale. Times are double precision: the store clock may be fractional, and 'Infinity' is a
// valid cooldown end.
export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE S.sessions (
  id TEXT COLLATE "C" PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT COLLATE "C",
  -- fencing token: bumped by every lease grant and kept after release, so it only grows
  lease_token BIGINT NOT NULL DEFAULT 0,
  lease_expires_at DOUBLE PRECISION,
  turn_count INTEGER NOT NULL DEFAULT 0,
  last_active_at DOUBLE PRECISION
);
CREATE INDEX sessions_last_active ON S.sessions (last_active_at DESC NULLS LAST, id);

CREATE TABLE S.turns (
  session_id TEXT COLLATE "C" NOT NULL,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content TEXT NOT NULL,
  -- JSON text (not jsonb: it must read back byte for byte); NULL for a plain text message
  parts TEXT,
  provider_options TEXT,
  run_id TEXT COLLATE "C" NOT NULL,
  run_index INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq)
);
-- the idempotency key: appending the same (run, index) twice is a no-op
CREATE UNIQUE INDEX turns_run_index ON S.turns (run_id, run_index);

CREATE TABLE S.runs (
  id TEXT COLLATE "C" PRIMARY KEY,
  session_id TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'aborted', 'orphaned', 'abandoned')),
  lease_token BIGINT,
  started_at DOUBLE PRECISION NOT NULL,
  finished_at DOUBLE PRECISION,
  served_provider TEXT,
  served_model TEXT,
  served_profile_id TEXT,
  error_code TEXT,
  error_message TEXT,
  orphan_messages TEXT,
  orphan_reply TEXT,
  decisions TEXT
);
CREATE INDEX runs_orphaned ON S.runs (finished_at, id) WHERE status = 'orphaned';
CREATE INDEX runs_session_started ON S.runs (session_id, started_at);
CREATE INDEX runs_started ON S.runs (started_at);

-- profiles are stored by id only: no column here can hold a key
CREATE TABLE S.attempts (
  run_id TEXT COLLATE "C" NOT NULL,
  n INTEGER NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  reason TEXT,
  scope TEXT,
  status INTEGER,
  message TEXT,
  started_at DOUBLE PRECISION NOT NULL,
  duration_ms DOUBLE PRECISION NOT NULL,
  probe INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, n)
);

-- absent key parts are '' so the composite primary key stays exact (NULLs never conflict)
CREATE TABLE S.cooldowns (
  provider TEXT COLLATE "C" NOT NULL,
  profile_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  model TEXT COLLATE "C" NOT NULL DEFAULT '',
  until DOUBLE PRECISION NOT NULL,
  reason TEXT NOT NULL,
  failures INTEGER NOT NULL,
  PRIMARY KEY (provider, profile_id, model)
);
CREATE INDEX cooldowns_until ON S.cooldowns (until);

-- Runs waiting for a busy session on every host: the oldest live ticket is served first.
-- expires_at is the server's clock (ms), so hosts with skewed clocks agree on who is alive.
CREATE TABLE S.lease_tickets (
  ticket BIGSERIAL PRIMARY KEY,
  session_id TEXT COLLATE "C" NOT NULL,
  run_id TEXT COLLATE "C" NOT NULL,
  expires_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX lease_tickets_session ON S.lease_tickets (session_id, ticket);
`,
  },
  {
    version: 2,
    name: 'attempt usage and circuit probes',
    sql: `
-- JSON text of the call's token counts as reported; NULL when the provider gave none
ALTER TABLE S.attempts ADD COLUMN usage TEXT;
-- 1 when text of the call reached the host (a reset followed if it did not serve)
ALTER TABLE S.attempts ADD COLUMN streamed INTEGER NOT NULL DEFAULT 0;
-- The run that claimed the probe of an ended cooldown, and until when its claim holds; NULL
-- when nobody probes. A new failure of the key (an upsert) ends the claim.
ALTER TABLE S.cooldowns ADD COLUMN probe_run_id TEXT COLLATE "C";
ALTER TABLE S.cooldowns ADD COLUMN probe_until DOUBLE PRECISION;
`,
  },
];

export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS.at(-1)!.version;
