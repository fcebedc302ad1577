import { fc } from '@fast-check/vitest';
import type { ChainEntry } from './world-types.js';

export const PROVIDERS = ['openai', 'anthropic', 'deepseek', 'moonshot', 'groq'] as const;
const MODELS = ['m0', 'm1', 'm2', 'm3'] as const;

export interface ChainWorld {
  chain: ChainEntry[];
  profiles: Record<string, string[]>;
}

/** 1–8 distinct candidates over 1–5 providers, each provider with 1–4 auth profiles. */
export function chainArb(): fc.Arbitrary<ChainWorld> {
  return fc
    .integer({ min: 1, max: PROVIDERS.length })
    .chain((providerCount) =>
      fc.record({
        chain: fc.uniqueArray(
          fc.record({ provider: fc.constantFrom(...PROVIDERS.slice(0, providerCount)), model: fc.constantFrom(...MODELS) }),
          { minLength: 1, maxLength: 8, selector: (c) => `${c.provider}/${c.model}` },
        ),
        profileCounts: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: PROVIDERS.length, maxLength: PROVIDERS.length }),
      }),
    )
    .map(({ chain, profileCounts }) => {
      const profiles: Record<string, string[]> = {};
      for (const { provider } of chain) {
        const n = profileCounts[PROVIDERS.indexOf(provider as (typeof PROVIDERS)[number])]!;
        profiles[provider] ??= Array.from({ length: n }, (_, i) => `${provider}:k${i}`);
      }
      return { chain, profiles };
    });
}
