import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openSqliteStore, type SqliteSessionStore, type SqliteStoreOptions } from '../../src/store/index.js';

export { attempt, commitArgs, completeRun, decision, failArgs, flush, openArgs, served } from './contract/fixtures.js';

const dirs: string[] = [];
const stores: SqliteSessionStore[] = [];

/** A fresh directory under the OS temp dir, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmf-'));
  dirs.push(dir);
  return dir;
}

export const tempDbPath = (): string => path.join(tempDir(), 'store.db');

/** Opens a SQLite store that is closed after the test. */
export function openStore(options: SqliteStoreOptions = {}): SqliteSessionStore {
  const store = openSqliteStore(options);
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
