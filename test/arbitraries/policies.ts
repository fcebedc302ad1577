import { fc } from '@fast-check/vitest';
import { FAILURE_REASONS, type FailureReason } from '../../src/classify/types.js';
import { resolvePolicy, type RunPolicy } from '../../src/policy/run-policy.js';

const HOUR = 3_600_000;
const LONG: ReadonlySet<FailureReason> = new Set(['quota_exhausted', 'billing', 'auth', 'model_not_found']);

// Each field within the range resolvePolicy accepts, weighted towards the values that change
// decisions: tiny and huge waits, timeouts shorter than calls, deadlines that bite.
const cooldownFor = (reason: FailureReason): fc.Arbitrary<number> =>
  LONG.has(reason)
    ? fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 60_000, max: 48 * HOUR }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 60_000 }) })
    : fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 120_000 }));

const cooldownsArb = fc.tuple(...FAILURE_REASONS.map(cooldownFor)).map((values) => {
  const out = {} as Record<FailureReason, number>;
  FAILURE_REASONS.forEach((r, i) => (out[r] = values[i]!));
  return out;
});

export interface PolicyOptions {
  /** Deadline at least this long (properties that must not be cut by it). */
  minDeadlineMs?: number;
}

export function policyArb(o: PolicyOptions = {}): fc.Arbitrary<Readonly<RunPolicy>> {
  const minDeadline = o.minDeadlineMs ?? 1;
  return fc
    .record({
      maxAttemptsPerCandidate: fc.integer({ min: 1, max: 4 }),
      maxRetryWaitMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5_000 }), fc.constant(10_000), fc.integer({ min: 0, max: 120_000 })),
      backoffBaseMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000 })),
      attemptTimeoutMs: fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
        { weight: 3, arbitrary: fc.constant(120_000) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 150_000 }) },
      ),
      deadlineMs: fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: minDeadline, max: Math.max(minDeadline, 20_000) }) },
        { weight: 3, arbitrary: fc.constant(Math.max(minDeadline, 600_000)) },
        { weight: 1, arbitrary: fc.integer({ min: minDeadline, max: Math.max(minDeadline, 1_000_000) }) },
      ),
      cooldownMs: cooldownsArb,
      maxCooldownMs: fc.oneof({ weight: 3, arbitrary: fc.constant(24 * HOUR) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 100 * HOUR }) }),
      whenAllCoolingDown: fc.constantFrom('probe' as const, 'probe' as const, 'fail' as const),
      onContentPolicy: fc.constantFrom('escalate' as const, 'escalate' as const, 'fail' as const),
      onInterrupted: fc.constantFrom('restart' as const, 'fail' as const),
      onTimeout: fc.constantFrom('next_provider' as const, 'next_provider' as const, 'next_key' as const),
    })
    // resolvePolicy is the gate a host goes through: a generated policy it rejects is a generator bug.
    .map((overrides) => resolvePolicy(overrides));
}
