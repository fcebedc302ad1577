import type Database from 'better-sqlite3';
import { createCooldownTable, type CooldownTable } from '../../src/store/cooldown-table.js';
import { openDatabase } from '../../src/store/open-database.js';
import { resolveStoreOptions } from '../../src/store/options.js';
import { prepareStatements, type Statements } from '../../src/store/statements.js';

/** The floor's database: the store's own opening (pragmas, journal mode, migrations) and statements. */
export interface FloorDatabase {
  db: Database.Database;
  s: Statements;
  cooldowns: CooldownTable;
  close(): void;
}

/**
 * Opens a database exactly as openSqliteStore does (the same code: WAL and synchronous=NORMAL
 * on a file, the repository's migrations, the same busy timeout) and prepares the store's own
 * statements on it, cooldown statements included. Nothing of the store's run logic comes with
 * it: the floor composes those statements itself.
 */
export function openFloorDatabase(path = ':memory:'): FloorDatabase {
  const o = resolveStoreOptions({ path });
  const { db, version } = openDatabase(o, () => undefined);
  if (typeof version !== 'number') {
    db.close();
    throw new Error(`the floor database ${path} is locked by another connection`);
  }
  return { db, s: prepareStatements(db), cooldowns: createCooldownTable(db, o.cooldownCleanupIntervalMs), close: () => db.close() };
}
