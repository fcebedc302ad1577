import type { FailureReason } from '../classify/types.js';
import type { CooldownEntry, CooldownKey } from '../types.js';
import { appendedCountInPlace, appendedInPlace, appendedNumberInPlace } from './append-in-place.js';

/**
 * A run's cooldowns and own blocks as it holds them in flight. A run keeps both to its end and
 * waits on provider calls most of its life, so what an entry costs while held is paid by every
 * run in flight: a cooldown the run set was a plain object of about 78 bytes (its `until` a boxed
 * heap number), and a dead chain's run holds one per failed candidate. Its key and reason are the
 * same for every run that fails that candidate the same way, so they are one frozen part shared
 * by those runs, and the lists hold that part, the end and the count (24 bytes an entry; the
 * count grows from run to run, so a part that held it was shared by few). Plain
 * entries are made only when one is read whole (a blocker, a probe claim, an explanation): the
 * same shapes, keys in the same order, as the step used to hold (src/policy/block-for-failure.ts).
 * Entries read from the store are held as they are (the store's pool shares them already).
 */

/** A held key with its reason: shared by every run that sets the same. */
export class HeldKey implements CooldownKey {
  constructor(
    readonly provider: string,
    readonly profileId: string | undefined,
    readonly model: string | undefined,
    readonly reason: FailureReason,
  ) {
    Object.freeze(this);
  }
}

/** What a list of held entries gives for entry `i`: its key and reason (the entry itself or its part). */
export interface KeyedReason extends CooldownKey {
  readonly reason: FailureReason;
}

/** A list the policy groups by provider (view-index.ts): how many, and each one's key. */
export interface KeyedList {
  readonly length: number;
  keyAt(i: number): KeyedReason;
}

/** Keys whose parts are kept, at most: made-up providers must not grow the pool forever (full, it starts again). */
const MAX_PARTS = 4096;
const partsByProvider = new Map<string, HeldKey[]>();
let partCount = 0;

/** The shared part of (key, reason): the one kept, or a new one kept from now on. */
export function heldKey(key: CooldownKey, reason: FailureReason): HeldKey {
  const { provider, profileId, model } = key;
  let parts = partsByProvider.get(provider);
  if (parts) {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p.profileId === profileId && p.model === model && p.reason === reason) return p;
    }
  }
  if (partCount >= MAX_PARTS) {
    partsByProvider.clear();
    partCount = 0;
    parts = undefined;
  }
  const part = new HeldKey(provider, profileId, model, reason);
  if (parts) parts.push(part);
  else partsByProvider.set(provider, [part]);
  partCount++;
  return part;
}

/** A block this run put on a key through its own failure; `until` is Infinity for run-long blocks. */
export interface OwnBlock extends CooldownKey {
  until: number;
  reason: FailureReason;
}

/**
 * The block of a key, written as a literal of its final shape. `{ ...key, until, reason }`
 * compiles, once optimized, to a copy that gets a hidden class of its own per object (V8 on
 * Node 20), about 140 bytes more for every block a run holds.
 */
export function ownBlockOf({ provider, profileId, model }: CooldownKey, until: number, reason: FailureReason): OwnBlock {
  if (profileId === undefined) return model === undefined ? { provider, until, reason } : { provider, model, until, reason };
  return model === undefined ? { provider, profileId, until, reason } : { provider, profileId, model, until, reason };
}

/** A cooldown entry as one literal of its final shape (the key order a host sees in `cooldown.set`). */
export function cooldownOf({ provider, profileId, model }: CooldownKey, until: number, reason: FailureReason, failures: number): CooldownEntry {
  if (profileId === undefined) return model === undefined ? { provider, until, reason, failures } : { provider, model, until, reason, failures };
  return model === undefined ? { provider, profileId, until, reason, failures } : { provider, profileId, model, until, reason, failures };
}

const sameKeyOf = (a: CooldownKey, b: CooldownKey): boolean => a.provider === b.provider && a.profileId === b.profileId && a.model === b.model;

/** The first `used` of `list` without its element `at`, in an array of its exact size (filter may leave room to grow). */
function minus<T>(list: readonly T[], used: number, at: number): readonly T[] {
  const n = used - 1;
  if (n === 0) return NONE;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = list[i < at ? i : i + 1]!;
  return out;
}

