import { newRunId } from '../../src/run-id.js';
import { createLeaseTaker } from '../../src/store/lease.js';
import { HistoryCache } from '../../src/store/history-cache.js';
import { createRunEndings } from '../../src/store/run-endings.js';
import type { CommitRunArgs, Decision, OpenRunArgs } from '../../src/index.js';
import { EngineRuns } from '../engine/engine-runs.js';
import { floorPlanOf } from '../engine/floor-plan-of.js';
import type { BenchCase } from '../harness/types.js';
import { median } from '../harness/stats.js';
import { engineContender } from './contenders.js';
import { SUCCESS } from './scenarios.js';
import { freshSessions, openCaseStorage } from './storage.js';

/** The store's default history cache bound (src/store/options.ts). */
const HISTORY_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * What the asynchronous store port costs: a run's store work (take the lease, commit) through
 * the port (`await store.openRun`, `await store.commitRun`), against the same work of the same
 * store code called synchronously (its lease taker and run endings on a database opened the
 * same way), and a whole persisted run timed in the same rounds to express the difference as a
 * share of a run.
 */
export function asyncBoundaryCase(): BenchCase {
  return {
    name: 'async-boundary',
    title: "a run's store work through the async port vs the same SQLite work called synchronously",
    async prepare() {
      const plan = await floorPlanOf(SUCCESS);
      const storage = await openCaseStorage('memory');
      const { db, s, cooldowns } = storage.floor;
      const history = new HistoryCache({ maxBytes: HISTORY_CACHE_BYTES, maxSessions: Number.MAX_SAFE_INTEGER });
      const taker = createLeaseTaker(db, s, cooldowns, history, Date.now);
      const endings = createRunEndings(db, s, history, () => undefined);
      const decisions = [...plan.decisions];
      const openArgs = (sessionId: string): OpenRunArgs => ({
        runId: newRunId(),
        sessionId,
        now: Date.now(),
        leaseTtlMs: 30_000,
        lockWaitMs: 30_000,
        providers: plan.providers,
      });
      const commitArgs = (runId: string): CommitRunArgs => ({
        runId,
        messages: plan.messages,
        reply: plan.reply,
        servedBy: plan.servedBy!,
        attempts: plan.attempts,
        decisions,
        now: Date.now(),
        maxWaitMs: 30_000,
      });
      const portSessions = freshSessions('p');
      const syncSessions = freshSessions('p');
      const run = await openCaseStorage('memory');
      return {
        subject: {
          label: 'store port (async)',
          unit: async () => {
            const a = openArgs(portSessions.next());
            const { lease } = await storage.store.openRun(a);
            await storage.store.commitRun(lease, commitArgs(a.runId));
          },
          countsStatements: true,
        },
        floor: {
          label: 'same work, synchronous',
          unit: async () => {
            const a = openArgs(syncSessions.next());
            const taken = taker.take(a, a.now, undefined, true);
            if (!taken.acquired) throw new Error('the synchronous lease was not granted');
            endings.commitRun(taken.opened.lease, commitArgs(a.runId));
          },
          countsStatements: true,
        },
        others: [engineContender('persisted run (engine, :memory:)', new EngineRuns(run.store, SUCCESS), freshSessions('r'))],
        figures: (r) => {
          const runRounds = r.others[0]!.rounds;
          const share = median(r.subject.rounds.map((port, i) => ((port - r.floor.rounds[i]!) / runRounds[i]!) * 100));
          return [
            { id: 'port-cost', label: 'the port adds per run', value: r.subject.usPerRun - r.floor.usPerRun, unit: 'µs' },
            { id: 'port-share-of-run', label: 'the port adds to a persisted run (same rounds)', value: share, unit: '%' },
          ];
        },
        close: async () => {
          await run.close();
          await storage.close();
        },
      };
    },
  };
}
