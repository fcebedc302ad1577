import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteSessionStore, type SqliteStoreOptions } from '../../src/index.js';
import { openFloorDatabase, type FloorDatabase } from '../floor/floor-database.js';

export type Storage = 'memory' | 'wal';

/** A case's store and its floor's database, side by side in the same journal mode. */
export interface CaseStorage {
  store: SqliteSessionStore;
  floor: FloorDatabase;
  close(): Promise<void>;
}

export async function openCaseStorage(storage: Storage, options: Omit<SqliteStoreOptions, 'path'> = {}): Promise<CaseStorage> {
  const dir = storage === 'wal' ? mkdtempSync(join(tmpdir(), 'llmf-bench-')) : undefined;
  const path = (name: string) => (dir ? join(dir, name) : ':memory:');
  const store = openSqliteStore({ ...options, path: path('engine.db') });
  await store.ready;
  const floor = openFloorDatabase(path('floor.db'));
  return {
    store,
    floor,
    close: async () => {
      await store.close();
      floor.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Session ids that are never reused: each run of a fresh-session case gets a new one. */
export function freshSessions(prefix: string): { next: () => string; take: (count: number) => string[] } {
  let n = 0;
  const next = () => `${prefix}${n++}`;
  return { next, take: (count) => Array.from({ length: count }, next) };
}
