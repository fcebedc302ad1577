// A foreign process that takes the database's write lock (BEGIN EXCLUSIVE) and holds it for
// `holdMs`, as a backup tool or a long migration of another program would.
import Database from 'better-sqlite3';
import { argJson, emit, failOnUnhandled } from './worker-io.js';

failOnUnhandled();
const o = argJson<{ dbPath: string; holdMs: number }>();
const db = new Database(o.dbPath);
db.exec('BEGIN EXCLUSIVE');
emit({ type: 'locked' });
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  emit({ type: 'released' });
}, o.holdMs);
