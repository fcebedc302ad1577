// Pure statistics of the harness: tested in test/bench/stats.test.ts (values, never timings).

/** The middle value (mean of the two middle ones for an even count). Throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  // -0 and 0 sort as equals, so which one sits in the middle depends on the input's order: + 0 makes it one value
  return m + 0;
}

/** Ratio of two paired series (round by round), then the median of the ratios and their range. */
export function pairedRatio(subject: readonly number[], floor: readonly number[]): { ratio: number; low: number; high: number } {
  if (subject.length !== floor.length || subject.length === 0) throw new RangeError('paired series must have the same, non-zero length');
  const ratios = subject.map((s, i) => s / floor[i]!);
  return { ratio: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

/** Runs per second of a cost in µs per run. */
export const runsPerSecond = (usPerRun: number): number => 1e6 / usPerRun;

/** How many units fill `budgetMs` at `usPerUnit`, within [min, max]. */
export function unitsFor(budgetMs: number, usPerUnit: number, min: number, max: number): number {
  const n = Number.isFinite(usPerUnit) && usPerUnit > 0 ? Math.round((budgetMs * 1000) / usPerUnit) : max;
  return Math.max(min, Math.min(max, n));
}
