import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { runWorld, type Trace } from '../harness/run-world.js';

export const DETERMINISTIC = 'deterministic: the same world gives the same calls, decisions and events';

export const replayWorlds = worldArb();

const fingerprint = (t: Trace) => ({
  calls: t.calls.map((c) => [c.provider, c.model, c.profileId, c.startedAt]),
  decisions: t.output?.decisions,
  events: t.events,
  status: t.output?.status,
  endedAt: t.endedAt,
});

export function checkDeterministic(first: Trace, second: Trace): void {
  expect(fingerprint(second)).toEqual(fingerprint(first));
}

export async function deterministic(world: World, run = runWorld): Promise<void> {
  checkDeterministic(await run(world), await run(world));
}
