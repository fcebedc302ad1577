import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/index.js';
import { runBinary } from './run-binary.js';
import { tempDir } from './seed-store.js';

// A bad --db is one line on stderr naming the problem and exit 2, and the process ends by itself
// (runBinary kills a hung one, and `killed` says so). Read commands never create a database.
const tmp = tempDir();
afterAll(() => tmp.remove());

async function expectBadStore(args: string[], problem: RegExp): Promise<void> {
  const r = await runBinary(args, { cwd: tmp.dir });
  expect(r.killed).toBe(false);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^llm-failover: /), '']);
  expect(r.stderr).toMatch(problem);
}

describe('a bad --db', () => {
  it('a missing directory: exit 2 for a read command and for the demo, which used to hang', async () => {
    const path = join(tmp.dir, 'no-such-dir', 'store.db');
    await expectBadStore(['sessions', '--db', path], /No store at .*store\.db: directory .*no-such-dir does not exist/);
    await expectBadStore(['demo', '--db', path], /Cannot create a store at .*store\.db: directory .*no-such-dir does not exist/);
    expect(existsSync(join(tmp.dir, 'no-such-dir'))).toBe(false);
  });

  it('a file that does not exist: "no store at <path>", and no file is created', async () => {
    const path = join(tmp.dir, 'absent.db');
    for (const command of [['sessions'], ['runs'], ['run', 'r'], ['session', 's'], ['health'], ['cooldowns', 'clear', '--all'], ['prune', '--before', '1d']]) {
      await expectBadStore([...command, '--db', path], /^llm-failover: No store at .*absent\.db\n$/);
    }
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('absent'))).toEqual([]);
  });

  it('the default ./llm-failover.db when there is none', async () => {
    const dir = join(tmp.dir, 'empty-cwd');
    mkdirSync(dir);
    const r = await runBinary(['sessions'], { cwd: dir });
    expect([r.code, r.killed, r.stderr]).toEqual([2, false, 'llm-failover: No store at ./llm-failover.db\n']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a directory, an empty file, a file that is not a database', async () => {
    await expectBadStore(['sessions', '--db', tmp.dir], /No store at .*: it is a directory/);
    const empty = join(tmp.dir, 'empty.db');
    writeFileSync(empty, '');
    await expectBadStore(['runs', '--db', empty], /No store at .*empty\.db: the file is empty/);
    const text = join(tmp.dir, 'notes.txt');
    writeFileSync(text, 'these are notes, not a database\n'.repeat(200));
    await expectBadStore(['health', '--db', text], /notes\.txt is corrupt or not a SQLite database/);
  });

  it("another program's SQLite database, left untouched", async () => {
    const path = join(tmp.dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)');
    other.close();
    await expectBadStore(['sessions', '--db', path], /belongs to another program/);
    const reopened = new Database(path, { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(0);
    reopened.close();
  });

  it('a store written by a newer llm-failover', async () => {
    const path = join(tmp.dir, 'newer.db');
    await openSqliteStore({ path }).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await expectBadStore(['runs', '--db', path], /has schema version 99, newer than/);
  });

  it('a malformed PostgreSQL URL: named, its password never echoed (the stores themselves: postgres.test.ts)', async () => {
    const r = await runBinary(['sessions', '--db', 'postgres://app:s3cret-pw@db.internal:notaport/gateway'], { cwd: tmp.dir });
    expect([r.code, r.killed, r.stdout]).toEqual([2, false, '']);
    expect(r.stderr).toMatch(/^llm-failover: Invalid option `--db`: is not a URL of the form postgres:\/\/user@host:port\/database\n$/);
    expect(r.stderr).not.toContain('s3cret-pw');
  });

  it('from LLM_FAILOVER_DB too', async () => {
    const r = await runBinary(['sessions'], { env: { LLM_FAILOVER_DB: join(tmp.dir, 'env-absent.db') } });
    expect([r.code, r.killed]).toEqual([2, false]);
    expect(r.stderr).toMatch(/^llm-failover: No store at .*env-absent\.db\n$/);
  });
});
