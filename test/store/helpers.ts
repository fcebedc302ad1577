import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openSqliteStore, type SqliteSessionStore, type SqliteStoreOptions } from '../../src/store/index.js';
import type { CommitRunArgs, Lease, OpenRunArgs } from '../../src/store/types.js';
import type { AttemptRecord, ServedBy } from '../../src/types.js';

const dirs: string[] = [];
const stores: SqliteSessionStore[] = [];

/** A fresh directory under the OS temp dir, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmf-'));
  dirs.push(dir);
  return dir;
}

export const tempDbPath = (): string => path.join(tempDir(), 'store.db');

/** Opens a store that is closed after the test. */
export function openStore(options: SqliteStoreOptions = {}): SqliteSessionStore {
  const store = openSqliteStore(options);
  stores.push(store);
  return store;
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export const served: ServedBy = { provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main' };

export function openArgs(runId: string, sessionId: string, overrides: Partial<OpenRunArgs> = {}): OpenRunArgs {
  return { runId, sessionId, now: 1_000, leaseTtlMs: 10_000, lockWaitMs: 1_000, providers: ['deepseek', 'openai-codex'], ...overrides };
}

export function attempt(n: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return { n, provider: 'deepseek', model: 'deepseek-v4-pro', profileId: 'ds-main', outcome: 'succeeded', startedAt: 1_000 + n, durationMs: 12, ...overrides };
}

export function commitArgs(runId: string, overrides: Partial<CommitRunArgs> = {}): CommitRunArgs {
  return {
    runId,
    messages: [{ role: 'user', content: `question of ${runId}` }],
    reply: { role: 'assistant', content: `answer to ${runId}` },
    servedBy: served,
    attempts: [attempt(1)],
    now: 2_000,
    ...overrides,
  };
}

/** Opens and commits one run: the common way to put history in a session. */
export async function completeRun(store: SqliteSessionStore, runId: string, sessionId: string, now = 1_000): Promise<Lease> {
  const { lease } = await store.openRun(openArgs(runId, sessionId, { now }));
  store.commitRun(lease, commitArgs(runId, { now: now + 1 }));
  return lease;
}

/** Lets queued microtasks and immediate callbacks run. */
export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
