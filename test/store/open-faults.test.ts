import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, openSqliteStore } from '../../src/store/index.js';
import { applyMigrations } from '../../src/store/migrations/apply-migrations.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { commitArgs, completeRun, openArgs, openStore, tempDbPath } from './helpers.js';

const openError = (p: string): unknown => {
  try {
    void openSqliteStore({ path: p }).close();
  } catch (e) {
    return e;
  }
  throw new Error('open succeeded');
};

/** A store file with sessions spread over many pages. */
async function filledFile(runs = 200): Promise<string> {
  const p = tempDbPath();
  const store = openSqliteStore({ path: p });
  for (let i = 0; i < runs; i++) {
    const { lease } = await store.openRun(openArgs(`r${i}`, `s${i % 5}`, { now: i }));
    await store.commitRun(lease, commitArgs(`r${i}`, { messages: [{ role: 'user', content: 'q'.repeat(1_000) }], reply: { role: 'assistant', content: 'a'.repeat(1_000) } }));
  }
  await store.close();
  return p;
}

/** Overwrites one whole page in the middle of the file with garbage, as a bad sector or a stray write would. */
function damageMiddlePage(p: string): void {
  const bytes = fs.readFileSync(p);
  const page = Math.floor(bytes.length / 4096 / 2);
  for (let i = 0; i < 4096; i++) bytes[page * 4096 + i] = (i * 7919 + 13) & 0xff;
  fs.writeFileSync(p, bytes);
}

/** Holds the database's write lock from another connection until `release()`. */
function holdWriteLock(p: string) {
  const raw = new Database(p);
  raw.exec('BEGIN EXCLUSIVE');
  return {
    release: () => {
      if (raw.inTransaction) raw.exec('COMMIT');
      raw.close();
    },
  };
}

/** Counts the ticks of a 5 ms timer: a frozen event loop shows as missing ticks. */
function ticker() {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  return { ticks: () => ticks, stop: () => clearInterval(timer) };
}

/** A WAL database file at schema version 1, so that opening it must migrate. */
function databaseAtFirstSchema(): string {
  const p = tempDbPath();
  const raw = new Database(p);
  raw.pragma('journal_mode = WAL');
  applyMigrations(raw, p, MIGRATIONS.slice(0, 1));
  raw.close();
  return p;
}

describe('a damaged file', () => {
  it('with a garbled page in the middle is refused at open (quick check) with STORE_CORRUPT, nothing written', async () => {
    const p = await filledFile();
    damageMiddlePage(p);
    const before = fs.readFileSync(p);
    const err = openError(p);
    expect(err).toMatchObject({ code: 'STORE_CORRUPT', path: p });
    expect((err as Error).message).toContain('quick_check');
    expect(fs.readFileSync(p).equals(before)).toBe(true);
    // it is the check that catches it: without it the file opens
    await openSqliteStore({ path: p, quickCheck: false }).close();
  });

  it('integrityCheck answers { ok: false } with what SQLite found, instead of throwing', async () => {
    const p = await filledFile();
    damageMiddlePage(p);
    const store = openStore({ path: p, quickCheck: false });
    const report = await store.integrityCheck();
    expect(report.ok).toBe(false);
    expect(report.messages.length).toBeGreaterThan(0);
    expect(report.messages.join('\n')).not.toBe('ok');
  });
});

