import type { Classification } from '../classify/types.js';
import { nextCandidate, probeTarget, usableProfile } from './availability.js';
import { REASON_RULES } from './reason-rules.js';
import { attemptsOn, blockingUntil, covers, type RunView } from './run-view.js';

/**
 * How long until the key may be called again: the failure's own wait, or longer when another
 * block covers it (this run's, or a cooldown another run wrote during the call, re-read after it).
 */
function keyFreeIn(view: RunView, provider: string, model: string, profileId: string, waitMs: number): number {
  let until = view.now + waitMs;
  for (const b of view.ownBlocks) if (b.until > until && covers(b, provider, model, profileId)) until = b.until;
  for (const e of view.cooldowns) {
    const blocks = blockingUntil(view, e);
    if (blocks > until && covers(e, provider, model, profileId)) until = blocks;
  }
  return until - view.now;
}

export type FailReason = 'request_rejected' | 'aborted' | 'deadline' | 'exhausted';

export type Plan =
  | { action: 'fail'; why: FailReason }
  | { action: 'retry'; delayMs: number }
  | { action: 'rotate'; profileIndex: number }
  | { action: 'escalate' };

export interface Current {
  candidateIndex: number;
  profileIndex: number;
}

/**
 * What to do after a failed call. `view` already holds the failure's attempt record and block
 * (see blockForFailure), so "usable" below means usable after this failure. `probedRecovering`:
 * the call probed a key whose cooldown (another run's) had ended; it is not retried.
 */
export function decideAfterFailure(view: RunView, current: Current, failure: Classification, waitMs: number, probedRecovering = false): Plan {
  const rule = REASON_RULES[failure.reason];
  if (failure.reason === 'aborted') return { action: 'fail', why: 'aborted' };
  // Only evidence that the request fails everywhere ends the run: a request-scoped verdict.
  if ((rule.terminal && failure.scope === 'request') || (failure.scope === 'request' && !failure.retryable)) return { action: 'fail', why: 'request_rejected' };
  if (failure.reason === 'content_policy' && view.policy.onContentPolicy === 'fail') return { action: 'fail', why: 'request_rejected' };
  if (failure.reason === 'interrupted' && view.policy.onInterrupted === 'fail') return { action: 'fail', why: 'request_rejected' };
  if (view.now >= view.deadlineAt) return { action: 'fail', why: 'deadline' };

  const candidate = view.chain[current.candidateIndex]!;
  const profileId = candidate.profiles[current.profileIndex]!;
  const delayMs = keyFreeIn(view, candidate.provider, candidate.model, profileId, waitMs);
  const canRetry =
    !probedRecovering &&
    rule.retry &&
    failure.retryable &&
    attemptsOn(view, candidate.provider, candidate.model, profileId) < view.policy.maxAttemptsPerCandidate &&
    delayMs <= view.policy.maxRetryWaitMs &&
    view.now + delayMs < view.deadlineAt;

  for (const move of rule.order) {
    if (move === 'retry' && canRetry) return { action: 'retry', delayMs };
    if (move === 'rotate') {
      const profileIndex = usableProfile(view, current.candidateIndex, current.profileIndex);
      if (profileIndex !== undefined) return { action: 'rotate', profileIndex };
    }
    if (move === 'escalate' && nextCandidate(view, current.candidateIndex).pick) return { action: 'escalate' };
  }
  if (canRetry) return { action: 'retry', delayMs };
  return probeTarget(view) ? { action: 'escalate' } : { action: 'fail', why: 'exhausted' };
}
