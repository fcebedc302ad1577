import type { Decision } from '../src/types.js';
import { appended } from './held-values.js';
import { appendedInPlace, appendedNumberInPlace } from '../src/policy/append-in-place.js';

/**
 * A run's decisions as it holds them in flight. A run keeps every decision to its end and waits
 * on provider calls most of its life, so what a decision costs while held is paid by every run in
 * flight: as a plain object, 80 bytes, 16 for each of its one or two times, and for a dead chain's
 * or a skipped chain's decisions that was most of what such a run held (about 200 bytes per
 * failed candidate, 120 per skipped one). The decisions runs take most, entering a candidate and
 * skipping one, are the same for every run of a chain but for their time: their other fields are
 * one frozen part shared by those runs (machines/entry-text.ts, machines/skip-report.ts), and the
 * log holds that part and the time, 16 bytes. The plain objects are made when the run's decisions
 * are read (stored, output): the same objects, keys in the same order, as a step used to append.
 */

/** A skip decision without its time: `{ kind: 'skip', at, provider, model, reason, detail[, until] }`. */
export class SkipPart {
  constructor(
    readonly provider: string,
    readonly model: string,
    readonly reason: string,
    readonly detail: string,
    /** undefined: blocked for the rest of the run (the decision has no `until`). */
    readonly until: number | undefined,
  ) {
    Object.freeze(this);
  }
}

/** A decision to start on or escalate to a candidate, without its time: `{ kind, at, provider, model, profileId, reason, detail }`. */
export class EntryPart {
  constructor(
    readonly kind: 'select' | 'escalate',
    readonly provider: string,
    readonly model: string,
    readonly profileId: string,
    readonly reason: string,
    readonly detail: string,
  ) {
    Object.freeze(this);
  }
}

type Held = Decision | SkipPart | EntryPart;

function decisionOf(h: Held, at: number): Decision {
  if (h instanceof SkipPart) {
    const { provider, model, reason, detail, until } = h;
    return until !== undefined ? { kind: 'skip', at, provider, model, reason, detail, until } : { kind: 'skip', at, provider, model, reason, detail };
  }
  if (h instanceof EntryPart) return { kind: h.kind, at, provider: h.provider, model: h.model, profileId: h.profileId, reason: h.reason, detail: h.detail };
  return h;
}

/** A run's decisions in order, never changed in place: each append makes a new log (the machine's context is copied, not mutated). */
export class DecisionLog {
  /** The log of a run that has decided nothing yet. */
  static get EMPTY(): DecisionLog {
    return EMPTY;
  }

  /** Its first `#n` entries: the list may go on with a later log's (src/policy/append-in-place.ts). */
  readonly #held: readonly Held[];
  readonly #n: number;
  /** The time of each entry (of a plain decision too, so the list stays one of numbers: 8 bytes each, not a boxed number). */
  readonly #ats: readonly number[];
  /** The decisions once read: a run reads them at its end (stored, then output), made once for both. */
  #decisions: Decision[] | undefined;

  /** Use EMPTY and append: a log is built only by appending. */
  constructor(held: readonly Held[], ats: readonly number[], n: number, decisions?: Decision[]) {
    this.#held = held;
    this.#n = n;
    this.#ats = ats;
    this.#decisions = decisions;
  }

  /** A log of these decisions, as they are (tests, and steps that rewrite a log). */
  static of(decisions: readonly Decision[]): DecisionLog {
    return DecisionLog.EMPTY.append(...decisions);
  }

  get length(): number {
    return this.#n;
  }

  /** This log followed by `decisions`, held as they are. */
  append(...decisions: Decision[]): DecisionLog {
    return this.#with(
      decisions,
      decisions.map((d) => d.at),
      decisions,
    );
  }

  /** This log followed by decisions taken at `at`: the parts (skips, entries) and then `last`, if any. */
  appendAt(at: number, parts: readonly (SkipPart | EntryPart)[], last?: Decision | SkipPart | EntryPart): DecisionLog {
    // the usual step (entering the next candidate, nothing skipped): one decision, copied in
    // without the lists a concat takes (three builtin calls of about 180 ns each)
    if (parts.length === 0) {
      if (last === undefined) return this;
      return this.#withOne(last, last instanceof SkipPart || last instanceof EntryPart ? at : last.at);
    }
    const held: Held[] = last === undefined ? parts.slice() : (parts as readonly Held[]).concat([last]);
    const ats: number[] = new Array<number>(held.length).fill(at);
    if (last !== undefined && !(last instanceof SkipPart) && !(last instanceof EntryPart)) ats[ats.length - 1] = last.at;
    return this.#with(held, ats);
  }

  #withOne(held: Held, at: number): DecisionLog {
    const n = this.#n;
    const decisions = this.#decisions && appended(this.#decisions, decisionOf(held, at));
    return new DecisionLog(appendedInPlace(this.#held, n, held), appendedNumberInPlace(this.#ats, n, at), n + 1, decisions);
  }

  #with(held: readonly Held[], ats: readonly number[], plain?: readonly Decision[]): DecisionLog {
    if (held.length === 0) return this;
    // a log already read (the run's end: stored, then one more decision) keeps what was made
    const decisions = this.#decisions && (plain ?? held.map((h, i) => decisionOf(h, ats[i]!)));
    // its own entries only: the lists may go on with a later log's
    const n = this.#n;
    const mine = this.#held.length === n ? this.#held : this.#held.slice(0, n);
    const myAts = this.#ats.length === n ? this.#ats : this.#ats.slice(0, n);
    return new DecisionLog(mine.concat(held), myAts.concat(ats), n + held.length, decisions && this.#decisions!.concat(decisions));
  }

  /** The decisions as plain objects, in order. The same array on every read of a log (but the empty one). */
  toArray(): Decision[] {
    // the empty log is every run's first: what it gave a host (who may push onto it) is not kept
    if (this.#n === 0) return [];
    if (!this.#decisions) {
      const held = this.#held;
      const decisions: Decision[] = new Array<Decision>(this.#n);
      for (let i = 0; i < this.#n; i++) decisions[i] = decisionOf(held[i]!, this.#ats[i]!);
      this.#decisions = decisions;
    }
    return this.#decisions;
  }

  /** What JSON.stringify and the inspector show: the decisions. */
  toJSON(): Decision[] {
    return this.toArray();
  }
}

const EMPTY = new DecisionLog([], [], 0);
