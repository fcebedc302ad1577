import { collectGarbage } from './gc.js';
import type { BenchOptions } from './options.js';
import { medianOfSliceMeans, unitsFor } from './stats.js';
import type { Contender } from './types.js';

/** A round's timed block is cut into this many slices; the round's figure is their median mean. */
const SLICES = 5;

async function timeUnits(c: Contender, units: number): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < units; i++) {
    const start = performance.now();
    await c.unit();
    durations.push(performance.now() - start);
  }
  return durations;
}

/** Warms every contender up, unit by unit in turn, and returns each one's µs per unit seen at the end of it. */
async function warmUp(contenders: readonly Contender[], warmupMs: number): Promise<number[]> {
  const last = contenders.map(() => Infinity);
  const until = performance.now() + warmupMs * contenders.length;
  for (let i = 0; i < 2 || performance.now() < until; i++) {
    for (const [k, c] of contenders.entries()) {
      const start = performance.now();
      await c.unit();
      last[k] = (performance.now() - start) * 1000;
    }
  }
  return last;
}

/**
 * Times the contenders in the same process, interleaved: each round times a block of every
 * contender in turn (the order rotating from round to round, so none is always first after a
 * collection or always last when the machine gets busier), with a full collection before each
 * block so no block pays for another's garbage. Returns each contender's µs per run, round by
 * round.
 */
export async function timeInterleaved(contenders: readonly Contender[], o: BenchOptions): Promise<number[][]> {
  const perUnit = await warmUp(contenders, o.warmupMs);
  const units = perUnit.map((us) => unitsFor(o.blockMs, us, 1, 100_000));
  const rounds: number[][] = contenders.map(() => []);
  for (let r = 0; r < o.rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const k = (i + r) % contenders.length;
      const c = contenders[k]!;
      collectGarbage();
      const durations = await timeUnits(c, units[k]!);
      rounds[k]!.push((medianOfSliceMeans(durations, SLICES) * 1000) / (c.runsPerUnit ?? 1));
    }
  }
  return rounds;
}
