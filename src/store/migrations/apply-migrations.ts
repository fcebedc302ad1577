import type Database from 'better-sqlite3';
import { StoreError } from '../../errors.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, MIGRATIONS } from './index.js';
import type { Migration } from './migration.js';

/**
 * Brings the schema to the latest version in one BEGIN IMMEDIATE transaction: either every
 * pending migration lands or none does. The version is read again inside the transaction
 * because another process may have migrated between our check and our lock.
 */
export function applyMigrations(db: Database.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const migrate = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) throw schemaTooNew(path, current, latest);
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      // pragmas cannot take bound parameters; both values are our own integers
      db.pragma(`user_version = ${m.version}`);
    }
    if (current === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    return Math.max(current, latest);
  });
  return migrate.immediate();
}

export function schemaTooNew(path: string, found: number, latest = LATEST_SCHEMA_VERSION): StoreError {
  return new StoreError(
    'STORE_SCHEMA_TOO_NEW',
    path,
    `Database ${path} has schema version ${found}, newer than the ${latest} this version of llm-failover knows; ` +
      'upgrade llm-failover to open it (nothing was written).',
  );
}
