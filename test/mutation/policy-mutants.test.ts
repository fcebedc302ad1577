import { describe, it, vi } from 'vitest';
import type { Classification } from '../../src/classify/types.js';
import type { ReasonRule } from '../../src/policy/reason-rules.js';
import { REASON_RULES } from '../../src/policy/reason-rules.js';
import { agreesWithOracle, anyWorlds } from '../property/properties/agrees-with-oracle.js';
import { bounded, boundedWorlds } from '../property/properties/bounded.js';
import { fallbackReached, fallbackWorlds } from '../property/properties/fallback-reached.js';
import { noWastedProfileCall, noWastedProviderCall, profileOutWorlds, providerOutWorlds } from '../property/properties/no-wasted-call.js';
import { requestErrorsStop, requestErrorWorlds } from '../property/properties/request-errors-stop.js';
import { expectToFail, withMutant } from './expect-to-fail.js';

// Each property, run against the policy broken in the obvious way, must fail. The policy modules
// are replaced by pass-through copies whose behaviour a switch breaks; src is never edited.
const m = vi.hoisted(() => ({
  stopAtBlocked: { on: false },
  noBudget: { on: false },
  retryAccountOut: { on: false },
  providerAsModel: { on: false },
  requestGoesOn: { on: false },
}));

vi.mock('../../src/policy/availability.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/policy/availability.js')>();
  return {
    ...orig,
    // Escalation that does not skip a blocked candidate but stops at it.
    nextCandidate: (view: Parameters<typeof orig.nextCandidate>[0], from: number) => {
      const r = orig.nextCandidate(view, from);
      return m.stopAtBlocked.on && r.pick && r.skipped.length > 0 ? { skipped: r.skipped } : r;
    },
  };
});

vi.mock('../../src/policy/run-view.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/policy/run-view.js')>();
  // An attempt counter that never counts: the budget never runs out.
  return { ...orig, attemptsOn: (...args: Parameters<typeof orig.attemptsOn>) => (m.noBudget.on ? 0 : orig.attemptsOn(...args)) };
});

vi.mock('../../src/policy/decide-after-failure.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/policy/decide-after-failure.js')>();
  return {
    ...orig,
    // Retrying a quota_exhausted / billing / auth profile at once, as the incident's engine did.
    decideAfterFailure: (...args: Parameters<typeof orig.decideAfterFailure>) => {
      const failure: Classification = args[2];
      if (m.retryAccountOut.on && ['quota_exhausted', 'billing', 'auth'].includes(failure.reason)) return { action: 'retry' as const, delayMs: 0 };
      // A request-scoped verdict read as a failure of this model only: the run goes on.
      if (m.requestGoesOn.on && failure.scope === 'request' && failure.reason !== 'aborted') {
        return orig.decideAfterFailure(args[0], args[1], { ...failure, scope: 'model' }, args[3]);
      }
      return orig.decideAfterFailure(...args);
    },
  };
});

vi.mock('../../src/policy/block-for-failure.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/policy/block-for-failure.js')>();
  return {
    ...orig,
    // A provider-wide failure read as a failure of the model only: the provider's other models stay usable.
    blockForFailure: (...[view, failure, call]: Parameters<typeof orig.blockForFailure>) =>
      orig.blockForFailure(view, m.providerAsModel.on && failure.scope === 'provider' ? { ...failure, scope: 'model' } : failure, call),
  };
});

vi.mock('../../src/policy/reason-rules.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/policy/reason-rules.js')>();
  // An unfrozen copy of the table, for tests to patch (and restore).
  return { ...orig, REASON_RULES: { ...orig.REASON_RULES } };
});

async function withRule<T>(reason: keyof typeof REASON_RULES, change: Partial<ReasonRule>, fn: () => Promise<T>): Promise<T> {
  const table = REASON_RULES as Record<string, ReasonRule>;
  const before = table[reason]!;
  table[reason] = { ...before, ...change };
  try {
    return await fn();
  } finally {
    table[reason] = before;
  }
}

describe('each property fails against the policy broken in the obvious way', () => {
  it('fallback is always reached ← escalation stops at a blocked candidate instead of skipping it', () =>
    withMutant(m.stopAtBlocked, () => expectToFail(fallbackWorlds, (w) => fallbackReached(w))));

  it('bounded ← retries ignore maxAttemptsPerCandidate', () => withMutant(m.noBudget, () => expectToFail(boundedWorlds, (w) => bounded(w))));

  it('no wasted call (profile) ← a quota_exhausted / billing / auth profile is retried', () =>
    withMutant(m.retryAccountOut, () => expectToFail(profileOutWorlds, (w) => noWastedProfileCall(w))));

  it('no wasted call (provider) ← a provider-scoped failure blocks only the model that failed', () =>
    withMutant(m.providerAsModel, () => expectToFail(providerOutWorlds, (w) => noWastedProviderCall(w))));

  // Most real bad_request payloads are model-scoped (one API's own validation: the run moves on), so a
  // request-scoped one the mutant lets through is rarer in these worlds: it takes more of them to show.
  it('request errors stop ← a request-scoped verdict lets the run go on', () =>
    withMutant(m.requestGoesOn, () => expectToFail(requestErrorWorlds, (w) => requestErrorsStop(w))));

  it('the reference run ← a server error moves on before retrying (REASON_RULES patched)', () =>
    withRule('server_error', { order: ['rotate', 'escalate', 'retry'] }, () => expectToFail(anyWorlds, (w) => agreesWithOracle(w))));
});
