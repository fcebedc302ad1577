import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/index.js';
import type { AttemptRecord } from '../../src/types.js';
import { spawnWorker } from '../store/workers/spawn-worker.js';
import { runBinary } from './run-binary.js';

export const DAY = 86_400_000;

function attempt(n: number, startedAt: number, outcome: AttemptRecord['outcome']): AttemptRecord {
  return {
    n,
    provider: 'openai',
    model: 'gpt-5.5',
    profileId: 'openai:main',
    outcome,
    ...(outcome === 'failed' ? { reason: 'overloaded' as const, scope: 'provider' as const, status: 529, message: 'Overloaded' } : {}),
    startedAt,
    durationMs: 5,
  };
}

/** What the seeded store holds besides the demo's session: the runs prune must and must not delete. */
export const SEEDED = {
  /** Finished 30 days ago: prune --before 7d deletes them (2 runs, 3 attempts, 1 orphan). */
  old: { runs: ['old-ok', 'old-failed'], orphans: ['old-orphan'], attempts: 1 + 2 + 1 },
  /** Finished an hour ago, or still running: prune --before 7d keeps them. */
  kept: ['recent-failed', 'crashed-run'],
} as const;

/**
 * A store the way a gateway leaves one: the demo's two runs over HTTP (session chat-42, a quota
 * cooldown on openai-codex) written by the binary; runs of session ops-1 written through the
 * store API with old timestamps (finished, failed, orphaned); and on ops-2 the run of a process
 * killed while it held the session.
 */
export async function seedStore(dir: string): Promise<string> {
  const path = join(dir, 'store.db');
  const demo = await runBinary(['demo', '--db', path]);
  if (demo.code !== 0) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
  const store = openSqliteStore({ path });
  const now = Date.now();
  const old = now - 30 * DAY;
  const open = (runId: string, sessionId: string, at: number) =>
    store.openRun({ runId, sessionId, now: at, leaseTtlMs: 30_000, lockWaitMs: 0, providers: ['openai'] });
  try {
    let { lease } = await open('old-ok', 'ops-1', old);
    await store.commitRun(lease, {
      runId: 'old-ok',
      messages: [{ role: 'user', content: 'old question' }],
      reply: { role: 'assistant', content: 'old answer' },
      servedBy: { provider: 'openai', model: 'gpt-5.5', profileId: 'openai:main' },
      attempts: [attempt(1, old, 'succeeded')],
      now: old + 10,
    });
    ({ lease } = await open('old-failed', 'ops-1', old + 100));
    await store.failRun(lease, {
      runId: 'old-failed',
      sessionId: 'ops-1',
      status: 'failed',
      errorCode: 'FALLBACK_EXHAUSTED',
      errorMessage: 'every candidate failed',
      attempts: [attempt(1, old + 100, 'failed'), attempt(2, old + 110, 'failed')],
      now: old + 120,
    });
    ({ lease } = await open('old-orphan', 'ops-1', old + 200));
    await store.failRun(lease, {
      runId: 'old-orphan',
      sessionId: 'ops-1',
      status: 'failed',
      errorCode: 'LEASE_LOST',
      errorMessage: 'the lease was lost',
      attempts: [attempt(1, old + 200, 'succeeded')],
      uncommitted: {
        messages: [{ role: 'user', content: 'lost question' }],
        reply: { role: 'assistant', content: 'kept answer' },
        servedBy: { provider: 'openai', model: 'gpt-5.5', profileId: 'openai:main' },
      },
      now: old + 220,
    });
    ({ lease } = await open('recent-failed', 'ops-1', now - 3_600_000));
    await store.failRun(lease, {
      runId: 'recent-failed',
      sessionId: 'ops-1',
      status: 'failed',
      errorCode: 'FALLBACK_EXHAUSTED',
      errorMessage: 'every candidate failed',
      attempts: [attempt(1, now - 3_600_000, 'failed')],
      now: now - 3_599_000,
    });
  } finally {
    await store.close();
  }
  // a gateway killed in the middle of a run: the run stays `running`, holding an expired lease
  const worker = spawnWorker('store-hang.ts', { dbPath: path, sessionId: 'ops-2', runId: 'crashed-run', leaseTtlMs: 300 });
  await worker.waitFor((l) => l.type === 'calling');
  worker.child.kill('SIGKILL');
  await worker.exited;
  // the tests show this lease as expired: wait until it is (the dead worker renewed it last)
  const check = openSqliteStore({ path });
  const expiresAt = (await check.getSession('ops-2'))?.session.leaseExpiresAt ?? 0;
  await check.close();
  await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 1)));
  return path;
}

/** A temporary directory, and a way to remove it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'llmf-cli-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of a store no process has open (with its WAL, if a killed process left one), for a test that changes it. */
export function copyStore(path: string, to: string): string {
  copyFileSync(path, to);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${to}-wal`);
  return to;
}
