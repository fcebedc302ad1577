import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { simulate } from '../../oracle/simulate.js';
import { observed, predicted } from '../harness/compare.js';
import { runWorld, type Trace } from '../harness/run-world.js';

export const AGREES_WITH_ORACLE = 'the engine makes exactly the calls, at the times, and the decisions that the reference run predicts';

export const anyWorlds = worldArb();

export function checkAgreesWithOracle(world: World, trace: Trace): void {
  expect(trace.hung).toBe(false);
  expect(observed(trace)).toEqual(predicted(simulate(world)));
}

export async function agreesWithOracle(world: World, run = runWorld): Promise<void> {
  checkAgreesWithOracle(world, await run(world));
}
