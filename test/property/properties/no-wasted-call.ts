import { expect } from 'vitest';
import type { FailureReason } from '../../../src/classify/types.js';
import { worldArb } from '../../arbitraries/worlds.js';
import type { World } from '../../arbitraries/world-types.js';
import { runWorld, type Trace } from '../harness/run-world.js';
import { deliveredFailures, type DeliveredFailure } from '../harness/trace-facts.js';

export const NO_WASTED_CALL_PROFILE =
  'no wasted call: after a quota_exhausted, billing or auth failure with scope profile, no call of the run uses that profile while its cooldown lasts';
export const NO_WASTED_CALL_PROVIDER =
  'no wasted call: after a provider-scoped failure, no call of the run goes to that provider while the block lasts, and a run probes at most once';

const ACCOUNT_OUT: ReadonlySet<FailureReason> = new Set(['quota_exhausted', 'billing', 'auth']);
const LONG: ReadonlySet<FailureReason> = new Set(['quota_exhausted', 'billing', 'auth', 'model_not_found']);
const RUN_ONLY: ReadonlySet<FailureReason> = new Set(['context_overflow', 'content_policy', 'interrupted', 'host_error', 'bad_request', 'aborted']);

// Worlds where these failures are common and there are other models of the same provider to waste calls on.
export const profileOutWorlds = worldArb({ reasons: ['quota_exhausted', 'billing', 'auth', 'rate_limit', 'server_error', 'overloaded'] });
export const providerOutWorlds = worldArb({ reasons: ['overloaded', 'network', 'server_error', 'timeout', 'quota_exhausted', 'content_policy', 'unknown'] });

/**
 * The shortest the spec lets a failure block its key: the provider's Retry-After or reset time,
 * else the reason's cooldown (long reasons) or the first backoff step (transient reasons), never
 * more than maxCooldownMs; reasons about this input block for the whole run. Later repeats only
 * grow it, so a call inside this bound is a call into a live block.
 */
export function shortestBlockMs(world: World, f: DeliveredFailure): number {
  const { reason, retryAfterMs, resetInMs } = f.pinned;
  if (RUN_ONLY.has(reason)) return Infinity;
  const given = retryAfterMs ?? resetInMs;
  const p = world.policy;
  const own = LONG.has(reason) ? p.cooldownMs[reason] : Math.min(p.cooldownMs[reason], p.backoffBaseMs);
  return Math.min(given ?? own, p.maxCooldownMs);
}

function callsDuring(trace: Trace, f: DeliveredFailure, world: World, same: (c: Trace['calls'][number]) => boolean) {
  const until = f.at + shortestBlockMs(world, f);
  return trace.calls.slice(f.index + 1).filter((c) => same(c) && c.startedAt < until);
}

export function checkNoWastedProfileCall(world: World, trace: Trace): void {
  for (const f of deliveredFailures(trace.calls)) {
    if (!ACCOUNT_OUT.has(f.pinned.reason) || f.pinned.scope !== 'profile') continue;
    const wasted = callsDuring(trace, f, world, (c) => c.provider === f.call.provider && c.profileId === f.call.profileId);
    expect(wasted.map((c) => `${c.provider}/${c.model}@${c.profileId} at ${c.startedAt}`), `after ${f.pinned.reason} on ${f.call.profileId} at ${f.at}`).toEqual([]);
  }
}

export function checkNoWastedProviderCall(world: World, trace: Trace): void {
  for (const f of deliveredFailures(trace.calls)) {
    if (f.pinned.scope !== 'provider') continue;
    const wasted = callsDuring(trace, f, world, (c) => c.provider === f.call.provider);
    expect(wasted.map((c) => `${c.provider}/${c.model}@${c.profileId} at ${c.startedAt}`), `after ${f.pinned.reason} on ${f.call.provider} at ${f.at}`).toEqual([]);
  }
  const probes = trace.events.filter((e) => e.type === 'attempt.started' && e.probe);
  expect(probes.length).toBeLessThanOrEqual(1);
}

export async function noWastedProfileCall(world: World, run = runWorld): Promise<void> {
  checkNoWastedProfileCall(world, await run(world));
}

export async function noWastedProviderCall(world: World, run = runWorld): Promise<void> {
  checkNoWastedProviderCall(world, await run(world));
}
