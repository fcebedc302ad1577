import type { FailureReason } from '../classify/types.js';
import type { AttemptRecord, Candidate, CooldownEntry, CooldownKey } from '../types.js';
import type { RunPolicy } from './run-policy.js';
import { callsOn } from './view-index.js';

/** A block this run put on a key through its own failure; `until` is Infinity for run-long blocks. */
export interface OwnBlock extends CooldownKey {
  until: number;
  reason: FailureReason;
}

/**
 * The part of a run's state the policy reads. The machine context is one. Its arrays are never
 * changed in place (a step makes new ones): the policy indexes each array once (view-index.ts).
 */
export interface RunView {
  chain: readonly Candidate[];
  policy: Readonly<RunPolicy>;
  now: number;
  deadlineAt: number;
  attempts: readonly AttemptRecord[];
  /**
   * An agent run makes one model call per step: budgets count the calls of the current step
   * only, which start at `agent.stepStart` in `attempts`. Absent (or 0) for a run of one step.
   */
  agent?: { readonly stepStart: number };
  /** Shared cooldowns as last read from the store (plus the ones this run set since). */
  cooldowns: readonly CooldownEntry[];
  ownBlocks: readonly OwnBlock[];
  /** Whether this run already spent its one probe of a cooling-down candidate. */
  probed: boolean;
}

export function covers(key: CooldownKey, provider: string, model: string, profileId: string): boolean {
  return (
    key.provider === provider &&
    (key.profileId === undefined || key.profileId === profileId) &&
    (key.model === undefined || key.model === model)
  );
}

export const sameKey = (a: CooldownKey, b: CooldownKey): boolean =>
  a.provider === b.provider && a.profileId === b.profileId && a.model === b.model;

/** Calls of this step on (model, profile). */
export function attemptsOn(view: RunView, provider: string, model: string, profileId: string): number {
  return callsOn(view.attempts, view.agent?.stepStart ?? 0, provider, model, profileId);
}
