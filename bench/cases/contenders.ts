import type { EngineRuns } from '../engine/engine-runs.js';
import type { BareRuns } from '../floor/bare-runs.js';
import type { Contender } from '../harness/types.js';

/** Where a contender's next run (or batch) takes its session ids from. */
export interface SessionSource {
  next(): string;
  take(count: number): string[];
}

/** Runs go round the sessions; parked runs take the first `count` of them (one run per session at a time). */
export function roundRobin(ids: readonly string[]): SessionSource {
  let n = 0;
  return {
    next: () => ids[n++ % ids.length]!,
    take: (count) => {
      if (count > ids.length) throw new Error(`${count} runs in flight need ${count} sessions, the case has ${ids.length}`);
      return ids.slice(0, count);
    },
  };
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
