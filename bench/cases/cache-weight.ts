import type { SessionStore } from '../../src/index.js';
import { newRunId } from '../../src/run-id.js';
import type { EngineRuns } from '../engine/engine-runs.js';
import { heapUsed, settledCollection } from '../harness/gc.js';

/** The heap, and the array buffers outside it (the cache keeps its roles in a byte array). */
const weight = (): number => heapUsed() + process.memoryUsage().arrayBuffers;

/** The heap a session's turns take in a store's history cache, per turn. */
export interface CacheWeight {
  /** What the cache keeps (its compact tier): weighed after a full collection, no run holding the session's messages. */
  kept: number;
  /** The same while a run holds the session's messages (the collectable tier built): a run's view, not a cost the cache keeps. */
  materialised: number;
}

/**
 * Weighs a session of `turns` turns read into the store's history cache by a run (the store
 * caching one session, `pushOut` runs on another, which pushes it out): the heap with the
 * session cached, then while a run opened on it holds its messages, each against the heap
 * once it was pushed out again. Weighed by what leaving the cache frees rather than by what
 * entering it takes: what the first read of a long session leaves behind outside the cache
 * (compiled code, statement buffers) moved the figure by 5 to 30 bytes a turn from one store
 * to the next.
 */
export async function weighCachedSession(store: SessionStore, runs: EngineRuns, sessionId: string, turns: number, pushOut: () => Promise<unknown>): Promise<CacheWeight> {
  await pushOut();
  await runs.one(sessionId);
  await settledCollection();
  const cached = weight();
  const held = await weighHeld(store, sessionId, turns);
  await pushOut();
  await settledCollection();
  const out = weight();
  return { kept: (cached - out) / turns, materialised: (held - out) / turns };
}

/** The heap while a run opened on the session holds its messages; the run is ended before this returns (no frame keeps them). */
async function weighHeld(store: SessionStore, sessionId: string, turns: number): Promise<number> {
  const runId = newRunId();
  const opened = await store.openRun({ runId, sessionId, now: Date.now(), leaseTtlMs: 30_000, lockWaitMs: 0, providers: [] });
  await settledCollection();
  const held = weight();
  if ((opened.messages?.length ?? 0) < turns) throw new Error(`the weighed run was given ${opened.messages?.length} messages, not ${turns} or more`);
  await store.failRun(opened.lease, { runId, sessionId, status: 'aborted', errorCode: 'ABORTED', errorMessage: 'weighed', attempts: [], now: Date.now() });
  return held;
}
