import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { retryWhileBusy } from './busy-retry.js';
import { applyMigrations, schemaTooNew } from './migrations/apply-migrations.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION } from './migrations/index.js';
import type { ResolvedStoreOptions } from './options.js';
import { isBusy, isCorruption, sqliteCode, toStoreError } from './sqlite-errors.js';

export interface OpeningDatabase {
  db: Database.Database;
  /**
   * The schema version, or a promise of it when opening needs a write lock another connection
   * holds (creating or migrating the schema): then opening finishes asynchronously.
   */
  version: number | Promise<number>;
}

/**
 * Everything that can refuse the file (another program's database, a newer schema, a damaged
 * file) is checked with reads only, before the first write: switching to WAL rewrites header
 * bytes, so it comes after the checks. In WAL mode reads need no lock, so a database of ours
 * whose schema is current opens even while another process holds its write lock; only a write
 * this opening really needs (WAL switch, migration) waits for it.
 */
function prepare(db: Database.Database, o: ResolvedStoreOptions): number {
  // One statement, so one snapshot: read one by one, a new file could show application_id 0
  // from before another process's first migration and its tables from after it, and look like
  // another program's database. Reading the schema table parses every page of it, which is where
  // a damaged header shows.
  const { appId, tables, version } = db
    .prepare(
      `SELECT (SELECT application_id FROM pragma_application_id) AS appId, (SELECT count(*) FROM sqlite_schema) AS tables,
         (SELECT user_version FROM pragma_user_version) AS version`,
    )
    .get() as { appId: number; tables: number; version: number };
  // the application id first: another program's user_version means nothing to us
  if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0)) {
    throw new StoreError('STORE_FAILED', o.path, `Database ${o.path} belongs to another program (application_id ${appId}, ${tables} schema objects); refusing to write to it`);
  }
  if (version > LATEST_SCHEMA_VERSION) throw schemaTooNew(o.path, version);
  if (o.quickCheck && tables > 0 && o.path !== ':memory:') quickCheck(db, o.path);
  if (db.pragma('journal_mode', { simple: true }) !== 'wal' && o.path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${o.synchronous}`);
  return version < LATEST_SCHEMA_VERSION ? applyMigrations(db, o.path) : version;
}

/** Every page's structure, without the index-versus-table comparison of integrity_check (a fraction of its cost). */
function quickCheck(db: Database.Database, path: string): void {
  let messages: string[];
  try {
    messages = (db.pragma('quick_check', { simple: false }) as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (e) {
    // some damage stops the check itself: that is a verdict too
    if (!isCorruption(sqliteCode(e))) throw e;
    messages = [(e as Error).message];
  }
  if (messages.length === 1 && messages[0] === 'ok') return;
  throw new StoreError('STORE_CORRUPT', path, `Database ${path} is damaged (quick_check: ${messages.slice(0, 5).join('; ')}); nothing was written`);
}

/**
 * Opens the file and brings it to our schema. Refusals (not SQLite, corrupt, another program's,
 * newer schema) throw at once; a write lock held by another connection is waited for
 * asynchronously, up to `openTimeoutMs`, never by blocking the event loop.
 */
export function openDatabase(o: ResolvedStoreOptions, stopped: () => Error | undefined): OpeningDatabase {
  let db: Database.Database;
  try {
    db = new Database(o.path);
  } catch (e) {
    throw new StoreError('STORE_FAILED', o.path, `Cannot open database ${o.path}: ${(e as Error).message}`, { cause: e });
  }
  const fail = (e: unknown): never => {
    if (db.open) db.close();
    throw toStoreError(e, o.path, 'opening');
  };
  try {
    db.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
    return { db, version: prepare(db, o) };
  } catch (e) {
    if (!isBusy(e)) return fail(e);
  }
  return { db, version: retryWhileBusy(() => prepare(db, o), { maxWaitMs: o.openTimeoutMs, stopped }).catch(fail) };
}
