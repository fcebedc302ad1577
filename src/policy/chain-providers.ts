import type { Candidate } from '../types.js';

/** The providers of the chains parseChain shares between runs (src/config/validate-run-options.ts). */
const sharedProviders = new WeakMap<readonly Candidate[], readonly string[]>();

/** Marks `providers` as the providers of a chain shared between runs (frozen, both). */
export function shareProviders(chain: readonly Candidate[], providers: readonly string[]): void {
  sharedProviders.set(chain, providers);
}

/**
 * The distinct providers of a chain, in chain order (whose cooldowns a run reads): for a chain
 * shared between runs, the one list made when it was parsed, not a set and a list per run
 * (and per run twice: the run's effects and its opening step both ask).
 */
export function chainProviders(chain: readonly Candidate[]): readonly string[] {
  return sharedProviders.get(chain) ?? [...new Set(chain.map((c) => c.provider))];
}
