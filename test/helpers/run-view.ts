import { resolvePolicy } from '../../src/policy/run-policy.js';
import { NO_ATTEMPTS, type RunView } from '../../src/policy/run-view.js';

/** A policy view at `now` with default policy, no attempts, blocks or cooldowns unless given. */
export function runView(v: Pick<RunView, 'chain' | 'now'> & Partial<RunView>): RunView {
  return { policy: resolvePolicy(undefined), deadlineAt: v.now + 60_000, attempts: NO_ATTEMPTS, cooldowns: [], ownBlocks: [], probed: false, ...v };
}
