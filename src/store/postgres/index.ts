export { openPostgresStore } from './open-postgres-store.js';
export type { PostgresSessionStore } from './open-postgres-store.js';
export type { PostgresStoreOptions } from './options.js';
export { PG_LATEST_SCHEMA_VERSION } from './migrations.js';
