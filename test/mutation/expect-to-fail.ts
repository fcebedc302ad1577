import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';

export interface MutationRun {
  /** Cases to try before declaring the property blind to the mutation. */
  numRuns?: number;
  seed?: number;
}

/**
 * Checks a property against a deliberately broken engine and expects it to fail: the proof
 * that the property can fail. A fixed seed keeps it reproducible; the first failure ends the
 * check (no shrinking: only the verdict matters here). FC_SEED / FC_PATH, meant for replaying a
 * property, are overridden.
 */
export async function expectToFail<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, o: MutationRun = {}): Promise<string> {
  const details = await fc.check(fc.asyncProperty(arb, predicate), {
    numRuns: o.numRuns ?? 400,
    seed: o.seed ?? 5,
    path: undefined,
    endOnFailure: true,
  });
  expect(details.failed, `the property held for ${details.numRuns} cases with the mutation in place`).toBe(true);
  if (process.env.MUTATION_DEBUG) console.log(details.numRuns, String((details.errorInstance as Error | undefined)?.message).slice(0, 600));
  return String((details.errorInstance as Error | undefined)?.message ?? '');
}

/** Runs `fn` with a switch turned on, whatever happens. */
export async function withMutant<T>(toggle: { on: boolean }, fn: () => Promise<T>): Promise<T> {
  toggle.on = true;
  try {
    return await fn();
  } finally {
    toggle.on = false;
  }
}
