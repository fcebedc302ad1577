import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPromise } from 'xstate';
import { createRunActor, type SqliteSessionStore } from '../../src/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import os from 'node:os';
import { openArgs } from './helpers.js';

// A real full disk: a small tmpfs mounted for the test, filled up while runs are in flight.
// Mounting needs root; otherwise the suite is skipped with a notice.
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.log('disk-full.test.ts skipped: mounting a small tmpfs needs root');

const MOUNT_SIZE = '4m';

describe.skipIf(!isRoot)('a full disk (a 4 MB tmpfs)', () => {
  let mount: string;
  let mounted = false;

  beforeAll(() => {
    mount = fs.mkdtempSync(path.join(os.tmpdir(), 'llmf-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${MOUNT_SIZE}`, 'tmpfs', mount]);
    mounted = true;
  });

  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', mount]);
    fs.rmSync(mount, { recursive: true, force: true });
  });

  /** Writes a file until the file system refuses (ENOSPC); returns its path so it can be deleted. */
  function fillDisk(): string {
    const filler = path.join(mount, 'filler');
    const fd = fs.openSync(filler, 'w');
    const block = Buffer.alloc(16 * 1024, 7);
    try {
      for (;;) fs.writeSync(fd, block);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOSPC') throw e;
    } finally {
      fs.closeSync(fd);
    }
    return filler;
  }

  const run = (store: SqliteSessionStore, sessionId: string, content: string) => {
    const actor = createRunActor({
      sessionId,
      messages: [{ role: 'user', content: `question on ${sessionId}` }],
      chain: ['alpha/a1'],
      call: async () => ({ content }),
      store,
      policy: { lockWaitMs: 2_000 },
    });
    actor.start();
    return toPromise(actor);
  };

  it('a reply whose commit finds the disk full is handed back, the run row closed and the session released; runs commit again once there is room', async () => {
    const dbPath = path.join(mount, 'store.db');
    const store = openSqliteStore({ path: dbPath });
    try {
      // some history, then a checkpoint: the WAL keeps its size, so small writes still find room in it
      for (let i = 0; i < 20; i++) expect((await run(store, `warm${i % 3}`, 'w'.repeat(2_000))).status).toBe('succeeded');
      const raw = new Database(dbPath);
      raw.pragma('wal_checkpoint(PASSIVE)');
      raw.close();
      const filler = fillDisk();

      // a reply bigger than all the room left in the WAL: neither its commit nor an orphan row can be written
      const big = `${'the long answer '.repeat(150_000)}end`;
      expect(big.length).toBeGreaterThan(fs.statSync(`${dbPath}-wal`).size);
      const out = await run(store, 'full', big);
      expect(out.status).toBe('failed');
      if (out.status !== 'failed') return;
      expect(out.error).toMatchObject({ code: 'STORE_FAILED' });
      expect(out.error.message).toMatch(/SQLITE_FULL/);
      expect(out.error.reply?.reply.content).toBe(big);
      expect(out.error.reply?.keptIn).toBe('output');
      // the small row update went through: the run is closed and its session free
      const runs = await store.listRuns({ sessionId: 'full' });
      expect(runs).toEqual([expect.objectContaining({ status: 'failed', errorCode: 'STORE_FAILED' })]);
      await expect(store.openRun(openArgs('probe', 'full', { now: Date.now(), lockWaitMs: 0 })).then((o) => store.failRun(o.lease, { runId: 'probe', sessionId: 'full', status: 'aborted', errorCode: 'RUN_ABORTED', errorMessage: 'probe', attempts: [], now: Date.now() }))).resolves.toBeUndefined();
      expect(await store.listTurns('full')).toEqual([]);

      fs.rmSync(filler);
      const again = await run(store, 'full', 'now it fits');
      expect(again.status).toBe('succeeded');
      expect((await store.listTurns('full')).map((t) => t.content)).toEqual(['question on full', 'now it fits']);
      expect(await store.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
    } finally {
      await store.close();
    }
  });
});
