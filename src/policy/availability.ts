import type { CooldownEntry } from '../types.js';
import { attemptsOn, blockingUntil, covers, sameKey, type OwnBlock, type RunView } from './run-view.js';
import { entriesOf, forgetGrouping } from './view-index.js';

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
  const cooldowns = entriesOf(view.cooldowns, c.provider);
  // indexed loops, not for-of: the lists are of several array kinds (a frozen empty one among
  // them), and for-of over them called the generic iterator, one result object per entry
  // (about 50 KB a run that skips 127 candidates)
  const blocks = entriesOf(view.ownBlocks, c.provider);
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    if (block.until > view.now && covers(block, c.provider, c.model, profileId)) {
      const entry = cooldowns.find((e) => sameKey(e, block) && e.until > view.now);
      return entry ? { kind: 'cooldown', entry, setByThisRun: true } : { kind: 'failed_in_run', block };
    }
  }
  if (attemptsOn(view, c.provider, c.model, profileId) >= view.policy.maxAttemptsPerCandidate) return { kind: 'attempt_budget' };
  let latest: CooldownEntry | undefined;
  let latestUntil = 0;
  for (let k = 0; k < cooldowns.length; k++) {
    const entry = cooldowns[k]!;
    const until = blockingUntil(view, entry);
    if (until > view.now && covers(entry, c.provider, c.model, profileId) && until > latestUntil) {
      latest = entry.until === until ? entry : { ...entry, until };
      latestUntil = until;
    }
  }
  return latest ? { kind: 'cooldown', entry: latest, setByThisRun: false } : undefined;
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
  return !view.cooldowns.some(
    (e) =>
      covers(e, provider, model, profileId) &&
      ((e.until > view.now && (e.reason === 'auth' || e.reason === 'billing')) || (e.until <= view.now && blockingUntil(view, e) > view.now)),
  );
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
