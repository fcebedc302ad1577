import type { SessionStore } from '../../src/index.js';
import { EngineRuns, type Scenario } from '../engine/engine-runs.js';
import { floorPlanOf } from '../engine/floor-plan-of.js';
import { leapingOffsets } from '../engine/clocks.js';
import type { FloorDatabase } from '../floor/floor-database.js';
import { FloorRuns } from '../floor/floor-runs.js';
import type { BenchCase, CaseResult, Contender, Figure } from '../harness/types.js';
import { engineContender, floorContender } from './contenders.js';
import { freshSessions, openCaseStorage, type Storage } from './storage.js';

export interface PersistedRunSpec {
  name: string;
  title: string;
  scenario: Scenario;
  storage: Storage;
  /**
   * Puts the same state in both databases before anything runs (cooldowns known in advance);
   * also called without a floor database on the store the floor's plan is taken from.
   */
  seed?: (store: SessionStore, floor?: FloorDatabase) => Promise<void>;
  /** References timed in the same rounds, and what to close after. */
  others?: () => Promise<{ contenders: Contender[]; close: () => Promise<void> }>;
  figures?: (r: Omit<CaseResult, 'figures' | 'notes'>) => Figure[];
  notes?: string[];
}

/** A case of persisted runs on fresh sessions: the engine over openSqliteStore against its floor. */
export function persistedRunCase(spec: PersistedRunSpec): BenchCase {
  return {
    name: spec.name,
    title: spec.title,
    async prepare() {
      const seed = spec.seed;
      const plan = await floorPlanOf(spec.scenario, seed && ((store) => seed(store)));
      const storage = await openCaseStorage(spec.storage);
      await spec.seed?.(storage.store, storage.floor);
      const offsets = leapingOffsets();
      const floor = new FloorRuns(storage.floor, plan, {
        now: spec.scenario.leap ? () => Date.now() + offsets() : Date.now,
        cacheHistory: true,
      });
      const engine = new EngineRuns(storage.store, spec.scenario);
      const others = await spec.others?.();
      return {
        subject: engineContender('engine', engine, freshSessions('s')),
        floor: floorContender(floor, freshSessions('s')),
        others: others?.contenders ?? [],
        ...(spec.figures ? { figures: spec.figures } : {}),
        ...(spec.notes ? { notes: spec.notes } : {}),
        close: async () => {
          await others?.close();
          await storage.close();
        },
      };
    },
  };
}
