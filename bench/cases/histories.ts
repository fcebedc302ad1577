import { openSqliteStore } from '../../src/index.js';
import { EngineRuns, type Scenario } from '../engine/engine-runs.js';
import { floorPlanOf } from '../engine/floor-plan-of.js';
import { FloorRuns } from '../floor/floor-runs.js';
import type { BenchOptions } from '../harness/options.js';
import { median } from '../harness/stats.js';
import type { BenchCase, Contender, Figure } from '../harness/types.js';
import { engineContender, floorContender, roundRobin } from './contenders.js';
import { weighCachedSession, type CacheWeight } from './cache-weight.js';
import { fillFloorSession, fillSession, meanTextBytes } from './history-fill.js';
import { SUCCESS } from './scenarios.js';
import { freshSessions, openCaseStorage } from './storage.js';

const SIZES = [100, 1_000, 10_000] as const;
/** Turns of the session weighed for the heap per cached turn, at least. */
const WEIGHED_TURNS = 10_000;
const label = (turns: number) => (turns >= 1000 ? `${turns / 1000}k` : String(turns));

/**
 * Sessions per case: enough that the history grows little while the case runs (each run
 * appends 2 turns to the session it uses), few enough to stay within the store's history cache.
 */
function sessionCount(turns: number, cached: boolean, o: BenchOptions): number {
  if (!cached) return turns >= 10_000 ? 8 : turns >= 1_000 ? 20 : 50;
  if (o.quick) return turns >= 10_000 ? 4 : turns >= 1_000 ? 10 : 50;
  return turns >= 10_000 ? 20 : turns >= 1_000 ? 100 : 200;
}

/** The success scenario, noting how many messages each call carried. */
function measuredScenario(): { scenario: Scenario; meanHistory: () => number } {
  let calls = 0;
  let messages = 0;
  return {
    scenario: {
      ...SUCCESS,
      answer: (req) => {
        calls++;
        messages += req.messages.length - SUCCESS.messages.length;
        return 'ok';
      },
    },
    meanHistory: () => messages / calls,
  };
}

/**
 * Heap one cached turn takes: a session of `turns` turns read into the history cache by one
 * run, over `turns` (medians of nine weighings on three stores), kept and while a run holds
 * its messages (see weighCachedSession). The store caches one session, so a run on another
 * session (which also warms the code up) has pushed the weighed one out before it is read
 * back in.
 */
async function cacheBytesPerTurn(turns: number): Promise<CacheWeight> {
  const samples: CacheWeight[] = [];
  for (let i = 0; i < 3; i++) {
    const store = openSqliteStore({ historyCacheSessions: 1 });
    const runs = new EngineRuns(store, SUCCESS);
    await fillSession(store, 'weighed', turns);
    // three weighings a store: the heap moves by some 20 B a turn from one to the next
    for (let j = 0; j < 3; j++) samples.push(await weighCachedSession(store, runs, 'weighed', turns, () => runs.one('warm-up')));
    await store.close();
  }
  return { kept: median(samples.map((s) => s.kept)), materialised: median(samples.map((s) => s.materialised)) };
}

function historyCase(turns: number, cached: boolean): BenchCase {
  const kind = cached ? 'history' : 'history-uncached';
  return {
    name: `${kind}/${label(turns)}`,
    title: cached
      ? `sessions of ${turns} turns, in the store's history cache, the first candidate answers`
      : `sessions of ${turns} turns read afresh each run (outside the history cache), the first candidate answers`,
    async prepare(o) {
      const count = sessionCount(turns, cached, o);
      const ids = Array.from({ length: count }, (_, i) => `h${i}`);
      // uncached: a cache of one session, runs going round several: every run misses, as in a
      // process cycling through more sessions than its cache holds
      const storage = await openCaseStorage('memory', cached ? {} : { historyCacheSessions: 1 });
      for (const id of ids) {
        await fillSession(storage.store, id, turns);
        fillFloorSession(storage.floor, id, turns);
      }
      const plan = await floorPlanOf(SUCCESS);
      const floor = new FloorRuns(storage.floor, plan, { now: Date.now, cacheHistory: cached });
      const measured = measuredScenario();
      const engine = new EngineRuns(storage.store, measured.scenario);
      if (cached) for (const id of ids) await engine.one(id), await floor.one(id);
      const subject = { ...engineContender('engine', engine, roundRobin(ids)), inFlightRuns: count };
      const floorC = { ...floorContender(floor, roundRobin(ids)), inFlightRuns: count };
      const others: Contender[] = [];
      let closeFresh = async () => {};
      if (cached) {
        // fresh sessions on a store of the same size, its own cache (fresh sessions would push the case's out)
        const fresh = await openCaseStorage('memory');
        for (const id of ids) await fillSession(fresh.store, id, turns);
        others.push(engineContender('fresh session (same database size)', new EngineRuns(fresh.store, SUCCESS), freshSessions('f')));
        closeFresh = fresh.close;
      }
      return {
        subject,
        floor: floorC,
        others,
        figures: async (r) => {
          const figures: Figure[] = [{ id: 'turns-seen', label: 'history turns per call, mean over the case', value: measured.meanHistory(), unit: 'turns' }];
          if (!cached) return figures;
          const fresh = r.others[0]!;
          // weighed on a long session whatever the case's length: a hundred turns would be lost in the heap's noise
          const weighed = Math.max(turns, WEIGHED_TURNS);
          const perTurn = await cacheBytesPerTurn(weighed);
          const text = meanTextBytes(weighed);
          figures.push(
            { id: 'vs-fresh-session', label: 'vs a fresh session (same rounds)', value: median(r.subject.rounds.map((s, i) => s / fresh.rounds[i]!)), unit: 'x' },
            { id: 'cache-bytes-per-turn', label: `heap per cached turn (text ${text.toFixed(0)} B; a session of ${weighed} turns)`, value: perTurn.kept, unit: 'B' },
            { id: 'cache-bytes-beyond-text', label: 'heap per cached turn beyond its text', value: perTurn.kept - text, unit: 'B' },
            { id: 'materialised-bytes-beyond-text', label: 'the same while a run holds the messages (a collectable tier)', value: perTurn.materialised - text, unit: 'B' },
          );
          return figures;
        },
        close: async () => {
          await closeFresh();
          await storage.close();
        },
      };
    },
  };
}

export function historyCases(): BenchCase[] {
  return [...SIZES.map((t) => historyCase(t, true)), ...SIZES.map((t) => historyCase(t, false))];
}
