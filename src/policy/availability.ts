import type { CooldownEntry } from '../types.js';
import { attemptsOn, blockingUntilAt, covers, sameKey, type OwnBlock, type RunView } from './run-view.js';
import { forgetGrouping, indicesOf } from './view-index.js';

/**
 * Why a (model, profile) cannot be called now: a shared cooldown (`setByThisRun` when this run's
 * own failure set it), a failure of this run that blocks for this run only, or a spent budget.
 */
export type Blocker =
  | { kind: 'failed_in_run'; block: OwnBlock }
  | { kind: 'attempt_budget' }
  | { kind: 'cooldown'; entry: CooldownEntry; setByThisRun: boolean };

export function blockerOf(view: RunView, candidateIndex: number, profileIndex: number): Blocker | undefined {
  const c = view.chain[candidateIndex];
  const profileId = c?.profiles[profileIndex];
  if (!c || profileId === undefined) return { kind: 'attempt_budget' };
  const { cooldowns, ownBlocks: blocks, now } = view;
  // indices of the provider's entries (or undefined: every entry), not entries: the logs hold
  // parts and ends, and a plain entry is made only for the blocker found
  const inCooldowns = indicesOf(cooldowns, c.provider);
  const nCooldowns = inCooldowns ? inCooldowns.length : cooldowns.length;
  const inBlocks = indicesOf(blocks, c.provider);
  const nBlocks = inBlocks ? inBlocks.length : blocks.length;
  for (let j = 0; j < nBlocks; j++) {
    const b = inBlocks ? inBlocks[j]! : j;
    const block = blocks.keyAt(b);
    if (blocks.untilAt(b) > now && covers(block, c.provider, c.model, profileId)) {
      for (let k = 0; k < nCooldowns; k++) {
        const e = inCooldowns ? inCooldowns[k]! : k;
        if (sameKey(cooldowns.keyAt(e), block) && cooldowns.untilAt(e) > now) return { kind: 'cooldown', entry: cooldowns.entryAt(e), setByThisRun: true };
      }
      return { kind: 'failed_in_run', block: blocks.blockAt(b) };
    }
  }
  if (attemptsOn(view, c.provider, c.model, profileId) >= view.policy.maxAttemptsPerCandidate) return { kind: 'attempt_budget' };
  let latest = -1;
  let latestUntil = 0;
  for (let k = 0; k < nCooldowns; k++) {
    const e = inCooldowns ? inCooldowns[k]! : k;
    const until = blockingUntilAt(view, cooldowns, e);
    if (until > now && covers(cooldowns.keyAt(e), c.provider, c.model, profileId) && until > latestUntil) {
      latest = e;
      latestUntil = until;
    }
  }
  if (latest < 0) return undefined;
  const entry = cooldowns.entryAt(latest);
  return { kind: 'cooldown', entry: entry.until === latestUntil ? entry : { ...entry, until: latestUntil }, setByThisRun: false };
}

/** First usable profile of the candidate in the order given, skipping `except`. */
export function usableProfile(view: RunView, candidateIndex: number, except?: number): number | undefined {
  const c = view.chain[candidateIndex];
  if (!c) return undefined;
  for (let p = 0; p < c.profiles.length; p++) {
    if (p !== except && !blockerOf(view, candidateIndex, p)) return p;
  }
  return undefined;
}

/** Why a whole candidate is unusable: the first profile's blocker, and when its soonest profile frees up. */
export interface CandidateBlock {
  blocker: Blocker;
  /** Soonest time a profile's cooldown ends; undefined when blocked for the rest of the run. */
  freeAt?: number;
}

export function candidateBlock(view: RunView, candidateIndex: number): CandidateBlock | undefined {
  const c = view.chain[candidateIndex];
  if (!c) return undefined;
  let first: Blocker | undefined;
  let freeAt: number | undefined;
  for (let p = 0; p < c.profiles.length; p++) {
    const blocker = blockerOf(view, candidateIndex, p);
    if (!blocker) return undefined;
    first ??= blocker;
    const until = blocker.kind === 'cooldown' ? blocker.entry.until : blocker.kind === 'failed_in_run' ? blocker.block.until : Infinity;
    if (Number.isFinite(until) && (freeAt === undefined || until < freeAt)) freeAt = until;
  }
  if (!first) return undefined;
  return freeAt !== undefined ? { blocker: first, freeAt } : { blocker: first };
}

export interface Pick {
  candidateIndex: number;
  profileIndex: number;
}

/**
 * The next candidate after `from` with a usable profile, the candidates passed over on the way,
 * and why each was (`blocks[k]` is `candidateBlock(view, skipped[k])`, found by the same walk:
 * a skipped candidate had every profile's blocker computed already).
 */
export function nextCandidate(view: RunView, from: number): { pick?: Pick; skipped: number[]; blocks: (CandidateBlock | undefined)[] } {
  const skipped: number[] = [];
  const blocks: (CandidateBlock | undefined)[] = [];
  for (let i = from + 1; i < view.chain.length; i++) {
    const profiles = view.chain[i]!.profiles;
    let first: Blocker | undefined;
    let freeAt: number | undefined;
    let usable: number | undefined;
    for (let p = 0; p < profiles.length; p++) {
      const blocker = blockerOf(view, i, p);
      if (!blocker) {
        usable = p;
        break;
      }
      first ??= blocker;
      const until = blocker.kind === 'cooldown' ? blocker.entry.until : blocker.kind === 'failed_in_run' ? blocker.block.until : Infinity;
      if (Number.isFinite(until) && (freeAt === undefined || until < freeAt)) freeAt = until;
    }
    if (usable !== undefined) {
      forgetGrouping(view.cooldowns);
      return { pick: { candidateIndex: i, profileIndex: usable }, skipped, blocks };
    }
    skipped.push(i);
    blocks.push(!first ? undefined : freeAt !== undefined ? { blocker: first, freeAt } : { blocker: first });
  }
  forgetGrouping(view.cooldowns);
  return { skipped, blocks };
}

/**
 * Whether a cooldown may be probed before its end: not a revoked key or an unpaid account (their
 * time is set by a person, not a load spike), and not a key another run is probing right now.
 */
function probeable(view: RunView, provider: string, model: string, profileId: string): boolean {
  const cooldowns = view.cooldowns;
  for (let i = 0; i < cooldowns.length; i++) {
    const e = cooldowns.keyAt(i);
    const until = cooldowns.untilAt(i);
    if (
      covers(e, provider, model, profileId) &&
      ((until > view.now && (e.reason === 'auth' || e.reason === 'billing')) || (until <= view.now && blockingUntilAt(view, cooldowns, i) > view.now))
    )
      return false;
  }
  return true;
}

/**
 * When nothing is usable: the (model, profile) blocked only by a shared cooldown (one this run did
 * not cause, and probeable) that frees up first; chain order breaks ties. One probe per run at most.
 */
export function probeTarget(view: RunView): (Pick & { until: number }) | undefined {
  if (view.probed || view.policy.whenAllCoolingDown !== 'probe') return undefined;
  let best: (Pick & { until: number }) | undefined;
  view.chain.forEach((c, candidateIndex) => {
    c.profiles.forEach((profileId, profileIndex) => {
      const blocker = blockerOf(view, candidateIndex, profileIndex);
      if (blocker?.kind === 'cooldown' && !blocker.setByThisRun && (!best || blocker.entry.until < best.until) && probeable(view, c.provider, c.model, profileId)) {
        best = { candidateIndex, profileIndex, until: blocker.entry.until };
      }
    });
  });
  return best;
}
