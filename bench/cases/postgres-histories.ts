import { EngineRuns } from '../engine/engine-runs.js';
import { floorPlanOf } from '../engine/floor-plan-of.js';
import { PortFloorRuns } from '../floor/port-floor-runs.js';
import type { BenchCase, Figure } from '../harness/types.js';
import { median } from '../harness/stats.js';
import { engineContender, floorContender, roundRobin } from './contenders.js';
import { weighCachedSession, type CacheWeight } from './cache-weight.js';
import { fillSession, meanTextBytes } from './history-fill.js';
import { openPostgres, URL_VARIABLE } from './postgres.js';
import { SUCCESS } from './scenarios.js';
import { freshSessions } from './storage.js';

/** Turns of the session weighed for the heap per cached turn, at least (as for history/*). */
const WEIGHED_TURNS = 10_000;
/** Turns a run of the filling commits: 8 parameters a turn, at most 65 535 per statement. */
const FILL_PER_RUN = 5_000;

/**
 * Heap one cached turn takes in the PostgreSQL store's history cache (run ids included): a
 * session of `turns` turns read in by one run, over `turns` (medians of five), kept and while
 * a run holds its messages (see weighCachedSession). The store caches one session, so a run on
 * another (non-empty) session has pushed the weighed one out before it is read back in.
 */
async function cacheBytesPerTurn(url: string, turns: number): Promise<CacheWeight> {
  const store = await openPostgres(url, 'hw', { historyCacheSessions: 1 });
  if (typeof store === 'string') return { kept: Number.NaN, materialised: Number.NaN };
  try {
    await fillSession(store, 'weighed', turns, FILL_PER_RUN);
    await fillSession(store, 'other', 2);
    const runs = new EngineRuns(store, SUCCESS);
    const samples: CacheWeight[] = [];
    for (let i = 0; i < 5; i++) samples.push(await weighCachedSession(store, runs, 'weighed', turns, () => runs.one('other')));
    return { kept: median(samples.map((s) => s.kept)), materialised: median(samples.map((s) => s.materialised)) };
  } finally {
    await store.drop();
  }
}

/**
 * Sessions of `turns` turns in the PostgreSQL store's history cache, runs going round them; the
 * floor is the bare machine over another PostgreSQL store's port with the same sessions (what the
 * engine adds over its store), and a fresh session on the case's own store is timed beside them.
 */
function postgresHistoryCase(turns: number, label: string): BenchCase {
  return {
    name: `postgres/history/${label}`,
    title: `sessions of ${turns} turns in the PostgreSQL store's history cache, the first candidate answers (floor: the bare machine over the same kind of store's port)`,
    async prepare(o) {
      const url = process.env[URL_VARIABLE];
      if (!url) return { skipped: `${URL_VARIABLE} is not set` };
      const store = await openPostgres(url, 'he');
      if (typeof store === 'string') return { skipped: store };
      const floorStore = await openPostgres(url, 'hf');
      if (typeof floorStore === 'string') return { skipped: floorStore };
      // fresh sessions on a store of the same size with its own cache (a cache bounded in
      // sessions would let fresh sessions push the case's out)
      const freshStore = await openPostgres(url, 'hs');
      if (typeof freshStore === 'string') return { skipped: freshStore };
      const count = o.quick ? 4 : 8;
      const ids = Array.from({ length: count }, (_, i) => `h${i}`);
      for (const id of ids) {
        await fillSession(store, id, turns, FILL_PER_RUN);
        await fillSession(floorStore, id, turns, FILL_PER_RUN);
        await fillSession(freshStore, id, turns, FILL_PER_RUN);
      }
      const engine = new EngineRuns(store, SUCCESS);
      const floor = new PortFloorRuns(floorStore, await floorPlanOf(SUCCESS), Date.now);
      // the first run of each session reads it into the cache (the filling runs left it cached in part)
      for (const id of ids) await engine.one(id), await floor.one(id);
      const fresh = engineContender('fresh session (same database size)', new EngineRuns(freshStore, SUCCESS), freshSessions('f'));
      return {
        subject: { ...engineContender('engine', engine, roundRobin(ids)), inFlightRuns: count, countsStatements: false },
        floor: { ...floorContender(floor, roundRobin(ids), undefined, 'floor (port)'), inFlightRuns: count, countsStatements: false },
        others: [{ ...fresh, countsStatements: false }],
        notes: ['the floor calls the store port, so the ratio is what the engine adds over its store'],
        figures: async (r) => {
          // weighed on a long session whatever the case's length: reading a thousand rows moves
          // the heap by tens of KB even with the cache off, tens of bytes a turn
          const weighed = Math.max(turns, WEIGHED_TURNS);
          const perTurn = await cacheBytesPerTurn(url, weighed);
          const text = meanTextBytes(weighed);
          const figures: Figure[] = [
            { id: 'vs-fresh-session', label: 'vs a fresh session (same rounds)', value: median(r.subject.rounds.map((s, i) => s / r.others[0]!.rounds[i]!)), unit: 'x' },
            { id: 'cache-bytes-per-turn', label: `heap per cached turn, run ids included (text ${text.toFixed(0)} B; a session of ${weighed} turns, written by runs of ${FILL_PER_RUN})`, value: perTurn.kept, unit: 'B' },
            { id: 'cache-bytes-beyond-text', label: 'heap per cached turn beyond its text', value: perTurn.kept - text, unit: 'B' },
            { id: 'materialised-bytes-beyond-text', label: 'the same while a run holds the messages (a collectable tier)', value: perTurn.materialised - text, unit: 'B' },
          ];
          return figures;
        },
        close: async () => {
          await store.drop();
          await floorStore.drop();
          await freshStore.drop();
        },
      };
    },
  };
}

export const postgresHistoryCases = (): BenchCase[] => [postgresHistoryCase(1_000, '1k'), postgresHistoryCase(10_000, '10k')];
