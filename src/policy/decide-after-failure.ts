import type { Classification } from '../classify/types.js';
import { nextCandidate, probeTarget, usableProfile } from './availability.js';
import { REASON_RULES } from './reason-rules.js';
import { attemptsOn, blockingUntilAt, covers, type RunView } from './run-view.js';
import { indicesOf } from './view-index.js';

/** The latest end, from `until` on, of this run's blocks and the cooldowns on (model, profile). */
function blockedUntil(view: RunView, provider: string, model: string, profileId: string, until: number): number {
  const { ownBlocks, cooldowns } = view;
  // only the provider's entries (see view-index.ts): the wait for the soonest key of the chain asks
  // this of every candidate, and a scan of every entry for each made a dead chain's last failure
  // quadratic in its length
  const inBlocks = indicesOf(ownBlocks, provider);
  const nBlocks = inBlocks ? inBlocks.length : ownBlocks.length;
  for (let j = 0; j < nBlocks; j++) {
    const i = inBlocks ? inBlocks[j]! : j;
    const end = ownBlocks.untilAt(i);
    if (end > until && covers(ownBlocks.keyAt(i), provider, model, profileId)) until = end;
  }
  const inCooldowns = indicesOf(cooldowns, provider);
  const nCooldowns = inCooldowns ? inCooldowns.length : cooldowns.length;
  for (let j = 0; j < nCooldowns; j++) {
    const i = inCooldowns ? inCooldowns[j]! : j;
    const blocks = blockingUntilAt(view, cooldowns, i);
    if (blocks > until && covers(cooldowns.keyAt(i), provider, model, profileId)) until = blocks;
  }
  return until;
}

/**
 * How long until the key may be called again: the failure's own wait, or longer when another
 * block covers it (this run's, or a cooldown another run wrote during the call, re-read after it).
 */
function keyFreeIn(view: RunView, provider: string, model: string, profileId: string, waitMs: number): number {
  let until = view.now + waitMs;
  until = blockedUntil(view, provider, model, profileId, until);
  return until - view.now;
}

export type FailReason = 'request_rejected' | 'aborted' | 'deadline' | 'exhausted';

export type Plan =
  | { action: 'fail'; why: FailReason }
  /** Wait, then call (model, profile) again: the current one, or the one given, whichever frees up first. */
  | { action: 'retry'; delayMs: number; candidateIndex?: number; profileIndex?: number }
  | { action: 'rotate'; profileIndex: number }
  | { action: 'escalate' };

export interface Current {
  candidateIndex: number;
  profileIndex: number;
}

/** When (model, profile) may be called: now or the end of its last block; undefined if never in this run or its budget is spent. */
function freeAt(view: RunView, candidateIndex: number, profileIndex: number): number | undefined {
  const c = view.chain[candidateIndex]!;
  const profileId = c.profiles[profileIndex]!;
  if (attemptsOn(view, c.provider, c.model, profileId) >= view.policy.maxAttemptsPerCandidate) return undefined;
  let until = view.now;
  until = blockedUntil(view, c.provider, c.model, profileId, until);
  return Number.isFinite(until) ? until : undefined;
}

/**
 * The wait that ends first, within maxRetryWaitMs and before the deadline: the current key's
 * retry (when allowed) or another key that frees up sooner. `where` limits the others to the
 * current candidate's profiles (a wait instead of a rotation) or opens the whole chain (nothing
 * else is left); other profiles of the current candidate only when the reason may rotate.
 */
function soonestWait(view: RunView, current: Current, retryMs: number | undefined, where: 'candidate' | 'chain', mayRotate: boolean): Plan | undefined {
  let best: { at: number; candidateIndex: number; profileIndex: number } | undefined;
  if (retryMs !== undefined) best = { at: view.now + retryMs, ...current };
  view.chain.forEach((c, candidateIndex) => {
    if (where === 'candidate' && candidateIndex !== current.candidateIndex) return;
    c.profiles.forEach((_, profileIndex) => {
      const same = candidateIndex === current.candidateIndex;
      if (same && (profileIndex === current.profileIndex || !mayRotate)) return;
      const at = freeAt(view, candidateIndex, profileIndex);
      // a key usable now is a move (rotate, escalate), not a wait, while moves are tried in order
      if (at === undefined || (where === 'candidate' && at <= view.now)) return;
      if (at - view.now > view.policy.maxRetryWaitMs || at >= view.deadlineAt) return;
      if (!best || at < best.at) best = { at, candidateIndex, profileIndex };
    });
  });
  if (!best) return undefined;
  const delayMs = Math.max(0, best.at - view.now);
  return best.candidateIndex === current.candidateIndex && best.profileIndex === current.profileIndex
    ? { action: 'retry', delayMs }
    : { action: 'retry', delayMs, candidateIndex: best.candidateIndex, profileIndex: best.profileIndex };
}

/**
 * What to do after a failed call. `view` already holds the failure's attempt record and block
 * (see blockForFailure), so "usable" below means usable after this failure. `probedRecovering`:
 * the call probed a key whose cooldown (another run's) had ended; it is not retried. `walk` is
 * nextCandidate, or a caller's memo of it: the walk that finds an escalation here is the one the
 * run then makes to enter that candidate.
 */
export function decideAfterFailure(
  view: RunView,
  current: Current,
  failure: Classification,
  waitMs: number,
  probedRecovering = false,
  walk: typeof nextCandidate = nextCandidate,
): Plan {
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

  const mayRotate = rule.order.includes('rotate');
  for (const move of rule.order) {
    if (move === 'retry' && canRetry) return soonestWait(view, current, delayMs, 'candidate', mayRotate)!;
    if (move === 'rotate') {
      const profileIndex = usableProfile(view, current.candidateIndex, current.profileIndex);
      if (profileIndex !== undefined) return { action: 'rotate', profileIndex };
    }
    if (move === 'escalate' && walk(view, current.candidateIndex).pick) return { action: 'escalate' };
  }
  if (canRetry) return soonestWait(view, current, delayMs, 'candidate', mayRotate)!;
  // Nothing to move to now: wait for whichever key of the chain frees up first (an earlier
  // candidate included) before probing a cooling one or failing.
  return soonestWait(view, current, undefined, 'chain', mayRotate) ?? (probeTarget(view) ? { action: 'escalate' } : { action: 'fail', why: 'exhausted' });
}
