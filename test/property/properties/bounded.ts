import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { runWorld, type Trace } from '../harness/run-world.js';
import { sumOfProfiles } from '../harness/trace-facts.js';

export const BOUNDED = 'bounded: calls ≤ Σ profiles × maxAttemptsPerCandidate, simulated time ≤ the deadline, and every run reaches a final state';

export const boundedWorlds = worldArb();

export function checkBounded(world: World, trace: Trace): void {
  expect(trace.calls.length, 'more calls than Σ profiles × maxAttemptsPerCandidate').toBeLessThanOrEqual(sumOfProfiles(world) * world.policy.maxAttemptsPerCandidate);
  expect(trace.hung, 'the actor never reached a final state').toBe(false);
  expect(trace.output).toBeDefined();
  expect(trace.endedAt, 'the run ended after its deadline').toBeLessThanOrEqual(world.policy.deadlineMs);
}

export async function bounded(world: World, run = runWorld): Promise<void> {
  checkBounded(world, await run(world));
}