/** minus for numbers (see append-in-place.ts: an array site of their own). */
function minusNumber(list: readonly number[], used: number, at: number): readonly number[] {
  const n = used - 1;
  if (n === 0) return NONE;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = list[i < at ? i : i + 1]!;
  return out;
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * A run's shared cooldowns: those read from the store (held as read), then those this run set
 * since (a part and an end each). Never changed in place: a step makes a new log. Entries of
 * the store come first: a run's own entry of a provider always follows that provider's read
 * entries (a re-read of a provider replaces all of its entries), so every provider's entries
 * keep the order the plain list had.
 */
export class CooldownLog implements KeyedList {
  static readonly EMPTY = new CooldownLog(NONE, NONE, NONE, NONE, 0);

  /** The entries `entries`, as read from the store (or given: a test, an explanation). */
  static of(entries: readonly CooldownEntry[]): CooldownLog {
    return entries.length === 0 ? CooldownLog.EMPTY : new CooldownLog(entries, NONE, NONE, NONE, 0);
  }

  private constructor(
    readonly stored: readonly CooldownEntry[],
    readonly parts: readonly HeldKey[],
    readonly untils: readonly number[],
    /** The counts of the entries this run set (small integers: 8 bytes each). */
    readonly counts: readonly number[],
    /**
     * How many entries this run set: the first `own` of `parts`, `untils` and `counts` (the lists
     * may go on with a later log's, src/policy/append-in-place.ts).
     */
    readonly own: number,
  ) {}

  get length(): number {
    return this.stored.length + this.own;
  }

  /** Entry `i`'s key and reason: the entry read, or the shared part of one this run set. */
  keyAt(i: number): CooldownEntry | HeldKey {
    const s = this.stored.length;
    return i < s ? this.stored[i]! : this.parts[i - s]!;
  }

  untilAt(i: number): number {
    const s = this.stored.length;
    return i < s ? this.stored[i]!.until : this.untils[i - s]!;
  }

  failuresAt(i: number): number {
    const s = this.stored.length;
    return i < s ? this.stored[i]!.failures : this.counts[i - s]!;
  }

  /** Whether entry `i` is one this run set (held as a part: no probe claim on it). */
  isOwn(i: number): boolean {
    return i >= this.stored.length;
  }

  /** Entry `i` as a plain entry: the one read, or one made now as the step used to hold it. */
  entryAt(i: number): CooldownEntry {
    const s = this.stored.length;
    if (i < s) return this.stored[i]!;
    const p = this.parts[i - s]!;
    return cooldownOf(p, this.untils[i - s]!, p.reason, this.counts[i - s]!);
  }

  /** Every entry, plain (rare paths: a probe taken, a test). */
  entries(): CooldownEntry[] {
    const out = new Array<CooldownEntry>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.entryAt(i);
    return out;
  }

  /** The entries as plain objects, in order (what a host reading a snapshot wants). */
  toArray(): CooldownEntry[] {
    return this.entries();
  }

  /** What JSON.stringify and the inspector show: the plain entries, as the context held them before it was a log. */
  toJSON(): CooldownEntry[] {
    return this.entries();
  }

  /** As the store upserts: the later end is kept (a shorter block never shortens another run's), the rest is `entry`'s. */
  upsert(entry: CooldownEntry): CooldownLog {
    let until = entry.until;
    let stored = this.stored;
    let parts = this.parts;
    let untils = this.untils;
    let counts = this.counts;
    let own = this.own;
    const s = stored.length;
    for (let i = 0; i < this.length; i++) {
      if (!sameKeyOf(this.keyAt(i), entry)) continue;
      const old = this.untilAt(i);
      if (old > until) until = old;
      if (i < s) stored = minus(stored, s, i);
      else {
        parts = minus(parts, own, i - s);
        untils = minusNumber(untils, own, i - s);
        counts = minusNumber(counts, own, i - s);
        own--;
      }
      break;
    }
    // the usual upsert (a key this run had not set) grows the lists in place (append-in-place.ts)
    return new CooldownLog(
      stored,
      appendedInPlace(parts, own, heldKey(entry, entry.reason)),
      appendedNumberInPlace(untils, own, until),
      appendedCountInPlace(counts, own, entry.failures),
      own + 1,
    );
  }

  /** The entries but those of `provider`, then `read`'s of `provider` (what the store holds for it now). */
  withProviderRead(provider: string, read: readonly CooldownEntry[]): CooldownLog {
    let n = 0;
    for (const e of this.stored) if (e.provider !== provider) n++;
    for (const e of read) if (e.provider === provider) n++;
    const kept = new Array<CooldownEntry>(n);
    n = 0;
    for (const e of this.stored) if (e.provider !== provider) kept[n++] = e;
    for (const e of read) if (e.provider === provider) kept[n++] = e;
    let parts = this.parts;
    let untils = this.untils;
    let counts = this.counts;
    let own = this.own;
    let mentioned = false;
    for (let k = 0; k < own; k++) if (parts[k]!.provider === provider) mentioned = true;
    if (mentioned) {
      // this log's own entries only (the lists may go on with a later log's)
      parts = this.parts.slice(0, own).filter((p) => p.provider !== provider);
      untils = this.untils.slice(0, own).filter((_, k) => this.parts[k]!.provider !== provider);
      counts = this.counts.slice(0, own).filter((_, k) => this.parts[k]!.provider !== provider);
      own = parts.length;
    }
    return new CooldownLog(n === 0 ? NONE : kept, parts, untils, counts, own);
  }

  /** The entries but those `drop` says to (given each entry's index). */
  without(drop: (i: number) => boolean): CooldownLog {
    const s = this.stored.length;
    const own = this.own;
    const stored = this.stored.filter((_, k) => !drop(k));
    const parts = this.parts.slice(0, own).filter((_, k) => !drop(s + k));
    const untils = this.untils.slice(0, own).filter((_, k) => !drop(s + k));
    const counts = this.counts.slice(0, own).filter((_, k) => !drop(s + k));
    return new CooldownLog(stored, parts, untils, counts, parts.length);
  }
}

/**
 * A run's own blocks (a part and an end each), in the order its failures set them. Given blocks
 * (a test's) are held as parts too.
 */
export class OwnBlockLog implements KeyedList {
  static readonly EMPTY = new OwnBlockLog(NONE, NONE, 0);

  static of(blocks: readonly OwnBlock[]): OwnBlockLog {
    let log = OwnBlockLog.EMPTY;
    for (const b of blocks) log = log.append(b);
    return log;
  }

  private constructor(
    readonly parts: readonly HeldKey[],
    readonly untils: readonly number[],
    /** How many blocks: the first `length` of `parts` and `untils` (the lists may go on with a later log's). */
    readonly length: number,
  ) {}

  keyAt(i: number): HeldKey {
    return this.parts[i]!;
  }

  untilAt(i: number): number {
    return this.untils[i]!;
  }

  /** Block `i` as a plain block, as the step used to hold it (its key, end and reason). */
  blockAt(i: number): OwnBlock {
    const p = this.parts[i]!;
    return ownBlockOf(p, this.untils[i]!, p.reason);
  }

  /** The blocks as plain objects, in order. */
  toArray(): OwnBlock[] {
    const out = new Array<OwnBlock>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.blockAt(i);
    return out;
  }

  /** What JSON.stringify and the inspector show: the plain blocks. */
  toJSON(): OwnBlock[] {
    return this.toArray();
  }

  /** The blocks and `block` last (a block that is also a shared cooldown shares that cooldown's part). */
  append(block: OwnBlock): OwnBlockLog {
    const n = this.length;
    return new OwnBlockLog(appendedInPlace(this.parts, n, heldKey(block, block.reason)), appendedNumberInPlace(this.untils, n, block.until), n + 1);
  }
}

/** The log of `c`: a run's own, or one made for entries given as a list (a test, an explanation). */
export const cooldownLog = (c: CooldownLog | readonly CooldownEntry[]): CooldownLog => (c instanceof CooldownLog ? c : CooldownLog.of(c));
export const ownBlockLog = (b: OwnBlockLog | readonly OwnBlock[]): OwnBlockLog => (b instanceof OwnBlockLog ? b : OwnBlockLog.of(b));
