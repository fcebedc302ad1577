export { openSqliteStore } from './open-sqlite-store.js';
export type { IntegrityReport, SqliteSessionStore } from './open-sqlite-store.js';
export type { SqliteStoreOptions, SynchronousMode } from './options.js';
export { LATEST_SCHEMA_VERSION } from './migrations/index.js';
export type {
  CommitRunArgs,
  FailRunArgs,
  Lease,
  OpenedRun,
  OpenRunArgs,
  OrphanRun,
  RunRecord,
  RunStatus,
  SessionStore,
} from './types.js';
