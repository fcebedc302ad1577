import { heapUsed, settledCollection } from './gc.js';
import type { Contender } from './types.js';

/** Runs parked once before weighing, so code compiled on the way is not counted against the runs. */
const WARM_UP_RUNS = 20;

/**
 * KB of heap one run holds while in flight: `count` runs parked at their last provider call at
 * once, the heap after a full collection minus the heap before them, divided by `count`;
 * undefined when there is nothing to park or the weighing came out negative.
 */
export async function kbPerInFlightRun(c: Contender, count: number): Promise<number | undefined> {
  if (!c.park) return undefined;
  await (await c.park(Math.min(WARM_UP_RUNS, count))).release();
  // collected once the job is over (see settledCollection): a collection inside the job of the
  // warm-up runs kept what they had read through a WeakRef (a session's messages in the history
  // cache's collectable tier), and the parked runs' rebuild of them went unweighed
  await settledCollection();
  const before = heapUsed();
  const parked = await c.park(count);
  await settledCollection();
  const held = heapUsed() - before;
  await parked.release();
  // less heap with the runs parked than without: something else shrank meanwhile (a store cache
  // dropping sessions as the parked runs opened theirs), so this weighing says nothing
  return held < 0 ? undefined : held / count / 1024;
}
