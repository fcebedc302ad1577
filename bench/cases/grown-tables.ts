import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/index.js';
import { leapingOffsets } from '../engine/clocks.js';
import { EngineRuns } from '../engine/engine-runs.js';
import { floorPlanOf } from '../engine/floor-plan-of.js';
import { openFloorDatabase } from '../floor/floor-database.js';
import { FloorRuns } from '../floor/floor-runs.js';
import { median } from '../harness/stats.js';
import type { BenchCase, Figure } from '../harness/types.js';
import { engineContender, floorContender } from './contenders.js';
import { GROWN, writeGrownDatabase, type GrownShape } from './grown-database.js';
import { ONE_FAILURE } from './scenarios.js';
import { freshSessions, openCaseStorage } from './storage.js';

/** Round-by-round ratio of one contender's rounds to another's, median. */
const paired = (a: readonly number[], b: readonly number[]) => median(a.map((x, i) => x / b[i]!));

/**
 * The one-failure run on a WAL file that already holds what a long-lived store accumulates
 * (bench/cases/grown-database.ts: 100 000 finished runs with their turns, attempts and
 * decisions, 10 000 sessions, 10 000 cooldowns of other providers and 10 000 lapsed ones),
 * against its floor on a copy of the same file; the same run and floor on an empty file are
 * timed in the same rounds. Flat means the grown figures stay at the empty ones: no statement
 * of a run scans what piles up.
 */
export function grownTablesCase(): BenchCase {
  return {
    name: 'grown-tables/wal',
    title: `one failure then the next candidate, on a WAL file holding ${GROWN.runs / 1000}k runs and ${GROWN.cooldowns / 1000}k cooldowns`,
    async prepare(o) {
      // a smoke run seeds a tenth of the runs: end to end, without ten seconds of writing
      const shape: GrownShape = o.quick ? { ...GROWN, runs: GROWN.runs / 10, sessions: GROWN.sessions / 10 } : GROWN;
      const plan = await floorPlanOf(ONE_FAILURE);
      const dir = mkdtempSync(join(tmpdir(), 'llmf-bench-grown-'));
      const enginePath = join(dir, 'engine.db');
      const floorPath = join(dir, 'floor.db');
      writeGrownDatabase(enginePath, [floorPath], plan, shape);
      const store = openSqliteStore({ path: enginePath });
      await store.ready;
      const floorDb = openFloorDatabase(floorPath);
      const empty = await openCaseStorage('wal');
      const floorOf = (db: typeof floorDb) => {
        const offsets = leapingOffsets();
        return new FloorRuns(db, plan, { now: () => Date.now() + offsets(), cacheHistory: true });
      };
      return {
        subject: engineContender('engine', new EngineRuns(store, ONE_FAILURE), freshSessions('s')),
        floor: floorContender(floorOf(floorDb), freshSessions('s')),
        others: [
          engineContender('engine, empty file', new EngineRuns(empty.store, ONE_FAILURE), freshSessions('e')),
          floorContender(floorOf(empty.floor), freshSessions('e'), freshSessions('e'), 'floor, empty file'),
        ],
        figures: (r): Figure[] => [
          { id: 'vs-empty-database', label: 'vs the same run on an empty file (same rounds)', value: paired(r.subject.rounds, r.others[0]!.rounds), unit: 'x' },
          { id: 'floor-vs-empty-database', label: 'its floor vs the floor on an empty file', value: paired(r.floor.rounds, r.others[1]!.rounds), unit: 'x' },
        ],
        notes: [
          `seeded with the store's statements: ${shape.runs} runs (1 in ${shape.deadChainEvery} a failed dead chain of 32), ${shape.sessions} sessions, ${shape.cooldowns} cooldowns in force of other providers, ${shape.expiredCooldowns} lapsed (deleted by the first run's cleanup)`,
        ],
        close: async () => {
          await store.close();
          floorDb.close();
          await empty.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}