describe('files of other programs', () => {
  it('one with a user_version of its own is "another program", not "schema too new"', () => {
    const p = tempDbPath();
    const raw = new Database(p);
    raw.exec('CREATE TABLE notes (body TEXT)');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 40}`);
    raw.close();
    const err = openError(p);
    expect(err).toMatchObject({ code: 'STORE_FAILED' });
    expect((err as Error).message).toContain('another program');
  });
});

describe('migration 2 (operations, lease tickets)', () => {
  it('upgrades a version-1 file with its data: turn counts and last activity backfilled, decisions empty', async () => {
    const p = tempDbPath();
    const raw = new Database(p);
    raw.pragma('journal_mode = WAL');
    applyMigrations(raw, p, MIGRATIONS.slice(0, 1));
    raw.exec(`
      INSERT INTO sessions (id, version, lease_token) VALUES ('s1', 1, 1);
      INSERT INTO runs (id, session_id, status, lease_token, started_at, finished_at) VALUES ('r1', 's1', 'succeeded', 1, 100, 150);
      INSERT INTO turns VALUES ('s1', 1, 'user', 'hi', 'r1', 0), ('s1', 2, 'assistant', 'hello', 'r1', 1);`);
    raw.close();
    const store = openStore({ path: p });
    await store.ready;
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.listSessions()).toEqual([{ sessionId: 's1', turns: 2, lastActivityAt: 150 }]);
    expect(await store.getRun('r1')).toMatchObject({ status: 'succeeded', decisions: [] });
    await completeRun(store, 'r2', 's1', 200);
    expect((await store.listSessions())[0]).toMatchObject({ turns: 4, lastActivityAt: 201 });
  });
});

describe('another connection holding the write lock', () => {
  it('a store whose schema is current opens at once, reads, and its writes wait without freezing the process', async () => {
    const p = tempDbPath();
    await openSqliteStore({ path: p }).close();
    const lock = holdWriteLock(p);
    const timer = ticker();
    try {
      const store = openStore({ path: p });
      await store.ready;
      expect(await store.listTurns('s1')).toEqual([]);
      setTimeout(() => lock.release(), 300);
      const before = timer.ticks();
      const { lease } = await store.openRun(openArgs('r1', 's1', { lockWaitMs: 10_000 }));
      // the 5 ms timer kept ticking while the run waited for the lock (loose: shared machines are noisy)
      expect(timer.ticks() - before).toBeGreaterThan(5);
      await store.commitRun(lease, commitArgs('r1'));
      expect(await store.listTurns('s1')).toHaveLength(2);
    } finally {
      timer.stop();
      lock.release();
    }
  });

  it('a store that must migrate finishes opening in the background once the lock is gone', async () => {
    const p = databaseAtFirstSchema();
    const lock = holdWriteLock(p);
    try {
      const store = openStore({ path: p });
      expect(store.schemaVersion()).toBeUndefined();
      const listing = store.listTurns('s1'); // waits for the opening
      setTimeout(() => lock.release(), 200);
      await store.ready;
      expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(await listing).toEqual([]);
    } finally {
      lock.release();
    }
  });

  it('past openTimeoutMs the opening fails with STORE_BUSY, and so does every call', async () => {
    const p = databaseAtFirstSchema();
    const lock = holdWriteLock(p);
    try {
      const store = openSqliteStore({ path: p, openTimeoutMs: 100 });
      await expect(store.ready).rejects.toMatchObject({ code: 'STORE_BUSY', path: p });
      await expect(store.listTurns('s1')).rejects.toMatchObject({ code: 'STORE_BUSY' });
      await store.close();
    } finally {
      lock.release();
    }
  });
});

describe('lease tickets (first come, first served across processes)', () => {
  it('the ticket of a waiter whose process died holds the session only until it lapses', async () => {
    const p = tempDbPath();
    const store = openStore({ path: p });
    await store.ready;
    // what a waiter killed with SIGKILL leaves behind: a ticket nobody refreshes
    const raw = new Database(p);
    raw.prepare('INSERT INTO lease_tickets (session_id, run_id, expires_at) VALUES (?, ?, ?)').run('s1', 'dead-waiter', Date.now() + 300);
    raw.close();
    await expect(store.openRun(openArgs('r1', 's1', { lockWaitMs: 0 }))).rejects.toMatchObject({ code: 'SESSION_BUSY' });
    const { lease } = await store.openRun(openArgs('r2', 's1', { lockWaitMs: 5_000 }));
    expect(lease.runId).toBe('r2');
    const check = new Database(p, { readonly: true });
    try {
      expect(check.prepare('SELECT count(*) FROM lease_tickets').pluck().get()).toBe(0);
    } finally {
      check.close();
    }
  });
});
