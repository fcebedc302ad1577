import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigError, StoreError } from '../../src/errors.js';
import { LATEST_SCHEMA_VERSION, openSqliteStore } from '../../src/store/index.js';
import { applyMigrations } from '../../src/store/migrations/apply-migrations.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { completeRun, openStore, tempDbPath, tempDir } from './helpers.js';

const openError = (p: string): unknown => {
  try {
    void openSqliteStore({ path: p }).close();
  } catch (e) {
    return e;
  }
  throw new Error('open succeeded');
};

describe('options', () => {
  it.each([
    [{ path: '' }, 'path'],
    [{ synchronous: 'OFF' }, 'synchronous'],
    [{ busyTimeoutMs: -1 }, 'busyTimeoutMs'],
    [{ busyTimeoutMs: 1.5 }, 'busyTimeoutMs'],
    // a long synchronous wait would freeze the process: longer waits are asynchronous retries
    [{ busyTimeoutMs: 5_000 }, 'busyTimeoutMs'],
    [{ busyWaitMs: Number.POSITIVE_INFINITY }, 'busyWaitMs'],
    [{ openTimeoutMs: 2 ** 31 }, 'openTimeoutMs'],
    [{ quickCheck: 'yes' }, 'quickCheck'],
    [{ now: 5 }, 'now'],
    [{ cooldownCleanupIntervalMs: Number.NaN }, 'cooldownCleanupIntervalMs'],
    [{ historyCacheSessions: -3 }, 'historyCacheSessions'],
    [{ paht: '/tmp/x.db' }, 'paht'],
  ])('%j is refused naming the field', (options, field) => {
    const err = (() => {
      try {
        openSqliteStore(options as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
  });

  it('uses WAL, synchronous=NORMAL and a 20 ms busy timeout by default', async () => {
    expect(await openStore({ path: tempDbPath() }).settings()).toEqual({ journalMode: 'wal', synchronous: 'NORMAL', busyTimeoutMs: 20 });
  });

  it('takes synchronous=FULL and another busy timeout as options', async () => {
    const p = tempDbPath();
    expect(await openStore({ path: p, synchronous: 'FULL', busyTimeoutMs: 123 }).settings()).toEqual({ journalMode: 'wal', synchronous: 'FULL', busyTimeoutMs: 123 });
    // WAL is a property of the file: a plain connection sees it too
    const raw = new Database(p, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });
});

describe('schema versions', () => {
  it('a new file is migrated to the latest version and tagged as ours', async () => {
    const p = tempDbPath();
    const store = openStore({ path: p });
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    await store.close();
    const raw = new Database(p, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      const tables = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(['attempts', 'cooldowns', 'lease_tickets', 'runs', 'sessions', 'turns']);
    } finally {
      raw.close();
    }
  });

  it('the schema itself makes (run id, index) unique in turns: a repeated append is a no-op', async () => {
    const p = tempDbPath();
    await openSqliteStore({ path: p }).close();
    const raw = new Database(p);
    try {
      const append = raw.prepare(
        "INSERT INTO turns (session_id, seq, role, content, run_id, run_index) VALUES ('s1', ?, 'user', 'hi', 'r1', 0) ON CONFLICT (run_id, run_index) DO NOTHING",
      );
      expect(append.run(1).changes).toBe(1);
      expect(append.run(2).changes).toBe(0);
      expect(raw.prepare('SELECT count(*) FROM turns').pluck().get()).toBe(1);
    } finally {
      raw.close();
    }
  });

  it('reopening an up-to-date file migrates nothing and keeps data', async () => {
    const p = tempDbPath();
    const first = openStore({ path: p });
    await completeRun(first, 'r1', 's1');
    await first.close();
    expect(await openStore({ path: p }).listTurns('s1')).toHaveLength(2);
  });

  it('a database from a newer version fails with STORE_SCHEMA_TOO_NEW and is not written', async () => {
    const p = tempDbPath();
    await openSqliteStore({ path: p }).close();
    const raw = new Database(p);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(p);
    const err = openError(p);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW', path: p });
    expect((err as Error).message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 1}`);
    expect(fs.readFileSync(p).equals(before)).toBe(true);
    expect(fs.existsSync(`${p}-wal`) ? fs.statSync(`${p}-wal`).size : 0).toBe(0);
  });

  it('a newer database in rollback-journal mode is not even switched to WAL', () => {
    const p = tempDbPath();
    const raw = new Database(p);
    raw.pragma('journal_mode = DELETE');
    raw.exec('CREATE TABLE future (x)');
    raw.pragma('application_id = 1280068934');
    raw.pragma('user_version = 99');
    raw.close();
    const before = fs.readFileSync(p);
    expect(openError(p)).toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW' });
    expect(fs.readFileSync(p).equals(before)).toBe(true);
  });
});

describe('files that are not ours', () => {
  it('a text file gives STORE_CORRUPT and is left as it was', () => {
    const p = path.join(tempDir(), 'notes.db');
    const text = 'this is not a database, just some notes\n'.repeat(200);
    fs.writeFileSync(p, text);
    const err = openError(p);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'STORE_CORRUPT', path: p });
    expect(fs.readFileSync(p, 'utf8')).toBe(text);
  });

  it('a SQLite file with a damaged schema page gives STORE_CORRUPT', async () => {
    const p = tempDbPath();
    const store = openSqliteStore({ path: p });
    await completeRun(store, 'r1', 's1');
    await store.close();
    const bytes = fs.readFileSync(p);
    // keep the 100-byte header (so it still reads as SQLite) and garble the schema b-tree after it
    for (let i = 100; i < 4096 && i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    fs.writeFileSync(p, bytes);
    expect(openError(p)).toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it("another program's SQLite database is refused without writing", () => {
    const p = tempDbPath();
    const raw = new Database(p);
    raw.exec("CREATE TABLE sessions (who TEXT); INSERT INTO sessions VALUES ('theirs')");
    raw.close();
    const before = fs.readFileSync(p);
    const err = openError(p);
    expect(err).toMatchObject({ code: 'STORE_FAILED' });
    expect((err as Error).message).toContain('another program');
    expect(fs.readFileSync(p).equals(before)).toBe(true);
  });

  it('a path in a missing directory gives STORE_FAILED', () => {
    expect(openError(path.join(tempDir(), 'no', 'such', 'dir', 'x.db'))).toMatchObject({ code: 'STORE_FAILED' });
  });
});

describe('integrityCheck', () => {
  it('reports ok on a healthy store', async () => {
    const store = openStore({ path: tempDbPath() });
    await completeRun(store, 'r1', 's1');
    expect(await store.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
  });
});

describe('applyMigrations', () => {
  const extra = { version: LATEST_SCHEMA_VERSION + 1, name: 'extra', sql: "CREATE TABLE extra (x TEXT); INSERT INTO extra VALUES ('seeded');" };

  it('applies only the pending steps, in order, and records the version', async () => {
    const p = tempDbPath();
    const store = openSqliteStore({ path: p });
    await completeRun(store, 'r1', 's1');
    await store.close();
    const db = new Database(p);
    try {
      expect(applyMigrations(db, p, [...MIGRATIONS, extra])).toBe(extra.version);
      expect(db.pragma('user_version', { simple: true })).toBe(extra.version);
      expect(db.prepare('SELECT x FROM extra').pluck().all()).toEqual(['seeded']);
      expect(db.prepare('SELECT count(*) FROM turns').pluck().get()).toBe(2);
      // running them again is a no-op
      expect(applyMigrations(db, p, [...MIGRATIONS, extra])).toBe(extra.version);
      expect(db.prepare('SELECT count(*) FROM extra').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    // and this version of the store now refuses the file
    expect(openError(p)).toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW' });
  });

  it('a failing step rolls every step of the batch back', () => {
    const p = tempDbPath();
    const db = new Database(p);
    try {
      const broken = { version: LATEST_SCHEMA_VERSION + 1, name: 'broken', sql: 'CREATE TABLE half (x); INSERT INTO no_such_table VALUES (1);' };
      expect(() => applyMigrations(db, p, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
