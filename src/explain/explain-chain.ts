import { parseChain } from '../config/validate-run-options.js';
import { ConfigError } from '../errors.js';
import { resolvePolicy, type PolicyOverrides } from '../policy/run-policy.js';
import { CooldownLog, OwnBlockLog } from '../policy/cooldown-log.js';
import { NO_ATTEMPTS } from '../policy/run-view.js';
import type { RunStore } from '../store/types.js';
import { explainCandidates, type ChainExplanation } from './explain-candidates.js';

export interface ExplainChainOptions {
  /** Where the cooldowns live: any store (only `activeCooldowns` is read). */
  store: Pick<RunStore, 'activeCooldowns'>;
  /** Candidates in order of preference, `"provider/model"`, as `createRunActor` takes them. */
  chain: readonly string[];
  /** Auth profile ids per provider, as `createRunActor` takes them (providers outside the chain are ignored). */
  profiles?: Readonly<Record<string, readonly string[]>>;
  /** Store-clock time to explain for (ms). Default: `Date.now()`. */
  now?: number;
  /** The run's policy overrides; only `whenAllCoolingDown` changes the first step. */
  policy?: PolicyOverrides;
}

/**
 * What a run on `chain` starting at `now` would do first, without calling anything: which
 * candidate and profile it calls (or probes), which it skips and why, which remain as fallbacks.
 * It reads the cooldowns in force from the store and asks the engine's own policy, so hosts can
 * show it in their dashboards and the CLI's `health --chain` prints it. Bad options throw
 * `ConfigError` naming the field, as `createRunActor` does.
 *
 * @example
 * const why = await explainChain({ store, chain: ['openai/gpt-5.5', 'deepseek/deepseek-v4-pro'] });
 * why.outcome;                     // 'call' | 'probe' | 'fail'
 * why.candidates.map((c) => c.detail);
 */
export async function explainChain(options: ExplainChainOptions): Promise<ChainExplanation> {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'must be an object');
  const { store, profiles, policy: overrides } = options;
  if (typeof store?.activeCooldowns !== 'function') throw new ConfigError('store', 'must have an activeCooldowns() method');
  const chain = parseChain(options.chain, profiles);
  const policy = resolvePolicy(overrides);
  const now = options.now ?? Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new ConfigError('now', `must be a time in ms, got ${String(now)}`);
  const providers = [...new Set(chain.map((c) => c.provider))];
  const cooldowns = await store.activeCooldowns(providers, now);
  return explainCandidates({ chain, policy, now, deadlineAt: now + policy.deadlineMs, attempts: NO_ATTEMPTS, cooldowns: CooldownLog.of(cooldowns), ownBlocks: OwnBlockLog.EMPTY, probed: false });
}
