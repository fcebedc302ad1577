import { scriptKey, type World } from '../arbitraries/world-types.js';
import { covers, keyFor, type Target } from './keys.js';
import { movesFor } from './rules.js';
import { simulate, type ReadFailure } from './simulate.js';

export interface Spot extends Target {
  candidate: number;
}

const spots = (w: World): Spot[] =>
  w.chain.flatMap((c, candidate) => w.profiles[c.provider]!.map((profileId) => ({ candidate, provider: c.provider, model: c.model, profileId })));

/** (candidate, profile)s whose first answer is a reply within the attempt timeout and that no cooldown of the world blocks at the start. */
export function goodSpots(w: World): Spot[] {
  return spots(w).filter((s) => {
    const first = w.scripts[scriptKey(s.provider, s.model, s.profileId)]![0]!;
    const timely = first.kind === 'reply' && first.delayMs < w.policy.attemptTimeoutMs;
    return timely && !w.cooldowns.some((c) => c.until > 0 && covers(c, s));
  });
}

/**
 * Whether no failure scripted anywhere in the world can block `s` during the run: no other
 * (model, profile) of its provider has a failure whose key covers it, and no other profile of its
 * model has a failure that leaves the candidate without trying another key (a host_error), and,
 * with `onTimeout: 'next_provider'`, no other (model, profile) of its provider can time out (a
 * timeout leaves the whole provider). `s` itself answers its first call.
 */
export function untouchable(w: World, s: Spot): boolean {
  return spots(w).every((o) => {
    if (o.provider !== s.provider || (o.model === s.model && o.profileId === s.profileId)) return true;
    const sameModel = o.model === s.model;
    // with onTimeout 'next_provider', a timeout anywhere on the provider (a hang, a call slower than the limit) leaves all of it
    const leavesProvider = w.policy.onTimeout === 'next_provider';
    return w.scripts[scriptKey(o.provider, o.model, o.profileId)]!.every((x) => {
      if (x.kind === 'hang' || x.delayMs >= w.policy.attemptTimeoutMs) return !leavesProvider;
      if (x.kind !== 'fail') return true;
      if (leavesProvider && x.pinned.reason === 'timeout') return false;
      return !covers(keyFor(x.pinned.scope, x.pinned.reason, o), s) && !(sameModel && !movesFor(x.pinned.reason).includes('rotate'));
    });
  });
}

/** The first candidate, in chain order, with a profile that is sure to answer once the run gets there. */
export function firstSureCandidate(w: World): Spot | undefined {
  return goodSpots(w).find((s) => untouchable(w, s));
}

/** Which candidates the policy reaches in this world, and how many calls it needs: the reference run's. */
export function reach(w: World, read?: ReadFailure): { reachable: number[]; calls: number; servedBy?: Target } {
  const e = simulate(w, read);
  const reachable = [...new Set(e.calls.map((c) => w.chain.findIndex((x) => x.provider === c.provider && x.model === c.model)))];
  return { reachable, calls: e.calls.length, ...(e.servedBy ? { servedBy: e.servedBy } : {}) };
}
