// Shared by the worker scripts: their start, their options, a line protocol on stdout and a
// seeded random source.
import { openPostgresStore, openSqliteStore } from '../../../src/store/index.js';
import type { SessionStore } from '../../../src/store/types.js';

export type WorkerLine =
  | { type: 'run'; runId: string; sessionId: string; status: string; code?: string; message?: string; user?: string; reply?: string }
  | { type: 'progress'; committed: number }
  | { type: 'calling'; runId: string }
  | { type: 'calls'; runId: string; status: string; providers: string[] }
  | { type: 'problem'; what: string }
  | { type: 'locked' }
  | { type: 'released' }
  | { type: 'ready' }
  | { type: 'flap'; k: number; status: string; servedBy: string; attempts: { provider: string; startedAt: number; failed: boolean }[] }
  | { type: 'done' };

export function emit(line: WorkerLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Any unhandled error in a worker is a test failure: report it, then exit non-zero. */
export function failOnUnhandled(): void {
  const die = (kind: string) => (e: unknown) => {
    emit({ type: 'problem', what: `${kind}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
    process.exit(70);
  };
  process.on('uncaughtException', die('uncaughtException'));
  process.on('unhandledRejection', die('unhandledRejection'));
}

/** mulberry32: small, fast and reproducible from the seed the test prints. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `count` jobs with at most `width` in flight. */
export async function pool(count: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}

export function argJson<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('worker needs its options as a JSON argument');
  return JSON.parse(raw) as T;
}

/**
 * The start of every worker: report unhandled errors, read the options, open the shared
 * database: a SQLite file, or with a postgres:// URL (`?schema=`) a PostgreSQL store with a pool
 * of its own, as a host behind a load balancer has.
 */
export function startWorker<O extends { dbPath: string }>(): { o: O; store: SessionStore & { ready: Promise<void> } } {
  failOnUnhandled();
  const o = argJson<O>();
  const store = /^postgres(ql)?:\/\//.test(o.dbPath) ? openPostgresStore({ connectionString: o.dbPath, poolSize: 4 }) : openSqliteStore({ path: o.dbPath });
  return { o, store };
}

/** Options of engine-runs.ts and store-runs.ts: `runs` runs on `sessions` sessions, `concurrency` at a time. */
export interface RunsOptions {
  dbPath: string;
  worker: number;
  runs: number;
  sessions: number;
  seed: number;
  concurrency: number;
}

/** Options of engine-hang.ts and store-hang.ts: one run that holds the session's lease until killed. */
export interface HangOptions {
  dbPath: string;
  sessionId: string;
  runId: string;
  leaseTtlMs: number;
}

/** Options of session-queue.ts: `runs` runs of one worker on one shared session, `concurrency` at a time, started together. */
export interface QueueOptions {
  dbPath: string;
  worker: number;
  runs: number;
  concurrency: number;
  /** The workers start their runs once this file exists (so no process gets a head start). */
  goPath: string;
}
