import { fc } from '@fast-check/vitest';
import { FAILURE_REASONS } from '../../src/classify/types.js';
import type { CooldownEntry } from '../../src/types.js';
import type { ChainWorld } from './chains.js';

/**
 * Cooldowns other runs left in the store: on a provider, a profile, a model or a model under a
 * profile of the chain, some already over at the run's start (time 0), some ending mid-run,
 * some lasting hours. Until values are integers; call ends carry a fraction, so they never tie.
 */
export function cooldownsArb({ chain, profiles }: ChainWorld): fc.Arbitrary<CooldownEntry[]> {
  const entry = fc
    .record({
      at: fc.nat({ max: chain.length - 1 }),
      withProfile: fc.boolean(),
      profilePick: fc.nat({ max: 3 }),
      withModel: fc.boolean(),
      until: fc.oneof(fc.integer({ min: -5_000, max: 0 }), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 20_000_000 })),
      reason: fc.constantFrom(...FAILURE_REASONS),
      failures: fc.integer({ min: 1, max: 5 }),
    })
    .map(({ at, withProfile, profilePick, withModel, until, reason, failures }): CooldownEntry => {
      const c = chain[at]!;
      const ids = profiles[c.provider]!;
      return {
        provider: c.provider,
        ...(withProfile ? { profileId: ids[profilePick % ids.length]! } : {}),
        ...(withModel ? { model: c.model } : {}),
        until,
        reason,
        failures,
      };
    });
  // A cooldown on exactly one (model, profile) that ends within the first calls: the run probes
  // it or comes back to it after it ends, the corners where stale views of the store show.
  const shortOnSpot = fc
    .record({ at: fc.nat({ max: chain.length - 1 }), profilePick: fc.nat({ max: 3 }), until: fc.integer({ min: 1, max: 3_000 }), reason: fc.constantFrom(...FAILURE_REASONS), failures: fc.integer({ min: 1, max: 5 }) })
    .map(({ at, profilePick, until, reason, failures }): CooldownEntry => {
      const c = chain[at]!;
      const ids = profiles[c.provider]!;
      return { provider: c.provider, profileId: ids[profilePick % ids.length]!, model: c.model, until, reason, failures };
    });
  return fc.array(fc.oneof({ weight: 3, arbitrary: entry }, { weight: 1, arbitrary: shortOnSpot }), { maxLength: 4 });
}
