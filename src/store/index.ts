export { openSqliteStore } from './open-sqlite-store.js';
export type { IntegrityReport, SqliteSessionStore } from './open-sqlite-store.js';
export type { SqliteStoreOptions, SynchronousMode } from './options.js';
export { LATEST_SCHEMA_VERSION } from './migrations/index.js';
export { openPostgresStore } from './postgres/index.js';
export type { PostgresSessionStore, PostgresStoreOptions } from './postgres/index.js';
export type {
  CommitRunArgs,
  CooldownMatch,
  FailRunArgs,
  Lease,
  ListRunsQuery,
  ListSessionsQuery,
  OpenedRun,
  OpenRunArgs,
  OrphanRun,
  PruneArgs,
  PruneResult,
  RunRecord,
  RunStatus,
  RunStore,
  RunSummary,
  SessionDetail,
  SessionStore,
  SessionSummary,
  StoreOperations,
  UncommittedTurns,
  WaitOptions,
} from './types.js';
