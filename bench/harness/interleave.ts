import { collectGarbage, collectYoung } from './gc.js';
import type { BenchOptions } from './options.js';
import { unitsFor } from './stats.js';
import type { Contender } from './types.js';

const wallMicros = (): number => performance.now() * 1000;
/** CPU time of the whole process (every thread: the collector's helpers count too), in µs. */
const cpuMicros = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Warms every contender up, unit by unit in turn, and returns each one's µs per unit seen at the end of it. */
async function warmUp(contenders: readonly Contender[], warmupMs: number): Promise<number[]> {
  const last = contenders.map(() => Infinity);
  const until = performance.now() + warmupMs * contenders.length;
  for (let i = 0; i < 2 || performance.now() < until; i++) {
    for (const [k, c] of contenders.entries()) {
      const start = performance.now();
      await (c.warmUp ?? c.unit)();
      last[k] = (performance.now() - start) * 1000;
    }
  }
  return last;
}

/**
 * Times the contenders in the same process, interleaved: each round times one block of every
 * contender in turn, the order rotating from round to round (so none is always the first or
 * always the last when the machine gets busier). A block's figure is its wall time over its
 * runs, every collection it triggers included; the young generation is emptied before each
 * block, so no block pays for another's young garbage. With `cpuTime`, blocks are timed in
 * CPU time of the process instead of wall time: on a machine shared with other work, the time
 * the process waits for a core is not counted against either contender. Returns each contender's µs per run,
 * round by round (the harness takes the median over rounds, and ratios round by round).
 */
export async function timeInterleaved(contenders: readonly Contender[], o: BenchOptions): Promise<number[][]> {
  const now = o.cpuTime ? cpuMicros : wallMicros;
  const perUnit = await warmUp(contenders, o.warmupMs);
  const units = perUnit.map((us, k) => (contenders[k]!.warmUp ? 1 : unitsFor(o.blockMs, us, 1, 100_000)));
  const rounds: number[][] = contenders.map(() => []);
  collectGarbage();
  for (let r = 0; r < o.rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const k = (i + r) % contenders.length;
      const c = contenders[k]!;
      const n = units[k]!;
      collectYoung();
      const start = now();
      for (let u = 0; u < n; u++) await c.unit();
      rounds[k]!.push((now() - start) / (n * (c.runsPerUnit ?? 1)));
    }
  }
  return rounds;
}
