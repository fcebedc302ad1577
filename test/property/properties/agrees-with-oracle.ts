import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { classifyError } from '../../../src/index.js';
import { simulate, type ReadFailure } from '../../oracle/simulate.js';
import { observed, predicted } from '../harness/compare.js';
import { runWorld, type Trace } from '../harness/run-world.js';

export const AGREES_WITH_ORACLE = 'the engine makes exactly the calls, at the times, and the decisions that the reference run predicts';

export const anyWorlds = worldArb();

export const AGREES_ON_REAL_PAYLOADS =
  'with the library’s classifier reading the payloads, the engine still makes exactly the calls and decisions the reference run predicts';

// The library's classifier reads each payload (status, headers, body) the way the engine's wiring does.
const libraryReading: ReadFailure = (o, provider, now) => classifyError({ ...o.payload, headers: { ...o.payload.headers } }, { provider, now: () => now });

export function checkAgreesWithOracle(world: World, trace: Trace): void {
  expect(trace.hung).toBe(false);
  expect(observed(trace)).toEqual(predicted(simulate(world)));
}

export async function agreesWithOracle(world: World, run = runWorld): Promise<void> {
  checkAgreesWithOracle(world, await run(world));
}

export async function agreesWithOracleOnRealPayloads(world: World, run = runWorld): Promise<void> {
  const trace = await run(world, { classify: 'library' });
  expect(trace.hung).toBe(false);
  expect(observed(trace)).toEqual(predicted(simulate(world, libraryReading)));
}
