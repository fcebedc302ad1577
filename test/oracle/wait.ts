import type { Classification } from '../../src/classify/types.js';
import type { RunPolicy } from '../../src/policy/run-policy.js';
import { LONG, RUN_ONLY } from './rules.js';

/**
 * How long a failure blocks its key: the provider's Retry-After or reset time when it gives one;
 * else, for long reasons, the reason's cooldown doubled per earlier failure of the key, and for
 * transient ones the backoff `backoffBaseMs · 2^(streak−1)` capped by the reason's cooldown;
 * never more than maxCooldownMs. Reasons about this input block for the rest of the run.
 */
export function blockWaitMs(f: Classification, streak: number, now: number, policy: Readonly<RunPolicy>): number {
  if (RUN_ONLY.has(f.reason)) return Infinity;
  const given = f.retryAfterMs !== undefined && f.retryAfterMs >= 0 ? f.retryAfterMs : f.resetAt !== undefined && f.resetAt > now ? f.resetAt - now : undefined;
  const growth = 2 ** (streak - 1);
  const own = LONG.has(f.reason) ? policy.cooldownMs[f.reason] * growth : Math.min(policy.cooldownMs[f.reason], policy.backoffBaseMs * growth);
  return Math.min(given ?? own, policy.maxCooldownMs);
}

/** Whether the block is shared with other runs through the store: a timed block of more than the call itself. */
export const isShared = (f: Classification, waitMs: number): boolean => !RUN_ONLY.has(f.reason) && f.scope !== 'request' && waitMs > 0;
