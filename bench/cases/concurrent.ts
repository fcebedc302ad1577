import { EngineRuns } from '../engine/engine-runs.js';
import { floorPlanOf } from '../engine/floor-plan-of.js';
import { FloorRuns } from '../floor/floor-runs.js';
import type { BenchCase } from '../harness/types.js';
import { SUCCESS } from './scenarios.js';
import { freshSessions, openCaseStorage } from './storage.js';

/** The code is as warm after batches of a thousand runs as after batches of ten thousand. */
const WARM_UP_BATCH = 1_000;

/** `count` runs started at once, each on its own session; a unit is the whole batch, until the last run ends. */
function concurrentCase(count: number): BenchCase {
  return {
    name: `concurrent/${count / 1000}k`,
    title: `${count} runs in flight at once, each on its own session, the first candidate answers (SQLite :memory:)`,
    async prepare(o) {
      const plan = await floorPlanOf(SUCCESS);
      const storage = await openCaseStorage('memory');
      const engine = new EngineRuns(storage.store, SUCCESS);
      const floor = new FloorRuns(storage.floor, plan, { now: Date.now, cacheHistory: true });
      const es = freshSessions('c');
      const fs = freshSessions('c');
      return {
        // a unit takes up to seconds: fewer rounds
        rounds: count >= 10_000 ? (o.quick ? 1 : 5) : o.quick ? 2 : 9,
        subject: {
          label: 'engine',
          unit: () => engine.batch(es.take(count)),
          warmUp: () => engine.batch(es.take(WARM_UP_BATCH)),
          runsPerUnit: count,
          inFlightRuns: count,
          park: (k) => engine.park(es.take(k)),
        },
        floor: {
          label: 'floor',
          unit: () => floor.batch(fs.take(count)),
          warmUp: () => floor.batch(fs.take(WARM_UP_BATCH)),
          runsPerUnit: count,
          inFlightRuns: count,
          park: (k) => floor.park(fs.take(k)),
        },
        notes: ['each run is the success/memory run: its statements are counted there'],
        close: storage.close,
      };
    },
  };
}

export const concurrentCases = (): BenchCase[] => [concurrentCase(1_000), concurrentCase(10_000)];
