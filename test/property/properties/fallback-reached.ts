import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { firstSureCandidate, reach } from '../../oracle/reachability.js';
import { runWorld, type Trace } from '../harness/run-world.js';

export const FALLBACK_REACHED =
  'fallback is always reached: when a candidate will answer and neither an earlier cooldown nor this run’s own failures block it, the run succeeds, no later than on that candidate, with the calls the reference run needs';

// Nothing ends these runs early (no request error, no abort, a deadline no run can reach), so
// the only way to fail is to give up on a candidate that would have answered.
export const fallbackWorlds = worldArb({ stops: false, abort: false, minDeadlineMs: 40_000_000 });

export function checkFallbackReached(world: World, trace: Trace): void {
  const sure = firstSureCandidate(world)!;
  const out = trace.output!;
  expect(out.status, `${sure.provider}/${sure.model}@${sure.profileId} would have answered`).toBe('succeeded');
  if (out.status !== 'succeeded') return;
  const served = world.chain.findIndex((c) => c.provider === out.servedBy.provider && c.model === out.servedBy.model);
  expect(served).toBeLessThanOrEqual(sure.candidate);
  // Every candidate before the one that answered was tried or skipped with a reason.
  for (const c of world.chain.slice(0, served)) {
    const tried = trace.calls.some((x) => x.provider === c.provider && x.model === c.model);
    const skipped = out.decisions.some((d) => d.kind === 'skip' && d.provider === c.provider && d.model === c.model);
    expect(tried || skipped, `${c.provider}/${c.model} was passed over without a call or a skip`).toBe(true);
  }
  const oracle = reach(world);
  expect(out.servedBy).toEqual(oracle.servedBy);
  expect(trace.calls.length).toBe(oracle.calls);
}

export async function fallbackReached(world: World, run = runWorld): Promise<void> {
  fc.pre(firstSureCandidate(world) !== undefined);
  checkFallbackReached(world, await run(world));
}
