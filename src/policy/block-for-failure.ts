import type { Classification } from '../classify/types.js';
import type { CooldownEntry, CooldownKey } from '../types.js';
import { REASON_RULES } from './reason-rules.js';
import { covers, sameKey, type OwnBlock, type RunView } from './run-view.js';
import { indicesOf } from './view-index.js';
import { cooldownOf, ownBlockOf } from './cooldown-log.js';

export interface FailedCall {
  provider: string;
  model: string;
  profileId: string;
}

export interface FailureBlock {
  /** What this run stops using. */
  own: OwnBlock;
  /** What every run stops using, persisted in the store; absent for run-only blocks. */
  shared?: CooldownEntry;
  /** The wait before this same key may be called again (for a retry of the same candidate). */
  waitMs: number;
}

/** The narrowest key the failure says to leave: scope, and whether the limit belongs to the account. */
export function blockedKey(failure: Classification, call: FailedCall): CooldownKey {
  const { provider, model, profileId } = call;
  switch (failure.scope) {
    case 'provider':
      return { provider };
    case 'profile':
      return { provider, profileId };
    case 'model':
      return REASON_RULES[failure.reason].perAccount ? { provider, profileId, model } : { provider, model };
    case 'request':
      return { provider, profileId, model };
  }
}

function providerWait(failure: Classification, now: number): number | undefined {
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0) return failure.retryAfterMs;
  if (failure.resetAt !== undefined && failure.resetAt > now) return failure.resetAt - now;
  return undefined;
}

/**
 * A hung or silent provider is left for another one: each of its keys would likely cost a full
 * timeout too. The first timeout blocks the provider for this run for the backoff (a retry once
 * nothing else is left), the second for the rest of the run. `onTimeout: 'next_key'` opts out.
 */
function leavesProvider(view: RunView, failure: Classification, provider: string, until: number): OwnBlock | undefined {
  if (failure.reason !== 'timeout' || view.policy.onTimeout !== 'next_provider') return undefined;
  // view.attempts already holds this failure
  const attempts = view.attempts;
  let timeouts = 0;
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts.factsAt(i);
    if (a.outcome === 'failed' && a.reason === 'timeout' && a.provider === provider) timeouts++;
  }
  return { provider, until: timeouts >= 2 ? Infinity : until, reason: 'timeout' };
}

/** The count of the key's known cooldown (0 when there is none). */
function storedFailures(view: RunView, key: CooldownKey): number {
  const cooldowns = view.cooldowns;
  const at = indicesOf(cooldowns, key.provider);
  const n = at ? at.length : cooldowns.length;
  for (let j = 0; j < n; j++) {
    const i = at ? at[j]! : j;
    if (sameKey(cooldowns.keyAt(i), key)) return cooldowns.failuresAt(i);
  }
  return 0;
}

export function blockForFailure(view: RunView, failure: Classification, call: FailedCall): FailureBlock {
  const rule = REASON_RULES[failure.reason];
  const key = blockedKey(failure, call);
  const { policy, now } = view;
  // Consecutive failures of this key: what the store remembers (its cooldown ended or not: only a
  // success clears the count, so backoff grows across runs) or what this run saw, whichever says more.
  let inRun = 0;
  const attempts = view.attempts;
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts.factsAt(i);
    if (a.outcome === 'failed' && covers(key, a.provider, a.model, a.profileId)) inRun++;
  }
  const failures = Math.max(storedFailures(view, key) + 1, inRun);
  const growth = 2 ** Math.min(failures - 1, 30);
  const given = providerWait(failure, now);

  let waitMs: number;
  if (rule.cooldown === 'wait') {
    waitMs = given ?? Math.min(policy.cooldownMs[failure.reason], policy.backoffBaseMs * growth);
  } else if (rule.cooldown === 'long') {
    waitMs = given ?? policy.cooldownMs[failure.reason] * growth;
  } else {
    waitMs = Infinity;
  }
  waitMs = Math.min(waitMs, policy.maxCooldownMs);
  if (rule.cooldown === 'run') waitMs = Infinity;

  const until = now + waitMs;
  // A request-scoped failure is about this input, and a run-only block about this run: nothing to share.
  const shareable = rule.cooldown !== 'run' && failure.scope !== 'request' && waitMs > 0;
  const shared = shareable ? cooldownOf(key, until, failure.reason, failures) : undefined;
  // A shared block is also the run's own (same key, end and reason; its `failures` is read by no
  // own-block check): one object, not two, held to the run's end for every failed candidate.
  const own: OwnBlock = leavesProvider(view, failure, call.provider, until) ?? shared ?? ownBlockOf(key, until, failure.reason);
  return shared ? { own, shared, waitMs } : { own, waitMs };
}
