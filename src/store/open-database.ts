import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { applyMigrations, schemaTooNew } from './migrations/apply-migrations.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION } from './migrations/index.js';
import type { ResolvedStoreOptions } from './options.js';
import { toStoreError } from './sqlite-errors.js';

/**
 * Opens the file and brings it to our schema. Everything that can refuse the file (not SQLite,
 * corrupt, another program's database, a newer schema) is checked with reads only, before the
 * first write: switching to WAL rewrites header bytes, so it comes after the checks.
 */
export function openDatabase(o: ResolvedStoreOptions): { db: Database.Database; version: number } {
  let db: Database.Database;
  try {
    db = new Database(o.path);
  } catch (e) {
    throw new StoreError('STORE_FAILED', o.path, `Cannot open database ${o.path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    db.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) throw schemaTooNew(o.path, version);
    const appId = db.pragma('application_id', { simple: true }) as number;
    // reading the schema table parses every page of it, which is where a damaged file shows
    const tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
    if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) {
      throw new StoreError('STORE_FAILED', o.path, `Database ${o.path} belongs to another program (application_id ${appId}, ${tables} schema objects); refusing to write to it`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${o.synchronous}`);
    const migrated = applyMigrations(db, o.path);
    return { db, version: migrated };
  } catch (e) {
    db.close();
    throw toStoreError(e, o.path, 'opening');
  }
}
