import type { KeyedList } from './cooldown-log.js';
import type { AttemptsRead } from './run-view.js';

// A decision asks "what blocks this (model, profile)?" for many candidates. Scanning every
// cooldown and block for each made a long chain cost chain × cooldowns per decision; grouped by
// provider, a candidate only looks at its own provider's entries. The arrays of a run's view are
// never changed in place (each step makes new ones), so a grouping is built once per array and
// shared by every question asked of it.

/**
 * A run's arrays grow by one entry per failure and each is asked about a few times (a dead
 * chain): scanning is cheapest. A long array asked about many times (a chain skipping many
 * cooling candidates) is grouped once, after SCANS_BEFORE_INDEX questions.
 */
const SCANS_BEFORE_INDEX = 8;

/**
 * The arrays asked about last, with what was learned of each: two slots, most recent first, not
 * a WeakMap by array. Every step of every run makes new arrays, and an ephemeron table takes an
 * entry for each; its capacity, grown while many runs are in flight, stays (with the walk's
 * cache, about 1.6 KB a run parked on a dead chain of 32). The questions about one array come
 * together (a decision, a chain walk, in one synchronous step), two arrays in turn at most (a
 * walk asks of the cooldowns and the own blocks of each candidate), so two slots keep what
 * counts. A slot holds at most one array of one run until other arrays are asked about.
 */
class Slots<K extends object, V> {
  // Two records, reused: asking about a new array overwrites the older one, so a question costs
  // no object (a dead chain asks about a new log a few times at every failure, and each made a
  // record and a closure to make it).
  #r0: Slot<K, V> = { key: undefined, asked: 0, from: 0, value: undefined };
  #r1: Slot<K, V> = { key: undefined, asked: 0, from: 0, value: undefined };

  /** The record of `key`, most recent first; a fresh one (asked 0, from `from`, no value) when there is none. */
  get(key: K, from = 0): Slot<K, V> {
    const r0 = this.#r0;
    if (r0.key === key) return r0;
    const r1 = this.#r1;
    this.#r0 = r1;
    this.#r1 = r0;
    if (r1.key !== key) {
      r1.key = key;
      r1.asked = 0;
      r1.from = from;
      r1.value = undefined;
    }
    return r1;
  }

  peek(key: K): V | undefined {
    return this.#r0.key === key ? this.#r0.value : this.#r1.key === key ? this.#r1.value : undefined;
  }

  forget(key: K): void {
    if (this.#r0.key === key) clear(this.#r0);
    if (this.#r1.key === key) clear(this.#r1);
  }
}

function clear(r: Slot<object, unknown>): void {
  r.key = undefined;
  r.value = undefined;
}

/** What is known of one array: how often it was asked about, and its grouping once made. */
interface Slot<K, V> {
  key: K | undefined;
  asked: number;
  /** callsOn: the index the counted calls start at. */
  from: number;
  value: V | undefined;
}

/** provider → indices of its entries, in order */
type Grouping = Map<string, number[]>;
const groupingOf = new Slots<KeyedList, Grouping>();
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * The indices of the entries of `entries` (cooldowns or own blocks) whose key names `provider`,
 * in their order; undefined when every entry is to be looked at (the caller still checks each
 * entry's key). No list is made for a short log or one asked about a few times.
 */
export function indicesOf(entries: KeyedList, provider: string): readonly number[] | undefined {
  if (entries.length <= 8) return undefined;
  const g = groupingOf.get(entries);
  let groups = g.value;
  if (!groups) {
    if (++g.asked <= SCANS_BEFORE_INDEX) return undefined;
    g.value = groups = new Map();
    for (let i = 0; i < entries.length; i++) {
      const p = entries.keyAt(i).provider;
      const group = groups.get(p);
      if (group) group.push(i);
      else groups.set(p, [i]);
    }
  }
  return groups.get(provider) ?? EMPTY;
}

/**
 * Drops the grouping of `entries` (the next questions scan, then group again). A chain walk asks
 * about every candidate of the chain at once and is done: the grouping it made (a map and a list
 * per provider, ~12 KB for 127 providers) would otherwise be held with the run's cooldowns to its end.
 */
export function forgetGrouping(entries: KeyedList): void {
  groupingOf.forget(entries);
}

/** Whether `entries` has its grouping made (tests: a walk leaves none behind). */
export const isGrouped = (entries: KeyedList): boolean => groupingOf.peek(entries) !== undefined;

/** provider → model → profile → calls */
type CallCounts = Map<string, Map<string, Map<string, number>>>;
const callCountsOf = new Slots<AttemptsRead, CallCounts>();

function scanCalls(attempts: AttemptsRead, from: number, provider: string, model: string, profileId: string): number {
  let n = 0;
  for (let i = from; i < attempts.length; i++) {
    const a = attempts.factsAt(i);
    if (a.provider === provider && a.model === model && a.profileId === profileId) n++;
  }
  return n;
}

/** Calls on (model, profile) among `attempts` from index `from` on. */
export function callsOn(attempts: AttemptsRead, from: number, provider: string, model: string, profileId: string): number {
  if (attempts.length - from <= 8) return scanCalls(attempts, from, provider, model, profileId);
  const c = callCountsOf.get(attempts, from);
  if (c.from !== from) {
    // asked from another step's start: what was counted is of other calls
    c.from = from;
    c.asked = 0;
    c.value = undefined;
  }
  let counts = c.value;
  if (!counts) {
    if (++c.asked <= SCANS_BEFORE_INDEX) return scanCalls(attempts, from, provider, model, profileId);
    c.value = counts = new Map();
    for (let i = from; i < attempts.length; i++) {
      const a = attempts.factsAt(i);
      let models = counts.get(a.provider);
      if (!models) counts.set(a.provider, (models = new Map()));
      let profiles = models.get(a.model);
      if (!profiles) models.set(a.model, (profiles = new Map()));
      profiles.set(a.profileId, (profiles.get(a.profileId) ?? 0) + 1);
    }
  }
  return counts.get(provider)?.get(model)?.get(profileId) ?? 0;
}
