import { collectGarbage, heapUsed } from './gc.js';
import type { Contender } from './types.js';

/** Runs parked once before weighing, so code compiled on the way is not counted against the runs. */
const WARM_UP_RUNS = 20;

/**
 * KB of heap one run holds while in flight: `count` runs parked at their last provider call at
 * once, the heap after a full collection minus the heap before them, divided by `count`.
 */
export async function kbPerInFlightRun(c: Contender, count: number): Promise<number | undefined> {
  if (!c.park) return undefined;
  await (await c.park(Math.min(WARM_UP_RUNS, count))).release();
  collectGarbage();
  const before = heapUsed();
  const parked = await c.park(count);
  collectGarbage();
  const held = heapUsed() - before;
  await parked.release();
  return held / count / 1024;
}
