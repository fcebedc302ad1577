import type { AttemptRecord, Candidate, CooldownEntry, CooldownKey } from '../types.js';
import type { CooldownLog, OwnBlockLog } from './cooldown-log.js';
import type { RunPolicy } from './run-policy.js';
import { callsOn } from './view-index.js';

export type { OwnBlock } from './cooldown-log.js';

/** What the policy reads of one call: its key and how it ended (an attempt record has them). */
export type AttemptFacts = Readonly<Pick<AttemptRecord, 'provider' | 'model' | 'profileId' | 'outcome' | 'reason'>>;

/**
 * A run's calls as the policy reads them: how many, and each one's facts, without a record made
 * per call (the machine holds its calls as shared parts and times: machines/attempt-log.ts).
 */
export interface AttemptsRead {
  readonly length: number;
  /** The facts of call `i` (0-based), for 0 <= i < length. */
  factsAt(i: number): AttemptFacts;
}

/** No call yet (a view before the run, as `explain` makes). */
export const NO_ATTEMPTS: AttemptsRead = Object.freeze({
  length: 0,
  factsAt(i: number): AttemptFacts {
    throw new RangeError(`no call ${i}: no call was made`);
  },
});

/**
 * The part of a run's state the policy reads. The machine context is one. Its arrays are never
 * changed in place (a step makes new ones): the policy indexes each array once (view-index.ts).
 */
export interface RunView {
  /** The run (its id): a probe claim of this run does not keep it off the key. The machine context's `run`. */
  run?: { readonly runId: string };
  chain: readonly Candidate[];
  policy: Readonly<RunPolicy>;
  now: number;
  deadlineAt: number;
  attempts: AttemptsRead;
  /**
   * An agent run makes one model call per step: budgets count the calls of the current step
   * only, which start at `agent.stepStart` in `attempts`. Absent (or 0) for a run of one step.
   */
  agent?: { readonly stepStart: number };
  /**
   * Shared cooldowns as last read from the store (plus the ones this run set since); ended ones
   * too, which still count failures and may be under another run's probe. Held as a log
   * (cooldown-log.ts): `CooldownLog.of(entries)` for a list of entries.
   */
  cooldowns: CooldownLog;
  ownBlocks: OwnBlockLog;
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

/**
 * Until when a shared cooldown keeps this run off its key: its end while in force; once ended,
 * the end of another run's probe claim (that run finds out for everyone); else not at all (0).
 */
export function blockingUntil(view: Pick<RunView, 'now' | 'run'>, entry: CooldownEntry): number {
  if (entry.until > view.now) return entry.until;
  if (entry.probeUntil !== undefined && entry.probeUntil > view.now && entry.probeRunId !== view.run?.runId) return entry.probeUntil;
  return 0;
}

/** blockingUntil of the log's entry `i`, without a plain entry made for one this run set (no probe claim on it). */
export function blockingUntilAt(view: Pick<RunView, 'now' | 'run'>, cooldowns: CooldownLog, i: number): number {
  if (!cooldowns.isOwn(i)) return blockingUntil(view, cooldowns.keyAt(i) as CooldownEntry);
  const until = cooldowns.untilAt(i);
  return until > view.now ? until : 0;
}

/**
 * The ended cooldowns on (model, profile) that another run set: the key is recovering, and a
 * call of it is a probe, claimed first through the store (one run at a time) and never retried.
 */
export function recoveringCooldowns(view: RunView, provider: string, model: string, profileId: string): CooldownEntry[] {
  const out: CooldownEntry[] = [];
  const cooldowns = view.cooldowns;
  for (let i = 0; i < cooldowns.length; i++) if (isRecovering(view, i, provider, model, profileId)) out.push(cooldowns.entryAt(i));
  return out;
}

/** Whether (model, profile) has a recovering cooldown (see recoveringCooldowns), without collecting them: the guards ask every step. */
export function hasRecoveringCooldown(view: RunView, provider: string, model: string, profileId: string): boolean {
  // indexed, not for-of (see blockerOf): a guard asks this of every cooldown the run knows, every step
  const cooldowns = view.cooldowns;
  for (let i = 0; i < cooldowns.length; i++) if (isRecovering(view, i, provider, model, profileId)) return true;
  return false;
}

function isRecovering(view: RunView, i: number, provider: string, model: string, profileId: string): boolean {
  const e = view.cooldowns.keyAt(i);
  if (view.cooldowns.untilAt(i) > view.now || !covers(e, provider, model, profileId)) return false;
  const blocks = view.ownBlocks;
  for (let b = 0; b < blocks.length; b++) if (sameKey(blocks.keyAt(b), e)) return false;
  return true;
}
