type Collect = (options?: { type?: 'major' | 'minor' }) => void;
const collect = (globalThis as { gc?: Collect }).gc;

/** Whether the process runs with --expose-gc (npm run bench passes it). */
export const canCollect = collect !== undefined;

/** A full collection, twice: the first may only queue finalizers that free more. */
export function collectGarbage(): void {
  collect?.();
  collect?.();
}

/**
 * A full collection once the current job is over: a weak reference read in a job keeps its
 * target until the job ends, so a collection within it would weigh what nobody holds.
 */
export async function settledCollection(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  collectGarbage();
}

/** Empties the young generation only (about a millisecond): the next block does not pay for the last one's young garbage. */
export function collectYoung(): void {
  collect?.({ type: 'minor' });
}

export const heapUsed = (): number => process.memoryUsage().heapUsed;
