import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { runWorld, type Trace } from '../harness/run-world.js';

export const NOTHING_LOST =
  'nothing lost: after any run the session holds its prior turns unchanged, plus exactly the new message(s) and the reply when the run succeeded';

export const sessionWorlds = worldArb({ prior: true });

export function checkNothingLost(world: World, trace: Trace): void {
  const before = trace.turnsBefore;
  const after = trace.turnsAfter;
  expect(before.map((t) => [t.role, t.content])).toEqual(world.prior.map((m) => [m.role, m.content]));
  expect(after.slice(0, before.length), 'prior turns changed').toEqual(before);
  const added = after.slice(before.length);
  if (trace.output?.status !== 'succeeded') {
    expect(added, 'a failed run wrote turns').toEqual([]);
    return;
  }
  expect(added.map((t) => [t.role, t.content])).toEqual([
    ...world.messages.map((m) => [m.role, m.content]),
    ['assistant', trace.output.reply.content],
  ]);
  expect(added.map((t) => t.seq)).toEqual(added.map((_, i) => (before.at(-1)?.seq ?? 0) + i + 1));
  expect(new Set(added.map((t) => t.runId))).toEqual(new Set(['run-1']));
}

export async function nothingLost(world: World, run = runWorld): Promise<void> {
  checkNothingLost(world, await run(world));
}
