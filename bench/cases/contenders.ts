import type { EngineRuns } from '../engine/engine-runs.js';
import type { BareRuns } from '../floor/bare-runs.js';
import type { Contender } from '../harness/types.js';

/** Where a contender's next run (or batch) takes its session ids from. */
export interface SessionSource {
  next(): string;
  take(count: number): string[];
}

/** One engine run per unit, on the next session; parked runs on new ones. */
export function engineContender(label: string, runs: EngineRuns, sessions: SessionSource, fresh: SessionSource = sessions): Contender {
  return {
    label,
    unit: async () => {
      await runs.one(sessions.next());
    },
    park: (count) => runs.park(fresh.take(count)),
    countsStatements: true,
  };
}

/** One floor run per unit, on the next session; parked runs on new ones. */
export function floorContender(runs: BareRuns, sessions: SessionSource, fresh: SessionSource = sessions, label = 'floor'): Contender {
  return {
    label,
    unit: () => runs.one(sessions.next()),
    park: (count) => runs.park(fresh.take(count)),
    countsStatements: true,
  };
}
