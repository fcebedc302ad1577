import { resolvePolicy } from '../../src/policy/run-policy.js';
import { NO_ATTEMPTS, type OwnBlock, type RunView } from '../../src/policy/run-view.js';
import { cooldownLog, ownBlockLog, type CooldownLog, type OwnBlockLog } from '../../src/policy/cooldown-log.js';
import type { CooldownEntry } from '../../src/types.js';

type Given = Pick<RunView, 'chain' | 'now'> &
  Partial<Omit<RunView, 'cooldowns' | 'ownBlocks'>> & { cooldowns?: CooldownLog | readonly CooldownEntry[]; ownBlocks?: OwnBlockLog | readonly OwnBlock[] };

/** A policy view at `now` with default policy, no attempts, blocks or cooldowns unless given (lists of entries held as the run holds them). */
export function runView(v: Given): RunView {
  return {
    policy: resolvePolicy(undefined),
    deadlineAt: v.now + 60_000,
    attempts: NO_ATTEMPTS,
    probed: false,
    ...v,
    cooldowns: cooldownLog(v.cooldowns ?? []),
    ownBlocks: ownBlockLog(v.ownBlocks ?? []),
  };
}
