import type { AttemptRecord, CooldownKey } from '../types.js';

// A decision asks "what blocks this (model, profile)?" for many candidates. Scanning every
// cooldown and block for each made a long chain cost chain × cooldowns per decision; grouped by
// provider, a candidate only looks at its own provider's entries. The arrays of a run's view are
// never changed in place (each step makes new ones), so a grouping is built once per array and
// shared by every question asked of it.

const byProviderOf = new WeakMap<readonly CooldownKey[], Map<string, CooldownKey[]>>();
const EMPTY: readonly never[] = Object.freeze([]);

/** The entries of `entries` (cooldowns or own blocks) whose key names `provider`, in their order. */
export function entriesOf<T extends CooldownKey>(entries: readonly T[], provider: string): readonly T[] {
  // a short list is cheaper to scan than to group
  if (entries.length <= 4) return entries;
  let groups = byProviderOf.get(entries);
  if (!groups) {
    groups = new Map();
    for (const e of entries) {
      const group = groups.get(e.provider);
      if (group) group.push(e);
      else groups.set(e.provider, [e]);
    }
    byProviderOf.set(entries, groups);
  }
  return (groups.get(provider) as T[] | undefined) ?? EMPTY;
}

interface CallCounts {
  from: number;
  counts: Map<string, number>;
}
const callCountsOf = new WeakMap<readonly AttemptRecord[], CallCounts>();

const callKey = (provider: string, model: string, profileId: string) => `${provider}\u0000${model}\u0000${profileId}`;

/** Calls on (model, profile) among `attempts` from index `from` on. */
export function callsOn(attempts: readonly AttemptRecord[], from: number, provider: string, model: string, profileId: string): number {
  if (attempts.length - from <= 8) {
    let n = 0;
    for (let i = from; i < attempts.length; i++) {
      const a = attempts[i]!;
      if (a.provider === provider && a.model === model && a.profileId === profileId) n++;
    }
    return n;
  }
  let counted = callCountsOf.get(attempts);
  if (!counted || counted.from !== from) {
    counted = { from, counts: new Map() };
    for (let i = from; i < attempts.length; i++) {
      const a = attempts[i]!;
      const key = callKey(a.provider, a.model, a.profileId);
      counted.counts.set(key, (counted.counts.get(key) ?? 0) + 1);
    }
    callCountsOf.set(attempts, counted);
  }
  return counted.counts.get(callKey(provider, model, profileId)) ?? 0;
}
