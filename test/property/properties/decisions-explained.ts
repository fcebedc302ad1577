import { expect } from 'vitest';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import type { CandidateReport } from '../../../src/run-errors.js';
import { runWorld, type Trace } from '../harness/run-world.js';
import { candidateNames } from '../harness/trace-facts.js';

export const DECISIONS_EXPLAINED =
  'decisions are explained: every call and every skip has a decision with a reason, and a run that runs out of candidates lists every candidate';

export const explainedWorlds = worldArb();

const CALLING = new Set(['select', 'escalate', 'probe', 'rotate', 'retry']);

export function checkDecisionsExplained(world: World, trace: Trace): void {
  const out = trace.output!;
  const decisions = out.decisions;
  for (const d of decisions) {
    expect(d.reason, `a ${d.kind} decision without a reason`).toMatch(/\S/);
    expect(d.detail, `a ${d.kind} decision without a detail`).toMatch(/\S/);
  }
  // One decision per call, naming what was called, in call order. A retry is decided before its
  // backoff, so a run stopped during the backoff ends with one retry decision and no call.
  const callers = decisions.filter((d) => CALLING.has(d.kind)).map((d) => `${d.provider}/${d.model}@${d.profileId}`);
  const called = trace.calls.map((c) => `${c.provider}/${c.model}@${c.profileId}`);
  const stoppedInBackoff = out.status === 'failed' && decisions.at(-2)?.kind === 'retry' && callers.length === called.length + 1;
  expect(stoppedInBackoff ? callers.slice(0, -1) : callers).toEqual(called);
  // One skip decision per skipped candidate, in the order the events reported them.
  const skipEvents = trace.events.flatMap((e) => (e.type === 'candidate.skipped' ? [`${e.provider}/${e.model}`] : []));
  expect(decisions.filter((d) => d.kind === 'skip').map((d) => `${d.provider}/${d.model}`)).toEqual(skipEvents);
  // The last word: persisted, or why it failed.
  expect(decisions.at(-1)?.kind).toBe(out.status === 'succeeded' ? 'persist' : 'fail');
  if (out.status !== 'failed') return;
  const error = out.error as Error & { code?: string; candidates?: readonly CandidateReport[]; attempts?: readonly unknown[] };
  expect(error.attempts?.length, 'the error lists every recorded attempt').toBe(out.attempts.length);
  if (error.code === 'FALLBACK_EXHAUSTED' || error.code === 'DEADLINE_EXCEEDED') {
    expect(error.candidates?.map((c) => `${c.provider}/${c.model}`)).toEqual(candidateNames(world));
    for (const c of error.candidates!) expect(c.detail).toMatch(/\S/);
    for (const name of candidateNames(world)) expect(error.message).toContain(name);
  }
}

export async function decisionsExplained(world: World, run = runWorld): Promise<void> {
  checkDecisionsExplained(world, await run(world));
}
