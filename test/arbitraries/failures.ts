import { fc } from '@fast-check/vitest';
import { FAILURE_REASONS, FAILURE_SCOPES, type FailureReason, type FailureScope } from '../../src/classify/types.js';
import { payloadsFor } from './payloads.js';
import type { Outcome, Payload, Pinned } from './world-types.js';

// The classifier's view of each reason: retryable or not, and the scope it usually comes with.
const TRANSIENT: ReadonlySet<FailureReason> = new Set(['rate_limit', 'overloaded', 'server_error', 'timeout', 'network', 'unknown']);
const USUAL_SCOPE: Record<FailureReason, FailureScope> = {
  rate_limit: 'profile',
  quota_exhausted: 'profile',
  billing: 'profile',
  auth: 'profile',
  overloaded: 'provider',
  server_error: 'model',
  timeout: 'request',
  network: 'provider',
  context_overflow: 'model',
  content_policy: 'model',
  model_not_found: 'model',
  bad_request: 'request',
  aborted: 'request',
  interrupted: 'model',
  host_error: 'model',
  unknown: 'model',
};
const HAS_RESET: ReadonlySet<FailureReason> = new Set(['rate_limit', 'quota_exhausted', 'billing']);

/** Reasons that end a run at once whatever the policy: used to build worlds without them. */
export const STOPPING_REASONS: ReadonlySet<FailureReason> = new Set(['bad_request', 'aborted']);

const retryAfterSeconds = fc.constantFrom(0, 1, 2, 3, 5, 11, 23, 30, 60, 120, 864, 3600);

function withRetryAfter(payload: Payload, seconds: number | undefined): Payload {
  if (seconds === undefined) return payload;
  return { ...payload, headers: { ...payload.headers, 'retry-after': String(seconds) } };
}

/**
 * A failure of any reason and any scope, built on a real payload of that reason: the scope is
 * the fixture's label (or the reason's usual one) most of the time and any scope otherwise,
 * `retryable` follows the reason but is sometimes flipped (a host classifier may say anything),
 * and Retry-After comes from the payload's header, or is added, or is absent.
 */
export function failureArb(
  reasons: readonly FailureReason[] = FAILURE_REASONS,
  stops = true,
): fc.Arbitrary<{ payload: Payload; pinned: Pinned; fixtureId?: string }> {
  // Request errors end a run at the first call: rarer, so that most runs get deep enough to matter.
  const reasonArb = fc.oneof(...reasons.map((r) => ({ weight: STOPPING_REASONS.has(r) ? 1 : 3, arbitrary: fc.constant(r) })));
  return reasonArb.chain((reason) => {
    const shapes = payloadsFor(reason);
    return fc.record({
      shape: fc.constantFrom(...shapes),
      anyScope: fc.constantFrom(...FAILURE_SCOPES),
      scopeRoll: fc.integer({ min: 0, max: 9 }),
      flipRetryable: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      addedRetryAfter: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: retryAfterSeconds }),
      resetInMs: HAS_RESET.has(reason)
        ? fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 * 3_600_000 }) })
        : fc.constant(null),
    }).map(({ shape, anyScope, scopeRoll, flipRetryable, addedRetryAfter, resetInMs }) => {
      const labelled = shape.scope ?? USUAL_SCOPE[reason];
      const scope = scopeRoll < 7 ? labelled : anyScope;
      const given = shape.headers['retry-after'];
      const seconds = given !== undefined && /^\d+$/.test(given) ? Number(given) : (addedRetryAfter ?? undefined);
      const payload = withRetryAfter({ status: shape.status, headers: shape.headers, body: shape.body }, seconds);
      const pinned: Pinned = {
        reason,
        scope,
        // without stops, a request-scoped failure is the retryable kind (a non-retryable one ends the run)
        retryable: (TRANSIENT.has(reason) !== flipRetryable) || (!stops && scope === 'request'),
        ...(seconds !== undefined ? { retryAfterMs: seconds * 1000 } : {}),
        ...(resetInMs !== null ? { resetInMs } : {}),
      };
      return { payload, pinned, ...(shape.id !== undefined ? { fixtureId: shape.id } : {}) };
    });
  });
}

// Call durations: mostly quick, sometimes slow enough to meet the attempt timeout or deadline.
// The 1/1024 fraction keeps call ends off the integer ticks where timers fire.
const delayArb = fc
  .oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 50 }) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 3_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 200_000 }) })
  .map((ms) => ms + 1 / 1024);

export interface OutcomeOptions {
  reasons?: readonly FailureReason[];
  /** Whether failures may stop the run by themselves (request errors); default true. */
  stops?: boolean;
  /** Relative weight of replies (failures weigh 12, hangs 1 when allowed). */
  replyWeight?: number;
  hangs?: boolean;
}

export function outcomeArb(o: OutcomeOptions = {}): fc.Arbitrary<Outcome> {
  const reply = delayArb.map((delayMs): Outcome => ({ kind: 'reply', delayMs }));
  const fail = fc.tuple(delayArb, failureArb(o.reasons, o.stops ?? true)).map(([delayMs, f]): Outcome => ({ kind: 'fail', delayMs, ...f }));
  const hang = fc.constant<Outcome>({ kind: 'hang' });
  const choices = [
    { weight: o.replyWeight ?? 6, arbitrary: reply },
    { weight: 12, arbitrary: fail },
    ...(o.hangs === false ? [] : [{ weight: 1, arbitrary: hang }]),
  ];
  return fc.oneof(...choices);
}
