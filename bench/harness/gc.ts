const collect = (globalThis as { gc?: () => void }).gc;

/** Whether the process runs with --expose-gc (npm run bench passes it). */
export const canCollect = collect !== undefined;

/** A full collection, twice: the first may only queue finalizers that free more. */
export function collectGarbage(): void {
  collect?.();
  collect?.();
}

export const heapUsed = (): number => process.memoryUsage().heapUsed;
