import { describe, expect, it, vi } from 'vitest';
import { worldArb } from '../arbitraries/worlds.js';
import { bounded, boundedWorlds } from '../property/properties/bounded.js';
import { decisionsExplained, explainedWorlds } from '../property/properties/decisions-explained.js';
import { deterministic, replayWorlds } from '../property/properties/deterministic.js';
import { expectToFail, withMutant } from './expect-to-fail.js';

// The machine's steps, replaced by pass-through copies that a switch breaks (src is never edited).
const m = vi.hoisted(() => ({
  uncappedTimeout: { on: false },
  noTimeout: { on: false },
  unrecordedSkips: { on: false },
  jitter: { on: false, calls: 0 },
}));

vi.mock('../../machines/run-steps.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../machines/run-steps.js')>();
  type Ctx = Parameters<typeof orig.attemptTimeoutMs>[0];
  return {
    ...orig,
    // A call timer that ignores the run's deadline, or that never fires.
    attemptTimeoutMs: (ctx: Ctx) => (m.noTimeout.on ? Infinity : m.uncappedTimeout.on ? ctx.policy.attemptTimeoutMs : orig.attemptTimeoutMs(ctx)),
    // Candidates passed over without a skip decision (the events still go out).
    enterCandidate: (ctx: Ctx) => {
      const step = orig.enterCandidate(ctx);
      if (!m.unrecordedSkips.on || !step.patch.decisions) return step;
      const fresh = step.patch.decisions.toArray().slice(ctx.decisions.length).filter((d) => d.kind !== 'skip');
      return { ...step, patch: { ...step.patch, decisions: ctx.decisions.append(...fresh) } };
    },
    // Backoff jitter from process-wide state: the same world waits differently on a second run.
    retryDelayMs: (ctx: Ctx) => orig.retryDelayMs(ctx) + (m.jitter.on ? (m.jitter.calls++ % 3) * 7 : 0),
  };
});

describe('each property fails against the run steps broken in the obvious way', () => {
  it('bounded (deadline) ← a call timer that ignores the deadline', () =>
    withMutant(m.uncappedTimeout, () => expectToFail(boundedWorlds, (w) => bounded(w))));

  it('bounded (no hang) ← a call that never answers is never cut', async () => {
    // deadlines out of reach, so the run that does not end is what fails, not a late end
    const why = await withMutant(m.noTimeout, () => expectToFail(worldArb({ minDeadlineMs: 40_000_000 }), (w) => bounded(w)));
    expect(why).toMatch(/never reached a final state/);
  });

  it('decisions are explained ← candidates passed over without a skip decision', () =>
    withMutant(m.unrecordedSkips, () => expectToFail(explainedWorlds, (w) => decisionsExplained(w))));

  it('deterministic ← backoff jitter drawn from process-wide state', () => withMutant(m.jitter, () => expectToFail(replayWorlds, (w) => deterministic(w))));
});
